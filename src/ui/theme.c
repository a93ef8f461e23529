/* theme.c — roles to attributes. Views never name a colour. */
#include "ui/theme.h"

#include <stdlib.h>

static attr_t attrs[BT_ROLE_COUNT];
static short pairs[BT_ROLE_COUNT];

/* Monochrome: meaning through bold, reverse, underline and dim only. */
static const attr_t mono[BT_ROLE_COUNT] = {
	[BT_ROLE_NORMAL] = A_NORMAL,
	[BT_ROLE_DIM] = A_DIM,
	[BT_ROLE_BORDER] = A_NORMAL,
	[BT_ROLE_TITLE] = A_BOLD,
	[BT_ROLE_FOCUS] = A_BOLD | A_REVERSE,
	[BT_ROLE_SIM] = A_BOLD | A_REVERSE,
	[BT_ROLE_OK] = A_NORMAL,
	[BT_ROLE_WARN] = A_BOLD,
	[BT_ROLE_BAD] = A_BOLD | A_UNDERLINE,
	[BT_ROLE_SELECT] = A_REVERSE,
	[BT_ROLE_BAR] = A_NORMAL,
	[BT_ROLE_CHART] = A_NORMAL,
	[BT_ROLE_MARK] = A_BOLD,
	[BT_ROLE_MATCH] = A_REVERSE | A_UNDERLINE,
	[BT_ROLE_STATUS] = A_REVERSE,
};

struct colour {
	short fg, bg;
	attr_t extra;
};

static const struct colour colours[BT_ROLE_COUNT] = {
	[BT_ROLE_NORMAL] = { -1, -1, A_NORMAL },
	[BT_ROLE_DIM] = { -1, -1, A_DIM },
	[BT_ROLE_BORDER] = { COLOR_BLUE, -1, A_NORMAL },
	[BT_ROLE_TITLE] = { -1, -1, A_BOLD },
	[BT_ROLE_FOCUS] = { COLOR_YELLOW, -1, A_BOLD },
	[BT_ROLE_SIM] = { COLOR_BLACK, COLOR_YELLOW, A_BOLD },
	[BT_ROLE_OK] = { COLOR_GREEN, -1, A_NORMAL },
	[BT_ROLE_WARN] = { COLOR_YELLOW, -1, A_BOLD },
	[BT_ROLE_BAD] = { COLOR_RED, -1, A_BOLD },
	[BT_ROLE_SELECT] = { -1, -1, A_REVERSE },
	[BT_ROLE_BAR] = { COLOR_CYAN, -1, A_NORMAL },
	[BT_ROLE_CHART] = { COLOR_GREEN, -1, A_NORMAL },
	[BT_ROLE_MARK] = { COLOR_MAGENTA, -1, A_BOLD },
	[BT_ROLE_MATCH] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL },
	[BT_ROLE_STATUS] = { -1, -1, A_REVERSE },
};

bool bt_theme_init(bool no_color)
{
	const char *nc = getenv("NO_COLOR");
	bool colour = !no_color && !(nc && *nc) && has_colors() && start_color() == OK;
	if (colour)
		use_default_colors();
	for (int r = 0; r < BT_ROLE_COUNT; r++) {
		pairs[r] = 0;
		if (!colour) {
			attrs[r] = mono[r];
			continue;
		}
		attrs[r] = colours[r].extra;
		if (colours[r].fg >= 0 || colours[r].bg >= 0) {
			short p = (short)(r + 1);
			if (init_pair(p, colours[r].fg, colours[r].bg) == OK)
				pairs[r] = p;
			else
				attrs[r] = mono[r];
		}
	}
	return colour;
}

attr_t bt_theme_attr(enum bt_role r)
{
	return (unsigned)r < BT_ROLE_COUNT ? attrs[r] : A_NORMAL;
}

short bt_theme_pair(enum bt_role r)
{
	return (unsigned)r < BT_ROLE_COUNT ? pairs[r] : 0;
}
