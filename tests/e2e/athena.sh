#!/bin/sh
# dnshunt athena: the table definitions and the aggregation queries are
# compared with reviewed files in tests/athena/expected, and every
# statement is parsed with DTStack's ANTLR grammars of Hive SQL (Athena's
# DDL) and Trino SQL (Athena's queries), from the npm registry. Values
# that would break out of the text are refused.
. "$(dirname "$0")/lib.sh"

EXP="$TOP/tests/athena/expected"
ddl_text() {
    "$DNSHUNT" athena ddl --bucket my-logs --prefix logs/ \
        --account 123456789012 --region us-east-1 \
        --vpc vpc-0abc1234def567890
}
ddl_parquet() {
    "$DNSHUNT" athena ddl --bucket my-logs --account 123456789012 \
        --region eu-west-1 --vpc vpc-0abc1234def567890,vpc-0fed \
        --vpc vpc-11 --parquet --hive --from 2024-01-01 --database fleet \
        --flow-format "version account-id interface-id srcaddr dstaddr \
srcport dstport protocol packets bytes start end action log-status vpc-id \
instance-id tcp-flags flow-direction traffic-path pkt-srcaddr"
}
sql_day() {
    "$DNSHUNT" athena sql --since 2024-05-01 --until 2024-05-02T06:00:00Z
}
sql_hive() {
    "$DNSHUNT" athena sql --since 2024-05-01 --until 2024-05-02 --hive \
        --database fleet
}
for t in ddl_text:ddl-text ddl_parquet:ddl-parquet-hive sql_day:sql-day \
         sql_hive:sql-hive; do
    f=${t#*:}
    ${t%%:*} >"$WORK/$f.sql" 2>"$WORK/err"
    eq "$f: exit 0, nothing on stderr" "$? $(err)" "0 "
    if diff -u "$EXP/$f.sql" "$WORK/$f.sql" >"$WORK/diff"; then
        ok "$f: as reviewed"
    else notok "$f: as reviewed" "$(head -30 "$WORK/diff")"; fi
done

# The grammars, installed once per build tree from the lock file.
NPM="$TOP/build/athena-npm"
if ! cmp -s "$TOP/tests/athena/package-lock.json" \
        "$NPM/package-lock.json" 2>/dev/null ||
   [ ! -d "$NPM/node_modules/dt-sql-parser" ]; then
    rm -rf "$NPM" && mkdir -p "$NPM" &&
    cp "$TOP/tests/athena/package.json" "$TOP/tests/athena/package-lock.json" \
       "$NPM/" &&
    (cd "$NPM" && npm ci --no-audit --no-fund --silent) >"$WORK/npm" 2>&1
fi
cp "$TOP/tests/athena/"*.mjs "$NPM/"
check() {  # check NAME DIALECT FILE EXPECTED-LAST-LINE
    (cd "$NPM" && node --import ./register.mjs check.mjs "$2" "$3") \
        >"$WORK/check" 2>&1
    eq "$1" "$(tail -1 "$WORK/check")" "$4"
}
check "ddl-text parses as Hive DDL" hive "$WORK/ddl-text.sql" \
      "3 statements, 0 bad"
check "ddl-parquet-hive parses as Hive DDL" hive \
      "$WORK/ddl-parquet-hive.sql" "3 statements, 0 bad"
check "sql-day parses as Trino SQL" trino "$WORK/sql-day.sql" \
      "2 statements, 0 bad"
check "sql-hive parses as Trino SQL" trino "$WORK/sql-hive.sql" \
      "2 statements, 0 bad"
# The check itself finds a broken statement.
sed 's/^GROUP BY host,/GROUP host,/' "$WORK/sql-day.sql" >"$WORK/broken.sql"
check "a broken query is caught" trino "$WORK/broken.sql" \
      "2 statements, 1 bad"

# Values that would break out of the text are refused.
refuse() {  # refuse NAME MESSAGE ARGS...
    name=$1 msg=$2
    shift 2
    run athena "$@"
    eq "$name: exit 2" "$(rc)" 2
    has "$name: says what is wrong" "$WORK/err" "$msg"
}
base="--account 123456789012 --region us-east-1 --vpc vpc-0abc"
refuse "a quote in the bucket" "--bucket: an S3 bucket name" \
    ddl --bucket "b'x" $base
refuse "a quote in the prefix" "--prefix: printable" \
    ddl --bucket my-logs --prefix "a'; DROP TABLE x; --" $base
refuse "a template in the prefix" "--prefix: printable" \
    ddl --bucket my-logs --prefix 'a${day}' $base
refuse "a short account" "--account: the 12-digit" \
    ddl --bucket my-logs --account 1234 --region us-east-1 --vpc vpc-0abc
refuse "no VPC" "--vpc: at least one VPC id" \
    ddl --bucket my-logs --account 123456789012 --region us-east-1
refuse "a VPC id with a quote" "--vpc: a VPC id such as" \
    ddl --bucket my-logs $base --vpc "vpc-1'"
refuse "an unknown flow field" "'colour' is not a flow log field" \
    ddl --bucket my-logs $base --flow-format "srcaddr colour"
refuse "queries without dstport" "the queries need the field dstport" \
    sql --since 2024-05-01 --until 2024-05-02 \
        --flow-format "srcaddr dstaddr srcport protocol packets bytes \
start end log-status"
refuse "an empty window" "--until must come after --since" \
    sql --since 2024-05-02 --until 2024-05-01
refuse "no window" "--since and --until are needed" sql
printf "[network]\ndoh_resolvers = 1.1.1.1 x');DROP\n" >"$WORK/cfg"
refuse "a DoH resolver that is not an address" "is not an address" \
    sql --since 2024-05-01 --until 2024-05-02 --config "$WORK/cfg"
refuse "a bucket with two dots" "--bucket: an S3 bucket name" \
    ddl --bucket a..b $base
refuse "a database starting with a digit" "--database: a lower-case letter" \
    sql --since 2024-05-01 --until 2024-05-02 --database 1abc
refuse "fractions of a second" "take whole seconds" \
    sql --since 2024-05-01T10:00:00.500Z --until 2024-05-02
refuse "the year 9999" "must lie between 1970-01-02 and 9999-12-30" \
    sql --since 9999-12-31 --until 9999-12-31T23:59:59Z
# A reserved word is a fine database name: it is quoted.
run athena sql --since 2024-05-01 --until 2024-05-02 --database select
has "a reserved word as database is quoted in the queries" "$WORK/out" \
    'FROM "select".resolver_queries'
check "and the queries still parse" trino "$WORK/out" "2 statements, 0 bad"
run athena ddl --bucket my-logs $base --database select
has "and in the tables" "$WORK/out" 'CREATE DATABASE IF NOT EXISTS `select`;'
check "which still parse" hive "$WORK/out" "3 statements, 0 bad"
