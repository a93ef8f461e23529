/* board.h — board profiles (boards/NAME.ini), read with libinih and checked against a schema.
 *
 * A profile holds a board's identity (name, product types, board configs, CPID, BDID), family
 * tags, priors, rules, guided tests, symptoms and expected current levels, every fact with its
 * source. boards/common.ini holds rules for every board. The set owns everything it loaded;
 * pointers stay valid until bt_boards_free. Nothing here prints: problems come back as
 * "file:line: message" diagnostics. */
#ifndef BT_ENGINE_BOARD_H
#define BT_ENGINE_BOARD_H

#include <stdbool.h>
#include <stddef.h>

struct bt_board;  /* opaque: one profile */
struct bt_boards; /* opaque: the loaded set, including common rules */

/* Diagnostics of a load: each "file:line: message". */
struct bt_board_diags {
	size_t count;
	char **msgs; /* owned by the struct; bt_board_diags_done frees */
};
void bt_board_diags_done(struct bt_board_diags *d);

struct bt_boards *bt_boards_new(void);
void bt_boards_free(struct bt_boards *set);
/* Loads one file into the set. BT_OK, BT_ERR_IO (unreadable) or BT_ERR_DATA (diags say why). */
int bt_boards_load_file(struct bt_boards *set, const char *path, struct bt_board_diags *diags);
/* Loads every *.ini of a directory (sorted). */
int bt_boards_load_dir(struct bt_boards *set, const char *dir, struct bt_board_diags *diags);
/* Loads the default directories: $BENCHTRIAGE_BOARDS, else boards/ beside the executable or
 * the current directory, then the technician's own ($BENCHTRIAGE_HOME/boards). */
int bt_boards_load_default(struct bt_boards *set, struct bt_board_diags *diags);

size_t bt_boards_count(const struct bt_boards *set);
const struct bt_board *bt_boards_at(const struct bt_boards *set, size_t i);
/* By profile name, board config ("d10ap", case-insensitive, "ap" optional) or product type. */
const struct bt_board *bt_boards_find(const struct bt_boards *set, const char *what);
const struct bt_board *bt_boards_find_chip(const struct bt_boards *set, unsigned cpid, unsigned bdid);

const char *bt_board_name(const struct bt_board *b);         /* e.g. "iphone7" */
const char *bt_board_title(const struct bt_board *b);        /* e.g. "iPhone 7 / 7 Plus" */
bool bt_board_has_tag(const struct bt_board *b, const char *tag); /* "faceid", "modem:intel" */
/* Product type / marketing name for a (cpid, bdid) of this board, NULL if not listed. */
const char *bt_board_product_for_chip(const struct bt_board *b, unsigned cpid, unsigned bdid);

#endif
