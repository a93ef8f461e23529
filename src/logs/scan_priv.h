/* scan_priv.h — the scanner's state, shared by the files of src/logs/ that parse lines.
 *
 * Private to src/logs: logscan.c (dispatch, feeding, verdict, evidence),
 * scan_line.c (escapes, trimming, prefixes, timestamps), scan_stamp.c (dates other programs put
 * in front of the tool's lines), scan_state.c (remembered lines, candidates,
 * timeline), scan_device.c (restored device log),
 * scan_host.c (idevicerestore / futurerestore / 3uTools host lines), scan_mobiledevice.c
 * (iTunes, Finder, Configurator, iMazing) and scan_pmd3.c (pymobiledevice3). Line handlers
 * take a (pointer, length) view of the line after its prefix; views are not NUL-terminated.
 * Nothing here allocates. */
#ifndef BT_LOGS_SCAN_PRIV_H
#define BT_LOGS_SCAN_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/textdec.h"
#include "logs/lex.h"
#include "logs/logscan.h"
#include "logs/steps.h"

#define LS_CAP 4096      /* bytes of one line that are examined; the rest is skipped */
#define LS_STEPS 64      /* timeline entries kept (newest) */
#define LS_ERRORS 16     /* error lines kept (newest) */
#define LS_ERR_LEN 240
#define LS_NAME 48
#define LS_EXC 400       /* excerpt kept per remembered line (BT_EVIDENCE_EXCERPT_MAX) */
#define LS_NAMES 32      /* id -> name pairs remembered from restore-step-names */

/* Log families. FAM_ITUNES..FAM_WRAPPER stay contiguous: their lines are counted by prefix. */
enum fam {
	FAM_NONE, FAM_IDR, FAM_FR, FAM_RESTORED, FAM_ITUNES, FAM_CONFIG, FAM_3U, FAM_WRAPPER,
	FAM_USBMUXD, FAM_PMD3, FAM_COUNT
};

/* Recognised signatures: evidence key restore.signature.<id>. */
enum sig {
	SIG_USB_READ, SIG_USB_TRANSFER, SIG_BB_TRANSPORT, SIG_FDR_PROXY, SIG_ASR_NO_SPACE,
	SIG_ASR_CHECKSUM, SIG_TSS_NETWORK, SIG_TSS_REFUSED, SIG_HOST_QUIT, SIG_NVRAM_FULL,
	SIG_FDR_TRUST, SIG_IMG4, SIG_DFU_TRANSITION, SIG_DEVICE_SILENT, SIG_DEVICE_PANIC,
	SIG_PANIC_STORAGE, SIG_FDR_SERVER, SIG_HOST_CRASH, SIG_FSCK, SIG_ASR_STREAM, SIG_HOST_PREP,
	SIG_UPDATER_UNKNOWN, SIG_COUNT
};

/* A remembered line: where it was and what it said. */
struct mark {
	bool set;
	const char *source;
	long line;
	double t;
	enum fam fam;
	bool raw;          /* text is a raw copy, cleaned (UTF-8, control bytes) when read */
	size_t len;
	const char *pending; /* the line, not copied yet: valid until bt_ls_marks_keep */
	char text[LS_EXC];
};

/* A candidate for the failing step. */
struct cand {
	bool set;
	signed char parent; /* name is a parent step: -1 not looked up yet, 0, 1 */
	int id;             /* -1 when the log did not print one */
	char name[LS_NAME];
	long result;
	struct mark m;
};

struct tl_entry {
	struct bt_step s;
	char name[LS_NAME];
};

struct srcname {
	struct srcname *next;
	char name[];
};

/* Every struct mark and struct cand in here is listed in bt_ls_marks_keep (scan_state.c). */
struct bt_logscan {
	/* sources (names live until free: steps and evidence point at them) */
	struct srcname *sources;
	const char *src;
	/* splitting raw bytes */
	char carry[LS_CAP];
	char plain[LS_CAP];   /* a line with its terminal escape sequences removed */
	size_t carry_len;
	bool carry_over;
	bool after_cr;
	bool in_stamp;           /* scanning what follows another program's stamp (scan_stamp.c) */
	struct bt_textdec *dec;  /* per source: UTF-16 or a BOM decoded before splitting */
	long lineno;
	/* current line */
	long cur_line;
	const char *raw;
	size_t raw_n;
	double cur_t;
	double last_t;           /* time of the last stamped line, < 0 before the first */
	bool have_t0;
	double t0;
	/* per source */
	bool configurator;       /* Apple Configurator / AMPDevicesAgent lines seen */
	long fam_count[FAM_COUNT];
	/* what was seen */
	bool seen_restore;
	int verdict;             /* 0, BT_OUTCOME_FAILED or BT_OUTCOME_SUCCEEDED */
	struct mark verdict_m;
	bool done_seen;
	bool prev_log;           /* inside a "Previous Restore Log Received:" block */
	bool cferror;            /* inside a device "restore failed with CFError:" list */
	bool panic_next;         /* the line after "Panic log is available:" is the panic */
	bool thread_exc;         /* "Exception in thread": the next Python traceback is not the tool's end */
	char entered[LS_NAME];   /* the last step an old ramdisk said it entered ("" none) */
	bool itunes_named;       /* an "iTunes:" line: MobileDevice lines are iTunes', not Configurator's */
	bool cf_first;           /* the CFError list set dev_first (a deeper entry may refine it) */
	char map_key[32];        /* "restore-step-names =" whose value is on the next line */
	bool boot_sent;          /* this run sent iBSS or iBEC ("Sending iBEC (N bytes)...") */
	enum { EXPECT_NONE, EXPECT_HW_VALUE, EXPECT_RUN } expect; /* what the next line may be:
				  * a plist key's value, the run futurerestore's banner started */
	int printed_ids[16];     /* ids the device printed in restore-step-names (ring) */
	size_t nprinted;
	const struct bt_step_info *cf_best; /* deepest step the CFError list named so far */
	struct mark prev_log_m;
	struct mark done_m;      /* the DONE line */
	struct mark exit_m;      /* a wrapper's "Code: 255": the tool's non-zero exit status */
	struct cand dev_first;   /* first non-retry device FAILURE (or error record) */
	struct cand dev_root;    /* the one tagged (first failure) */
	struct cand recent;      /* newest device failure line or error record */
	struct cand host_fail;   /* host checkpoint failing (non-zero result, not cleanup) */
	struct cand host_text;   /* step named in the text of a 0x648 FAILURE */
	struct cand own_err;     /* a step's own error line (updater, IMMED_RETRY) */
	struct cand phase;       /* what the host was doing last (progress, data transfer) */
	long phase_err_line;     /* line of the error that set phase (its callers' errors follow) */
	bool host_quit;
	bool has_status_text;
	long status_text;
	struct mark status_m;
	bool has_dev_status;
	long dev_status;
	struct mark dev_status_m;
	bool has_am_status;
	long am_status;
	struct mark am_status_m;
	long host_error;
	struct mark host_error_m;
	int op;
	struct mark op_m;
	char product[32];
	struct mark product_m;
	bool product_identified;
	long hw_cpid, hw_bdid;   /* idevicerestore "Hardware Information:" ids, -1 until seen */
	uint64_t ecid;           /* the phone's "Found ECID", 0 until seen */
	long ecid_line;          /* where it was printed */
	const char *ecid_src;
	char board[32];
	struct mark board_m;
	char nand_service[64];
	struct mark nand_m;
	char dev_outcome[48];
	struct mark dev_outcome_m;
	char prev_exit[32];
	struct mark prev_exit_m;
	struct mark sig[SIG_COUNT];
	struct { int id; char name[LS_NAME]; } names[LS_NAMES];
	size_t nnames;
	/* bounded timeline and errors (rings) */
	struct tl_entry tl[LS_STEPS];
	size_t tl_head, tl_len;
	char errs[LS_ERRORS][LS_ERR_LEN];
	size_t err_lens[LS_ERRORS];        /* raw length until cleaned, 0 once clean */
	size_t err_head, err_len;
	bool marks_pending;      /* some mark still points at a line of the current buffer */
	/* the result, rebuilt on demand */
	struct bt_restore res;
	struct bt_step out_steps[LS_STEPS];
	char out_names[LS_STEPS][LS_NAME];
	const char *out_errs[LS_ERRORS];
	char res_failed_name[LS_NAME];
};

/* s[0..n) starts with lit[0..k). Called with literals through STARTS, so k is a constant
 * and this compiles to one or two word compares: most tests fail on the first word, without
 * a call to memcmp. Words are read with memcpy (no alignment or aliasing assumptions). */
static inline bool ls_starts(const char *s, size_t n, const char *lit, size_t k)
{
	if (n < k)
		return false;
	if (k >= 8) {
		size_t i = 0;
		uint64_t a, b;
		for (; i + 8 <= k; i += 8) {
			memcpy(&a, s + i, 8);
			memcpy(&b, lit + i, 8);
			if (a != b)
				return false;
		}
		if (i == k)
			return true;
		memcpy(&a, s + k - 8, 8); /* the last 8 bytes, overlapping the word before */
		memcpy(&b, lit + k - 8, 8);
		return a == b;
	}
	if (k >= 4) {
		uint32_t a, b, c, d;
		memcpy(&a, s, 4);
		memcpy(&b, lit, 4);
		memcpy(&c, s + k - 4, 4);
		memcpy(&d, lit + k - 4, 4);
		return a == b && c == d;
	}
	for (size_t i = 0; i < k; i++)
		if (s[i] != lit[i])
			return false;
	return true;
}

/* Skips lit[0..k) at the cursor if it is there (bt_lex_eat without the strlen). */
static inline bool ls_eat(struct bt_lex *x, const char *lit, size_t k)
{
	if (!ls_starts(x->s, x->n, lit, k))
		return false;
	x->s += k;
	x->n -= k;
	return true;
}

/* bt_lex_u64 with the plain decimal case inline (checkpoint ids, codes); anything else,
 * hex included, goes to bt_lex_u64. Same results. */
static inline bool ls_u64(struct bt_lex *x, uint64_t *out)
{
	const char *s = x->s;
	size_t n = x->n;
	if (n == 0 || (unsigned)(unsigned char)s[0] - '0' >= 10 ||
	    (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')))
		return bt_lex_u64(x, out);
	uint64_t v = 0;
	size_t i = 0;
	unsigned d;
	while (i < n && (d = (unsigned)(unsigned char)s[i] - '0') < 10) {
		v = v * 10u + d;
		i++;
	}
	x->s = s + i;
	x->n = n - i;
	*out = v;
	return true;
}

/* bt_lex_long for up to 18 plain decimal digits (no sign), inline; else bt_lex_long. */
static inline bool ls_long(struct bt_lex *x, long *out)
{
	const char *s = x->s;
	size_t n = x->n;
	size_t i = 0;
	uint64_t v = 0;
	unsigned d;
	while (i < n && i < 19 && (d = (unsigned)(unsigned char)s[i] - '0') < 10) {
		v = v * 10u + d;
		i++;
	}
	if (sizeof(long) < 8 || i == 0 || i > 18 ||
	    (i == 1 && v == 0 && n >= 3 && (s[1] == 'x' || s[1] == 'X')))
		return bt_lex_long(x, out);
	x->s = s + i;
	x->n = n - i;
	*out = (long)v;
	return true;
}

/* Literal lengths are compile-time constants. `"" lit` rejects anything but a string literal. */
#define STARTS(s, n, lit) ls_starts((s), (n), ("" lit), sizeof(lit) - 1)
#define EAT(x, lit) ls_eat((x), ("" lit), sizeof(lit) - 1)
#define FIND(s, n, lit) bt_lex_find_n((s), (n), ("" lit), sizeof(lit) - 1)

/* steps.c: lengths of table strings, kept by the lookup index (no strlen per line) */
size_t bt_ls_step_name_len(const struct bt_step_info *si);
size_t bt_ls_op_text_len(const struct bt_op_info *oi);

/* scan_state.c: remembered lines, candidates, timeline, verdicts */
void bt_ls_mark_here(struct bt_logscan *sc, struct mark *m, enum fam f);
/* Copies the lines that marks point at; called before the buffer they are in goes away. */
void bt_ls_marks_keep(struct bt_logscan *sc);
const char *bt_ls_mark_text(struct mark *m);
void bt_ls_cand_set(struct bt_logscan *sc, struct cand *c, int id, const char *name, size_t n,
                    long result, enum fam f);
void bt_ls_cand_step(struct bt_logscan *sc, struct cand *c, const struct bt_step_info *si, int id,
                     long result, enum fam f);
bool bt_ls_id_is(int id, unsigned flag);
bool bt_ls_name_is(const char *name, unsigned flag);
bool bt_ls_cand_parent(struct cand *c);
void bt_ls_add_error(struct bt_logscan *sc);
void bt_ls_signature(struct bt_logscan *sc, enum sig s, enum fam f);
void bt_ls_tl_add(struct bt_logscan *sc, int id, int op, const char *name, size_t n,
                  enum bt_step_state st, long result);
void bt_ls_set_verdict(struct bt_logscan *sc, int v, enum fam f);
void bt_ls_new_run(struct bt_logscan *sc);
const char *bt_ls_cached_name(const struct bt_logscan *sc, int id);
void bt_ls_remember_name(struct bt_logscan *sc, int id, const char *name, size_t n);
const struct bt_step_info *bt_ls_step_from_chain(const char *s, size_t n);
int bt_ls_mask_id(uint64_t v);

/* scan_device.c */
void bt_ls_device_checkpoint(struct bt_logscan *sc, const char *s, size_t n);
void bt_ls_step_map(struct bt_logscan *sc, const char *s, size_t n);
void bt_ls_device_outcome(struct bt_logscan *sc, const char *s, size_t n);
/* header: the "restore failed with CFError:" line itself, false when the list starts bare */
void bt_ls_cferror_start(struct bt_logscan *sc, bool header);
/* A line inside a CFError list or after "Panic log is available:"; false when it is not
 * part of that block (the block ends and the line is dispatched as usual). */
bool bt_ls_device_block_line(struct bt_logscan *sc, const char *s, size_t n);

/* scan_host.c */
void bt_ls_host_checkpoint(struct bt_logscan *sc, const char *s, size_t n, enum fam f);
bool bt_ls_progress_line(struct bt_logscan *sc, const char *s, size_t n, enum fam f);
void bt_ls_host_phase(struct bt_logscan *sc, const char *step, enum fam f);
bool bt_ls_transfer_line(struct bt_logscan *sc, const char *s, size_t n, enum fam f);
void bt_ls_identified(struct bt_logscan *sc, const char *s, size_t n, enum fam f);
void bt_ls_product_word(struct bt_logscan *sc, const char *s, size_t n, enum fam f);
void bt_ls_board_word(struct bt_logscan *sc, const char *s, size_t n, enum fam f);
void bt_ls_hardware_id(struct bt_logscan *sc, bool chip, const char *s, size_t n, enum fam f);
void bt_ls_name_hints(struct bt_logscan *sc, const char *s, size_t n, enum fam f);
void bt_ls_status_line(struct bt_logscan *sc, const char *s, size_t n, enum fam f);
void bt_ls_status_number(struct bt_logscan *sc, long status, enum fam f);
void bt_ls_host_error_code(struct bt_logscan *sc, long code, enum fam f);
void bt_ls_error_line(struct bt_logscan *sc, const char *s, size_t n, enum fam f);

/* scan_pmd3.c: a pymobiledevice3 line after its prefix (the level word, then the message) */
void bt_ls_pmd3_line(struct bt_logscan *sc, const char *s, size_t n);

/* scan_line.c: one line of the current source (escapes removed when present, trimmed, its
 * prefix peeled), handed to bt_ls_dispatch; scan_plain for a line known to hold no ESC. */
/* A date and time put in front of the tool's lines by something else (scan_stamp.c): its
 * length with the blanks and separator after it, 0 when s does not start with one. */
struct bt_ls_stamp {
	double sod;        /* seconds of the day */
	const char *frac;  /* digits of the fraction of a second (frac_n of them, <= 9) */
	size_t frac_n;
};
size_t bt_ls_any_stamp(const char *s, size_t n, struct bt_ls_stamp *out);
void bt_ls_scan_line(struct bt_logscan *sc, const char *s, size_t n, long lineno);
void bt_ls_scan_plain(struct bt_logscan *sc, const char *s, size_t n, long lineno);
/* logscan.c: a line after its prefix; pf is the family the prefix said (FAM_NONE: bare). */
void bt_ls_dispatch(struct bt_logscan *sc, const char *s, size_t n, enum fam pf);

/* scan_mobiledevice.c */
bool bt_ls_mobiledevice_line(struct bt_logscan *sc, const char *s, size_t n, enum fam f);
/* MobileDevice's "personalizing: <AMAuthInstall ...> chipid=0x8000, boardid=0x4": the phone. */
void bt_ls_amai_ids(struct bt_logscan *sc, const char *s, size_t n, enum fam f);

#endif
