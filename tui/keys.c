/* SPDX-License-Identifier: MIT
 *
 * Key bindings: one table maps keys to requests and, with the
 * requests' own texts, makes the help view (see app.h).
 */
#include <curses.h>
#include <string.h>

#include "tui/app.h"

#define KEY_ESC 27
#define KEY_TAB '\t'
#define KEY_RET '\n'

/* One binding: the key, its name in help and scripts, the request. */
struct binding {
    int          key;
    const char  *name;
    enum request req;
};

static const struct binding bindings[] = {
    { 'j', "j", REQ_DOWN },           { KEY_DOWN, "Down", REQ_DOWN },
    { 'k', "k", REQ_UP },             { KEY_UP, "Up", REQ_UP },
    { KEY_NPAGE, "PgDn", REQ_PAGE_DOWN }, { ' ', "Space", REQ_PAGE_DOWN },
    { KEY_PPAGE, "PgUp", REQ_PAGE_UP }, { 'b', "b", REQ_PAGE_UP },
    { 'g', "g", REQ_FIRST },          { KEY_HOME, "Home", REQ_FIRST },
    { 'G', "G", REQ_LAST },           { KEY_END, "End", REQ_LAST },
    { KEY_RET, "Enter", REQ_ENTER },  { '\r', "Return", REQ_ENTER },
    { KEY_ENTER, "KEnter", REQ_ENTER },
    { KEY_RIGHT, "Right", REQ_ENTER },
    { 'q', "q", REQ_BACK },           { KEY_ESC, "Esc", REQ_BACK },
    { KEY_LEFT, "Left", REQ_BACK },
    { KEY_TAB, "Tab", REQ_NEXT_VIEW },
    { '/', "/", REQ_SEARCH },         { 'n', "n", REQ_NEXT },
    { 'N', "N", REQ_PREV },           { 'f', "f", REQ_FILTER },
    { 's', "s", REQ_SORT },           { 'r', "r", REQ_RESCORE },
    { 'a', "a", REQ_ALLOW },          { 't', "t", REQ_MARK_TP },
    { 'x', "x", REQ_MARK_FP },        { 'e', "e", REQ_EXPORT },
    { ':', ":", REQ_PROMPT },         { 'R', "R", REQ_REFRESH },
    { 12, "C-l", REQ_REFRESH },       { '?', "?", REQ_HELP },
    { 'Q', "Q", REQ_QUIT },
};

#define N_BINDINGS (sizeof bindings / sizeof *bindings)

static const char *const request_help[REQ_COUNT] = {
#define REQ_HELP_TEXT(name, help) help,
    REQUESTS(REQ_HELP_TEXT)
#undef REQ_HELP_TEXT
};

enum request
keys_request(int key)
{
    for (size_t i = 0; i < N_BINDINGS; i++)
        if (bindings[i].key == key)
            return bindings[i].req;
    return REQ_NONE;
}

int
keys_parse(const char *name)
{
    for (size_t i = 0; i < N_BINDINGS; i++)
        if (strcmp(bindings[i].name, name) == 0)
            return bindings[i].key;
    if (strcmp(name, "Resize") == 0)
        return KEY_RESIZE;
    if (strlen(name) == 1 && name[0] > ' ' && name[0] < 127)
        return name[0];
    return -1;
}

void
keys_help(struct view *v)
{
    view_add(v, ROLE_SECTION, "Keys");
    for (int r = 0; r < REQ_COUNT; r++) {
        char keys[64] = "";
        for (size_t i = 0; i < N_BINDINGS; i++) {
            if (bindings[i].req != (enum request)r ||
                bindings[i].key == KEY_ENTER || bindings[i].key == '\r')
                continue;
            if (*keys)
                strncat(keys, " ", sizeof keys - strlen(keys) - 1);
            strncat(keys, bindings[i].name, sizeof keys - strlen(keys) - 1);
        }
        view_add(v, ROLE_NORMAL, "  %-22s %s", keys, request_help[r]);
    }
}
