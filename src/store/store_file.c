/* store_file.c — whole-file read and write with caps and clear errors. */
#include "store/store_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/xalloc.h"

int bt_read_file(const char *path, size_t cap, char **out, size_t *len, char *errbuf,
		 size_t errlen)
{
	*out = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return BT_ERR_IO;
	}
	size_t alloc = 4096, n = 0;
	char *buf = bt_xmalloc(alloc + 1);
	for (;;) {
		if (n == alloc) {
			if (alloc >= cap + 1) {
				snprintf(errbuf, errlen, "%s: larger than %zu bytes", path, cap);
				free(buf);
				fclose(f);
				return BT_ERR_DATA;
			}
			alloc = alloc * 2 > cap + 1 ? cap + 1 : alloc * 2;
			buf = bt_xrealloc(buf, alloc + 1);
		}
		size_t got = fread(buf + n, 1, alloc - n, f);
		n += got;
		if (got == 0)
			break;
	}
	int bad = ferror(f);
	int saved = errno;
	fclose(f);
	if (bad) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(saved));
		free(buf);
		return BT_ERR_IO;
	}
	if (n > cap) {
		snprintf(errbuf, errlen, "%s: larger than %zu bytes", path, cap);
		free(buf);
		return BT_ERR_DATA;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return BT_OK;
}

int bt_write_file(const char *path, const char *data, size_t len, char *errbuf, size_t errlen)
{
	FILE *f = fopen(path, "wb");
	if (!f) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return BT_ERR_IO;
	}
	size_t put = len ? fwrite(data, 1, len, f) : 0;
	int saved = errno;
	int bad = put != len || fflush(f) != 0;
	if (!bad)
		saved = errno;
	if (fclose(f) != 0 && !bad) {
		bad = 1;
		saved = errno;
	}
	if (bad) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(saved));
		unlink(path);
		return BT_ERR_IO;
	}
	return BT_OK;
}
