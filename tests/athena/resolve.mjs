// dt-sql-parser's ES modules import their siblings without a file
// extension, as bundlers allow and Node does not: retry such a relative
// specifier with ".js" and "/index.js".
export async function resolve(spec, ctx, next) {
    try {
        return await next(spec, ctx);
    } catch (e) {
        if (!spec.startsWith('.'))
            throw e;
        for (const tail of ['.js', '/index.js']) {
            try {
                return await next(spec + tail, ctx);
            } catch { /* the next guess */ }
        }
        throw e;
    }
}
