/* views.h — the dashboard's view models: each pane drawn into a canvas region from plain
 * data (evidence, the restore summary, a current series, a diagnosis, a guided run).
 *
 * Pure: no curses, no clock, no I/O, so every pane can be checked in a unit test by reading
 * the canvas back as text. Views borrow what they are given for the duration of the call. */
#ifndef BT_GUIDED_VIEWS_H
#define BT_GUIDED_VIEWS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/evidence.h"
#include "engine/engine.h"
#include "guided/canvas.h"
#include "guided/guided.h"
#include "guided/lines.h"
#include "logs/logscan.h"

struct bt_rect {
	int x, y, w, h;
};

/* ---- a current series: (time, mA) points, oldest dropped in halves when full ---------- */
struct bt_series {
	double *t, *ma;
	size_t n, cap;
};
void bt_series_init(struct bt_series *s, size_t cap); /* cap >= 16 */
void bt_series_done(struct bt_series *s);
void bt_series_clear(struct bt_series *s);
void bt_series_push(struct bt_series *s, double t, double ma);

/* A restore checkpoint on the chart's time axis. */
struct bt_mark {
	double t;
	char label[48];
	bool failed;
};

/* ---- pane inputs -------------------------------------------------------------------- */
struct bt_phone_in {
	const struct bt_evset *ev;  /* iboot.*, device.* keys; NULL when no device */
	bool simulated;
	const char *status;         /* "waiting for a device", "replaying recording X", ... */
	int scroll;                 /* first env row shown */
};

struct bt_restore_in {
	const struct bt_restore *r; /* NULL before any line */
	const struct bt_lines *lines;
	const char *source;         /* file name or command */
	const char *attempt;        /* "attempt A", ... or NULL */
	bool simulated;
	bool live;                  /* still being written */
	long scroll;                /* lines up from the newest; 0 = follow */
	const char *search;         /* highlighted text, or NULL */
	long search_hit;            /* ring index of the current hit, -1 none */
};

struct bt_chart_in {
	const struct bt_series *s;
	const struct bt_mark *marks;
	size_t nmarks;
	double window_s;            /* seconds shown (the newest) */
	double now_s;               /* right edge */
	double rate_hz;             /* measured sample rate, < 0 unknown */
	double resolution_ma;       /* < 0 unknown */
	const char *source;         /* "Korad KA3005P on /dev/ttyUSB0", ... */
	const char *pattern;        /* supply.pattern or NULL */
	bool simulated;
};

struct bt_diag_in {
	const struct bt_diagnosis *d; /* NULL before the first run */
	size_t cursor;              /* selected hypothesis */
	bool why;                   /* show the contributions of the selected one */
	const char *board;          /* board title or NULL */
};

/* Each returns nothing; it draws inside the rect (border included) with the given title role
 * (BT_ROLE_FOCUS for the pane with the focus). */
void bt_view_phone(struct bt_canvas *c, struct bt_rect r, enum bt_role title,
		   const struct bt_phone_in *in);
void bt_view_restore(struct bt_canvas *c, struct bt_rect r, enum bt_role title,
		     const struct bt_restore_in *in);
void bt_view_chart(struct bt_canvas *c, struct bt_rect r, enum bt_role title,
		   const struct bt_chart_in *in);
void bt_view_diagnosis(struct bt_canvas *c, struct bt_rect r, enum bt_role title,
		       const struct bt_diag_in *in);
/* The guided-test panel: safety notes, steps, A|B side by side, the proposal. */
void bt_view_guided(struct bt_canvas *c, struct bt_rect r, const struct bt_guided *g,
		    const struct bt_attempt *live);
/* The list of tests to start (ranked next tests first), cursor on `sel`. */
void bt_view_test_menu(struct bt_canvas *c, struct bt_rect r, const char *const *ids,
		       const char *const *titles, const char *const *risks, size_t n, size_t sel);
/* Help: the key table as "key  what it does" rows. */
void bt_view_help(struct bt_canvas *c, struct bt_rect r, const char *const *keys,
		  const char *const *what, size_t n);

/* What an iBoot variable means, one short line; NULL when we know nothing about it. */
const char *bt_iboot_var_meaning(const char *name);

/* Scales a value for the chart's y axis: the smallest "nice" ceiling (1, 2, 5 x 10^k)
 * at or above v (v <= 0 gives 1). */
double bt_nice_ceiling(double v);

#endif
