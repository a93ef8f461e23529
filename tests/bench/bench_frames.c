/* bench_frames — the floor under `analyze`: the file read and split into lines exactly as
 * the analyser does it (core/readahead.c on its second thread, the line ends it lists, the
 * rest found with core/eol.h), every line's first and last byte touched, and nothing else.
 *
 * No analysis can take less time than this on the same file, so tests/bench/run.sh prints it
 * beside grep: it says how much of the gap to grep is reading every line at all, and how
 * much is what the scanner does with each line. Prints the line count on stdout. */
#include <stdint.h>
#include <stdio.h>

#include "core/eol.h"
#include "core/readahead.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bench_frames FILE\n");
		return 2;
	}
	struct bt_readahead *ra = bt_readahead_open_lines(argv[1]);
	if (!ra) {
		perror(argv[1]);
		return 1;
	}
	unsigned long lines = 0, touched = 0;
	for (;;) {
		struct bt_ra_chunk c;
		ssize_t got = bt_readahead_next_chunk(ra, &c);
		if (got <= 0) {
			if (got < 0)
				perror(argv[1]);
			break;
		}
		size_t p = 0;
		/* the scanner reads the last byte of each line first (trailing blanks), then the first */
		for (size_t i = 0; i < c.nends; i++) {
			size_t e = c.ends[i];
			if (e > p)
				touched += (unsigned char)c.buf[e - 1] + (unsigned char)c.buf[p];
			p = e + 1;
			lines++;
		}
		if (c.upto < c.len) {
			struct bt_eol eol;
			bt_eol_init(&eol, c.buf + c.upto, c.len - c.upto);
			for (size_t e; (e = bt_eol_next(&eol)) != c.len - c.upto;) {
				if (c.upto + e > p)
					touched += (unsigned char)c.buf[c.upto + e - 1] + (unsigned char)c.buf[p];
				p = c.upto + e + 1;
				lines++;
			}
		}
	}
	bt_readahead_close(ra);
	/* the byte sum is printed so the compiler cannot drop the touches */
	printf("%lu line ends (%lu)\n", lines, touched % 1000);
	return 0;
}
