/* libFuzzer target: the recovery recording parser, then the interpretation and the writer on
 * whatever it accepted (a parsed session must always write and read back). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/evidence.h"
#include "recovery/interpret.h"
#include "recovery/recording.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool no_board(void *user, unsigned cpid, unsigned bdid, struct bt_rec_board *out)
{
	(void)user;
	if ((cpid ^ bdid) & 1)
		return false;
	snprintf(out->name, sizeof out->name, "b%04x", cpid & 0xFFFF);
	out->source = "fuzz";
	return true;
}

static const char *any_subsystem(void *user, const char *step)
{
	(void)user;
	return strlen(step) % 2 ? "storage" : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct bt_rec_resolver r = { no_board, any_subsystem, NULL };
	struct bt_rec_session *s = bt_rec_session_new();
	char err[256];
	if (bt_rec_parse_buffer("fuzz", (const char *)data, size, s, err, sizeof err) == BT_OK) {
		struct bt_evset *set = bt_evset_new();
		bt_rec_evidence(s, &r, "fuzz", set);
		for (size_t i = 0; i < s->nenv; i++) {
			char note[256];
			bt_rec_env_note(&s->env[i], &r, note, sizeof note);
		}
		bt_evset_free(set);
		/* Round trip: what was accepted must be written in a form the parser accepts. */
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		if (f) {
			bt_rec_write(f, s);
			fclose(f);
			struct bt_rec_session *b = bt_rec_session_new();
			if (bt_rec_parse_buffer("rt", buf, len, b, err, sizeof err) != BT_OK ||
			    b->nenv != s->nenv || b->nevents != s->nevents) {
				fprintf(stderr, "round trip failed: %s\n", err);
				abort();
			}
			bt_rec_session_free(b);
			free(buf);
		}
	} else if (!strchr(err, ':')) {
		abort(); /* every refusal names where */
	}
	bt_rec_session_free(s);
	return 0;
}
