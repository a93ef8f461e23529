/* recording.h — the recovery session file (docs/recording-format.md): read and write.
 *
 * A line-oriented text file, first line "benchtriage-recovery 1". The parser bounds every
 * line (BT_REC_LINE_MAX) and every field (session.h caps), refuses newer format versions, and
 * reports the first problem as "file:line: message". The writer produces what the parser
 * reads back unchanged. Nothing here prints; the caller owns the session. */
#ifndef BT_PROBES_RECOVERY_RECORDING_H
#define BT_PROBES_RECOVERY_RECORDING_H

#include <stddef.h>
#include <stdio.h>

#include "recovery/session.h"

#define BT_REC_LINE_MAX 1024 /* bytes of one line; a longer line is an error */
#define BT_REC_FILE_MAX (4L * 1024 * 1024) /* a recording larger than this is refused */

/* Parses len bytes named `name` (for messages) into s, which should be fresh.
 * BT_OK or BT_ERR_DATA with errbuf "name:line: message". */
int bt_rec_parse_buffer(const char *name, const char *buf, size_t len,
			struct bt_rec_session *s, char *errbuf, size_t errlen);
/* Same for a file: BT_ERR_IO (errbuf "path: strerror") when it cannot be read. */
int bt_rec_parse_file(const char *path, struct bt_rec_session *s, char *errbuf, size_t errlen);

/* Writes s in the current format. BT_OK or BT_ERR_IO. */
int bt_rec_write(FILE *out, const struct bt_rec_session *s);
/* Writes to path (replaced atomically through path.tmp). BT_OK or BT_ERR_IO with errbuf. */
int bt_rec_save(const char *path, const struct bt_rec_session *s, char *errbuf, size_t errlen);

#endif
