/* term_check.h — whether terminfo knows the terminal, asked before curses starts. Kept apart
 * because <term.h> defines capability macros (lines, columns, ...) that clash with ordinary
 * identifiers elsewhere. */
#ifndef BT_UI_TERM_CHECK_H
#define BT_UI_TERM_CHECK_H

#include <stdbool.h>

/* true when $TERM has a terminfo entry usable on stdout. Frees what it loaded. */
bool bt_ui_terminal_usable(void);

#endif
