/* textdec.h — the text of a log, whatever Windows saved it as, turned into UTF-8.
 *
 * Windows PowerShell 5 writes `tool > log.txt` and `Out-File` as UTF-16LE with a BOM, and
 * Notepad or Excel may save "Unicode" text; editors add a UTF-8 BOM. Every parser above this
 * works on UTF-8 lines, so a stream's first bytes decide: a UTF-8 BOM (dropped), a UTF-16 BOM
 * (LE or BE), or, without a BOM, NULs in every other byte (UTF-16 whose BOM was cut off, e.g.
 * a followed file read from its end). Anything else passes through untouched, bytes that are
 * not UTF-8 included.
 *
 * Ownership: the decoder owns nothing of the caller's; bt_textdec_free releases it. It holds at
 * most 32 bytes of input between calls (a start with NULs that does not say enough yet, an odd
 * byte, a high surrogate); a start without NULs is decided after 4 bytes. */
#ifndef BT_CORE_TEXTDEC_H
#define BT_CORE_TEXTDEC_H

#include <stdbool.h>
#include <stddef.h>

enum bt_textenc { BT_ENC_UNDECIDED, BT_ENC_UTF8, BT_ENC_UTF16LE, BT_ENC_UTF16BE };

/* Room run() and finish() need at the least in `out`. */
#define BT_TEXTDEC_MIN_OUT 64

struct bt_textdec; /* opaque */

struct bt_textdec *bt_textdec_new(void);
void bt_textdec_free(struct bt_textdec *d);
/* A new stream: the next bytes are its start again. */
void bt_textdec_reset(struct bt_textdec *d);
enum bt_textenc bt_textdec_encoding(const struct bt_textdec *d);
/* True when the stream is UTF-8 and nothing is held: the caller may use its bytes as they are
 * (and skip run()) until the next reset. */
bool bt_textdec_raw(const struct bt_textdec *d);
/* Decodes from in[0..n) into out[0..cap) (cap >= BT_TEXTDEC_MIN_OUT); *used says how much of
 * `in` was taken. Returns the bytes written. Call again with the rest while *used < n. */
size_t bt_textdec_run(struct bt_textdec *d, const char *in, size_t n, size_t *used, char *out,
		      size_t cap);
/* run() over all of in[0..n), handing each decoded piece (at most 4 KiB, in a buffer of its
 * own, valid during the call) to sink; stops at the first non-zero return and gives it back. */
typedef int (*bt_textdec_sink)(void *user, const char *buf, size_t len);
int bt_textdec_pour(struct bt_textdec *d, const char *in, size_t n, bt_textdec_sink sink,
		    void *user);
/* End of the stream: writes what is still held (an undecided start, U+FFFD for a cut code
 * unit or a lone surrogate). cap >= BT_TEXTDEC_MIN_OUT. */
size_t bt_textdec_finish(struct bt_textdec *d, char *out, size_t cap);
/* Name of an encoding for messages ("UTF-16LE"). */
const char *bt_textenc_name(enum bt_textenc e);

#endif
