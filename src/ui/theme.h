/* theme.h — semantic roles (guided/canvas.h) to curses attributes: a colour theme, and a
 * monochrome one used when the terminal has no colours or NO_COLOR is set. The mapping is a
 * static table filled by bt_theme_init (one screen per process); nothing is allocated. */
#ifndef BT_UI_THEME_H
#define BT_UI_THEME_H

#include <stdbool.h>

#include <curses.h>

#include "guided/canvas.h"

/* Call after initscr. Returns true when colours are in use. */
bool bt_theme_init(bool no_color);
attr_t bt_theme_attr(enum bt_role r);
short bt_theme_pair(enum bt_role r);

#endif
