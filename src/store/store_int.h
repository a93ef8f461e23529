/* store_int.h — internals shared by the store's own files (store.c, store_read.c); nobody
 * else includes this. */
#ifndef BT_STORE_STORE_INT_H
#define BT_STORE_STORE_INT_H

#include <limits.h>
#include <sqlite3.h>

#include "store/store.h"

struct bt_store {
	sqlite3 *db;
	char path[PATH_MAX];
	char err[PATH_MAX + 512];
};

/* Unix time now, in seconds. */
double bt_store_now(void);
/* Records a SQLite failure in st->err ("path: what: reason") and returns the bt_err for it. */
int bt_store_fail(struct bt_store *st, int rc, const char *what);
/* One statement with bound arguments (types as in store.c bind_va); autocommits. */
int bt_store_exec(struct bt_store *st, const char *what, const char *sql, const char *types, ...);
int bt_store_begin(struct bt_store *st);
/* Commits when err is BT_OK, else rolls back; returns the final status. */
int bt_store_commit(struct bt_store *st, int err);

#endif
