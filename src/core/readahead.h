/* readahead.h — reads a file on a second thread, a few chunks ahead of its consumer.
 *
 * The file is read() in chunks of BT_READAHEAD_CHUNK bytes (not mapped: a log truncated by
 * its writer while mapped would end the process with SIGBUS). The
 * next chunks are prepared on the second thread while the consumer works on this one. Memory
 * is fixed: four chunks, whatever the file size. When no thread can be started the work
 * happens in the caller's thread, with the same results.
 *
 * Ownership: the reader owns its buffers; a chunk returned by next() is valid until the next
 * call to next() or close(). Nothing here prints. */
#ifndef BT_CORE_READAHEAD_H
#define BT_CORE_READAHEAD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define BT_READAHEAD_CHUNK ((size_t)256 * 1024)

struct bt_readahead; /* opaque */

/* Opens path for reading ("-": standard input); NULL with errno set when it cannot be opened. */
struct bt_readahead *bt_readahead_open(const char *path);
/* Same, and the reading thread also lists where each chunk's lines end (LF and CR offsets,
 * core/eol.h), so the consumer does not look for them itself. */
struct bt_readahead *bt_readahead_open_lines(const char *path);
/* The next chunk in *buf: its length (> 0), 0 at the end of the file, or -1 with errno set
 * on a read error (then and after the end, every further call says the same). */
ssize_t bt_readahead_next(struct bt_readahead *ra, const char **buf);
/* next() with the line ends of the chunk (open_lines only, else *nends = 0 and *upto = 0):
 * ends[0..nends) are the offsets of every LF and CR in [0, upto), ascending; the bytes from
 * upto on (a chunk with very many short lines) are not listed. Valid as long as the chunk. */
ssize_t bt_readahead_next_lines(struct bt_readahead *ra, const char **buf, const uint32_t **ends,
				size_t *nends, size_t *upto);
/* One chunk as next_chunk() gives it. */
struct bt_ra_chunk {
	const char *buf;
	size_t len;
	const uint32_t *ends; /* as next_lines() */
	size_t nends;
	size_t upto;
	int esc; /* open_lines only: nonzero when the chunk holds an ESC byte (0x1B) */
};
/* next_lines() with the chunk in *c. */
ssize_t bt_readahead_next_chunk(struct bt_readahead *ra, struct bt_ra_chunk *c);
/* Stops the reading thread, closes the file, frees everything. NULL is fine. */
void bt_readahead_close(struct bt_readahead *ra);

#endif
