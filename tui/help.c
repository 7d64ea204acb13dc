/* SPDX-License-Identifier: MIT
 *
 * The help view: every key from the binding table, then the commands
 * of the `:` line.
 */
#include "tui/app.h"

static int
load(struct app *a, struct view *v)
{
    (void)a;
    keys_help(v);
    view_add(v, ROLE_NORMAL, "%s", "");
    view_add(v, ROLE_SECTION, "Commands of the : line (Tab completes)");
    view_add(v, ROLE_NORMAL, "  :host ADDR      open a host (address or "
             "instance id)");
    view_add(v, ROLE_NORMAL, "  :domain NAME    open a domain");
    view_add(v, ROLE_NORMAL, "  :view NAME      hosts, alerts, domains, "
             "imports, verdicts, allow, review or help");
    view_add(v, ROLE_NORMAL, "  :score          score the store again");
    view_add(v, ROLE_NORMAL, "  :import PATH    import a file or directory "
             "of logs");
    view_add(v, ROLE_NORMAL, "  :set colour off turn colours off (or on)");
    view_add(v, ROLE_NORMAL, "  :allow KIND VALUE [SCOPE]  add an allow-list "
             "entry (as dnshunt allow add)");
    view_add(v, ROLE_NORMAL, "  :mark tp|fp|benign  mark the host or domain "
             "under the cursor (asks a note)");
    view_add(v, ROLE_NORMAL, "  :export [FORM]  stix or misp (the tp "
             "domains), alerts or sigma (asks where)");
    view_add(v, ROLE_NORMAL, "  :sql SELECT ... run a read-only query and "
             "show its rows");
    view_add(v, ROLE_NORMAL, "  :dump FILE      write the screen to FILE "
             "as text");
    view_add(v, ROLE_NORMAL, "  :quit           leave");
    return 0;
}

const struct view_ops help_view_ops = {
    .name = "help", .title = "Help", .load = load,
};
