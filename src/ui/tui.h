/* tui.h — the ncursesw dashboard over a bench session (the only code that includes curses).
 *
 * One poll() loop over the terminal, a self-pipe for signals (resize, quit) and the bench's
 * descriptors; keys go through a table; views draw into a canvas and only the panes whose data
 * changed are drawn again. Works at 80x24, in monochrome, with NO_COLOR, and in ASCII when the
 * locale is not UTF-8. When the terminal goes away (hang-up, EOF or errors on input) the loop
 * ends instead of spinning. The TUI borrows the bench; it owns only its screen. */
#ifndef BT_UI_TUI_H
#define BT_UI_TUI_H

#include <stdbool.h>

struct bt_bench;

struct bt_tui_opts {
	double max_seconds; /* > 0: quit after this long (tests, like htop's -n) */
	bool no_color;      /* also when NO_COLOR is set in the environment */
	bool ascii;         /* force the ASCII fallback */
};

enum bt_tui_end {
	BT_TUI_QUIT = 0,     /* the technician quit, or max_seconds passed */
	BT_TUI_TERM_GONE,    /* the terminal went away */
	BT_TUI_SIGNAL,       /* SIGINT/SIGTERM/SIGHUP */
	BT_TUI_NO_TERMINAL   /* curses could not start (bad TERM) */
};

enum bt_tui_end bt_tui_run(struct bt_bench *b, const struct bt_tui_opts *o);

#endif
