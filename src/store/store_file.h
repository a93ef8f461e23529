/* store_file.h — small file helpers for the store and packs: read a whole file with a cap,
 * write a buffer to a file. Errors come back as "path: reason" in errbuf. */
#ifndef BT_STORE_STORE_FILE_H
#define BT_STORE_STORE_FILE_H

#include <stddef.h>

/* Reads up to cap bytes (more is an error: BT_ERR_DATA). *out is NUL-terminated, caller frees.
 * BT_ERR_IO when unreadable. */
int bt_read_file(const char *path, size_t cap, char **out, size_t *len, char *errbuf,
		 size_t errlen);
/* Creates/truncates path and writes len bytes; BT_ERR_IO on failure (a partial file is removed). */
int bt_write_file(const char *path, const char *data, size_t len, char *errbuf, size_t errlen);

#endif
