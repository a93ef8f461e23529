/* canvas.h — a plain grid of cells (a code point and a semantic role each) that the view
 * models draw into and the curses layer copies to the screen (htop's RichString idea).
 *
 * Views never name a colour: they name a role, and ui/theme maps roles to attributes
 * (monochrome and NO_COLOR included). One cell is one column; text is UTF-8 in, decoded
 * here; control characters and bytes that are not valid UTF-8 become '?'. The canvas owns
 * its cells. Pure: no curses. */
#ifndef BT_GUIDED_CANVAS_H
#define BT_GUIDED_CANVAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum bt_role {
	BT_ROLE_NORMAL = 0,
	BT_ROLE_DIM,        /* secondary text, unknown values */
	BT_ROLE_BORDER,
	BT_ROLE_TITLE,      /* pane title */
	BT_ROLE_FOCUS,      /* title of the pane with the focus */
	BT_ROLE_SIM,        /* the SIMULATED marker */
	BT_ROLE_OK,         /* passed, normal */
	BT_ROLE_WARN,       /* risk, safety notes */
	BT_ROLE_BAD,        /* failing step, fault */
	BT_ROLE_SELECT,     /* cursor row */
	BT_ROLE_BAR,        /* hypothesis bars */
	BT_ROLE_CHART,      /* current trace */
	BT_ROLE_MARK,       /* checkpoint markers on the chart */
	BT_ROLE_MATCH,      /* search match */
	BT_ROLE_STATUS,     /* bottom status line */
	BT_ROLE_COUNT
};

struct bt_canvas {
	int w, h;
	uint32_t *ch;        /* w*h code points */
	unsigned char *role; /* w*h roles */
};

/* w, h clamped to [1, 1000]. */
void bt_canvas_init(struct bt_canvas *c, int w, int h);
void bt_canvas_done(struct bt_canvas *c);
void bt_canvas_resize(struct bt_canvas *c, int w, int h); /* clears */
void bt_canvas_clear(struct bt_canvas *c);

uint32_t bt_canvas_at(const struct bt_canvas *c, int x, int y);      /* 0 outside */
enum bt_role bt_canvas_role(const struct bt_canvas *c, int x, int y);
void bt_canvas_set(struct bt_canvas *c, int x, int y, uint32_t cp, enum bt_role r);
/* Writes UTF-8 text from (x, y), at most maxw columns (clipped to the canvas); returns the
 * columns written. */
int bt_canvas_text(struct bt_canvas *c, int x, int y, int maxw, enum bt_role r, const char *s);
int bt_canvas_printf(struct bt_canvas *c, int x, int y, int maxw, enum bt_role r,
		     const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void bt_canvas_fill(struct bt_canvas *c, int x, int y, int w, int h, uint32_t cp, enum bt_role r);
/* Sets the role of a run of cells, keeping their characters (cursor rows, highlights). */
void bt_canvas_paint(struct bt_canvas *c, int x, int y, int w, enum bt_role r);
/* A box with a title on its top edge. */
void bt_canvas_box(struct bt_canvas *c, int x, int y, int w, int h, enum bt_role border,
		   const char *title, enum bt_role title_role);
/* A horizontal bar of frac (0..1) over w cells, in eighths when UTF-8 is drawn. */
void bt_canvas_hbar(struct bt_canvas *c, int x, int y, int w, double frac, enum bt_role r);
/* Row y as UTF-8 (for tests and the text dump); buf gets at most cap-1 bytes. */
size_t bt_canvas_row(const struct bt_canvas *c, int y, char *buf, size_t cap);
/* True when some row contains the text. */
bool bt_canvas_contains(const struct bt_canvas *c, const char *needle);

/* The ASCII stand-in for a code point (box drawing, blocks, arrows, bullets); the code point
 * itself when it is ASCII; '?' for anything else. */
char bt_ascii_fallback(uint32_t cp);

/* Encodes one code point as UTF-8 into out (4 bytes + NUL); returns the length. */
size_t bt_utf8_encode(uint32_t cp, char out[5]);

#endif
