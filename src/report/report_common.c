/* report_common.c — the report context, plain-words tables and facts the writers share. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "logs/logscan.h"
#include "report/report_int.h"

/* Evidence keys whose values are device identifiers. */
static const char *const ident_keys[] = {
	"iboot.ecid", "iboot.srnm", "iboot.serial", "iboot.imei", "device.ecid", "device.serial",
	"device.serial_number", "device.imei", "device.meid", "device.udid",
};

void rctx_init(struct rctx *r, FILE *out, const struct bt_case *c, const struct bt_diagnosis *d,
	       const struct bt_report_opts *o)
{
	memset(r, 0, sizeof *r);
	r->out = out;
	r->c = c;
	r->d = d;
	r->o = o;
	r->customer = o->audience == BT_AUDIENCE_CUSTOMER;
	r->red = bt_redact_new();
	bt_redact_add(r->red, c->ecid);
	bt_redact_add(r->red, c->serial);
	bt_redact_add(r->red, c->imei);
	bt_redact_add(r->red, c->udid);
	for (size_t i = 0; i < bt_evset_count(c->evidence); i++) {
		const struct bt_evidence *e = bt_evset_at(c->evidence, i);
		for (size_t k = 0; k < sizeof ident_keys / sizeof ident_keys[0]; k++)
			if (strcmp(e->key, ident_keys[k]) == 0)
				bt_redact_add(r->red, e->value);
	}
}

void rctx_done(struct rctx *r)
{
	for (size_t i = 0; i < r->nowned; i++)
		free(r->owned[i]);
	free(r->owned);
	bt_redact_free(r->red);
	r->owned = NULL;
	r->nowned = r->aowned = 0;
	r->red = NULL;
}

static const char *own(struct rctx *r, char *s)
{
	if (r->nowned == r->aowned) {
		r->aowned = r->aowned ? r->aowned * 2 : 64;
		r->owned = bt_xrealloc(r->owned, r->aowned * sizeof *r->owned);
	}
	r->owned[r->nowned++] = s;
	return s;
}

const char *rtext(struct rctx *r, const char *s)
{
	if (!s)
		return "";
	if (!r->customer)
		return s;
	return own(r, bt_redact(r->red, s));
}

const char *rident(struct rctx *r, const char *s)
{
	if (!s || !r->customer)
		return s;
	size_t n = strlen(s);
	if (n <= 4)
		return own(r, bt_xstrdup("****"));
	return own(r, bt_xasprintf("****%s", s + n - 4));
}

void rep_time(double t, char *buf, size_t len)
{
	if (t < 0) {
		snprintf(buf, len, "unknown");
		return;
	}
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(buf, len, "unknown");
}

struct plain {
	const char *id;
	const char *words;
};

static const struct plain hyp_plain[] = {
	{ "usb_link", "the cable, USB port or hub used for the restore, not the phone itself" },
	{ "host", "the computer or the restore software used, not the phone itself" },
	{ "firmware", "the iOS software file or its signing, not the phone's hardware" },
	{ "nand", "the storage chip (NAND) on the main board, or its connections" },
	{ "earpiece_flex",
	  "the front (earpiece) flex cable, which can short a shared data line on Face ID models" },
	{ "audio_ic", "the audio chip on the main board (a known iPhone 7 / 7 Plus fault)" },
	{ "baseband", "the cellular modem (baseband) section of the main board" },
	{ "nfc_se", "the NFC / secure-element chip on the main board" },
	{ "charge_port", "the charging-port flex or the charging chip on the main board" },
	{ "logic_board", "another fault on the main board" },
	{ "none", "no fault: the restore completed normally" },
};

const char *rep_hyp_plain(const char *id, const char *title)
{
	for (size_t i = 0; id && i < sizeof hyp_plain / sizeof hyp_plain[0]; i++)
		if (strcmp(id, hyp_plain[i].id) == 0)
			return hyp_plain[i].words;
	return title && *title ? title : (id ? id : "unknown");
}

const char *rep_conf_words(double p)
{
	if (p >= 0.85)
		return "very likely";
	if (p >= 0.6)
		return "likely";
	if (p >= 0.35)
		return "possible";
	return "uncertain: several causes remain open";
}

bool rep_erases(const struct bt_next_test *t)
{
	return t->data_loss || (t->risk && strstr(t->risk, "erase"));
}

const char *rep_ev(const struct bt_case *c, const char *key)
{
	return bt_evset_value(c->evidence, key);
}

bool rep_has_prefix(const struct bt_case *c, const char *prefix)
{
	size_t n = strlen(prefix);
	for (size_t i = 0; i < bt_evset_count(c->evidence); i++)
		if (strncmp(bt_evset_at(c->evidence, i)->key, prefix, n) == 0)
			return true;
	return false;
}

static bool eq(const char *a, const char *b)
{
	return a && strcmp(a, b) == 0;
}

int rep_boots(const struct bt_case *c)
{
	const char *supply = rep_ev(c, "supply.pattern");
	const char *ipat = rep_ev(c, "iboot.pattern");
	const char *outcome = rep_ev(c, "restore.outcome");
	if (eq(supply, "off") || eq(supply, "plateau") || eq(supply, "boot_loop") ||
	    eq(supply, "short") || eq(ipat, "boot_loop") || eq(ipat, "dfu_only") ||
	    eq(outcome, "failed") || eq(outcome, "incomplete"))
		return 0;
	if (eq(supply, "normal_boot"))
		return 1;
	if (rep_ev(c, "iboot.mode"))
		return 0; /* seen only in recovery/DFU mode */
	return -1;
}

static const char *words(struct rctx *r, const char *id)
{
	/* "restore_passed" -> "restore passed" */
	char *s = bt_xstrdup(id ? id : "");
	for (char *p = s; *p; p++)
		if (*p == '_' || *p == '.')
			*p = ' ';
	own(r, s);
	return rtext(r, s);
}

static const char *supply_words(const char *pattern)
{
	static const struct plain t[] = {
		{ "off", "the board draws no current at all" },
		{ "normal_boot", "the current rises in stages the way a healthy start-up does" },
		{ "plateau", "the current stops at one level: start-up halts early" },
		{ "boot_loop", "the current repeats the same cycle: the phone restarts over and over" },
		{ "short", "the board draws high current right away: a short circuit" },
	};
	for (size_t i = 0; pattern && i < sizeof t / sizeof t[0]; i++)
		if (strcmp(pattern, t[i].id) == 0)
			return t[i].words;
	return "no clear pattern";
}

size_t rep_tested(struct rctx *r, struct rep_item *items, size_t max)
{
	const struct bt_case *c = r->c;
	size_t n = 0;
	if ((c->nattempts || rep_ev(c, "restore.outcome")) && n < max) {
		const char *out = rep_ev(c, "restore.outcome");
		const char *step = rep_ev(c, "restore.failed_step");
		const char *sub = rep_ev(c, "restore.subsystem");
		char *d;
		if (eq(out, "failed") && step)
			d = bt_xasprintf("%zu attempt(s); the last failed at the step \"%s\" (%s)",
					 c->nattempts, step, sub ? sub : "unknown part");
		else
			d = bt_xasprintf("%zu attempt(s); result: %s", c->nattempts,
					 eq(out, "succeeded") ? "completed"
					 : eq(out, "failed") ? "failed"
					 : eq(out, "incomplete") ? "did not finish" : "unclear");
		own(r, d);
		items[n++] = (struct rep_item){ "Software restore (reinstalling iOS)", rtext(r, d) };
	}
	if (rep_has_prefix(c, "iboot.") && n < max) {
		const char *mode = rep_ev(c, "iboot.mode");
		char *d = bt_xasprintf("the phone answered in %s mode",
				       mode ? mode : "recovery/DFU");
		own(r, d);
		items[n++] = (struct rep_item){ "How the phone answers over USB in recovery/DFU mode",
						rtext(r, d) };
	}
	if ((c->ntraces || rep_has_prefix(c, "supply.")) && n < max)
		items[n++] = (struct rep_item){ "Current drawn by the main board at power-on",
						supply_words(rep_ev(c, "supply.pattern")) };
	for (size_t i = 0; i < c->ntests && n < max; i++)
		items[n++] = (struct rep_item){ words(r, c->tests[i].test_id),
						words(r, c->tests[i].outcome) };
	for (size_t i = 0; i < c->nsymptoms && n < max; i++)
		items[n++] = (struct rep_item){ "Reported or observed", words(r, c->symptoms[i]) };
	return n;
}

static const char *const phone_functions[] = {
	"Screen and touch", "Face ID / Touch ID", "Cameras", "Speakers and microphones",
	"Cellular, Wi-Fi and Bluetooth", "Battery health", "Buttons and sensors",
};

size_t rep_not_tested(struct rctx *r, struct rep_item *items, size_t max)
{
	int boots = rep_boots(r->c);
	const char *why = boots == 0 ? "the phone does not start up, so this cannot be checked yet"
		: boots == 1 ? "not checked by this diagnosis"
			     : "not checked: it needs a phone that starts up";
	size_t n = 0;
	for (size_t i = 0; i < sizeof phone_functions / sizeof phone_functions[0] && n < max; i++)
		items[n++] = (struct rep_item){ phone_functions[i], why };
	if (!r->c->ntraces && !rep_has_prefix(r->c, "supply.") && n < max)
		items[n++] = (struct rep_item){ "Current drawn by the main board",
						"not measured in this case" };
	if (!rep_has_prefix(r->c, "iboot.") && n < max)
		items[n++] = (struct rep_item){ "Recovery/DFU mode answers", "not recorded in this case" };
	return n;
}

static const struct rep_option opt_software = {
	"restore_again", "Restore again with another cable and computer",
	"The evidence points outside the phone. A restore with a known-good cable, port and "
	"computer may be all that is needed.",
	"A restore, and above all a DFU restore, erases all data on the phone. If your data "
	"matters, ask for data recovery first."
};
static const struct rep_option opt_data = {
	"data_recovery", "Data recovery",
	"Repair the board only as far as needed to start the phone and copy your photos and data "
	"off.",
	"Not always possible and usually costs more. Do not let anyone run a DFU restore first: "
	"a DFU restore erases all data."
};
static const struct rep_option opt_repair = {
	"board_repair", "Board repair",
	"Repair or replace the faulty part on the main board (micro-soldering).",
	"Heat work can reveal or cause further faults; success is likely but not certain. If the "
	"repair needs a restore to finish, that restore erases data that was not recovered."
};
static const struct rep_option opt_replace = {
	"board_replacement", "Board replacement",
	"Replace the main board.",
	"All data on the old board is lost. Face ID / Touch ID are paired to the original board "
	"and may no longer work. Usually the most expensive option."
};

size_t rep_options(struct rctx *r, const struct rep_option **opts, size_t max)
{
	const char *top = r->d && r->d->nhyp ? r->d->hyp[0].id : NULL;
	size_t n = 0;
	if ((eq(top, "usb_link") || eq(top, "host") || eq(top, "firmware")) && n < max)
		opts[n++] = &opt_software;
	if (!eq(top, "none")) {
		if (n < max)
			opts[n++] = &opt_data;
		if (n < max)
			opts[n++] = &opt_repair;
		if (n < max)
			opts[n++] = &opt_replace;
	}
	return n;
}

void rep_trace_stats(const struct bt_case_trace *t, struct rep_trace_stats *s)
{
	memset(s, 0, sizeof *s);
	if (!t->nsamples)
		return;
	double sum = 0;
	s->min_a = s->max_a = t->samples[0].current_a;
	for (size_t i = 0; i < t->nsamples; i++) {
		double a = t->samples[i].current_a;
		if (a < s->min_a)
			s->min_a = a;
		if (a > s->max_a)
			s->max_a = a;
		sum += a;
	}
	s->mean_a = sum / (double)t->nsamples;
	s->duration_s = t->samples[t->nsamples - 1].t - t->samples[0].t;
	/* A trace imported from CSV has no recorded rate: the samples themselves say it. */
	s->rate_hz = t->rate_hz;
	if (s->rate_hz <= 0 && t->nsamples > 1 && s->duration_s > 0)
		s->rate_hz = (double)(t->nsamples - 1) / s->duration_s;
}

static int mark_cmp(const void *a, const void *b)
{
	double x = ((const struct rep_mark *)a)->t, y = ((const struct rep_mark *)b)->t;
	return (x > y) - (x < y);
}

size_t rep_trace_marks(struct rctx *r, size_t ti, struct rep_mark *marks, size_t max)
{
	const struct bt_case_trace *t = &r->c->traces[ti];
	size_t n = 0;
	for (size_t i = 0; i < t->nmarkers && n < max; i++)
		marks[n++] = (struct rep_mark){ t->markers[i].t, rtext(r, t->markers[i].label) };
	/* Steps of restores that ran while the trace was recorded, placed by wall clock. */
	struct rep_trace_stats st;
	rep_trace_stats(t, &st);
	for (size_t a = 0; a < r->c->nattempts && n < max && t->started > 0; a++) {
		const struct bt_case_attempt *at = &r->c->attempts[a];
		double off = at->started - t->started;
		if (at->started <= 0 || off < 0 || off > st.duration_s)
			continue;
		struct bt_logscan *sc = bt_logscan_new();
		bt_logscan_begin(sc, at->name);
		bt_logscan_feed(sc, at->log, at->len);
		bt_logscan_end(sc);
		const struct bt_restore *res = bt_logscan_result(sc);
		for (size_t i = 0; i < res->nsteps && n < max; i++) {
			const struct bt_step *s = &res->steps[i];
			double when = off + (s->time_s >= 0 ? s->time_s : 0);
			if (s->time_s < 0 || !s->name || when > st.duration_s)
				continue;
			marks[n++] = (struct rep_mark){ when, own(r, bt_xstrdup(rtext(r, s->name))) };
		}
		bt_logscan_free(sc);
	}
	qsort(marks, n, sizeof *marks, mark_cmp);
	return n;
}

int bt_report_format_parse(const char *s, enum bt_report_format *f)
{
	if (eq(s, "text"))
		*f = BT_REPORT_TEXT;
	else if (eq(s, "json"))
		*f = BT_REPORT_JSON;
	else if (eq(s, "html"))
		*f = BT_REPORT_HTML;
	else
		return BT_ERR_ARG;
	return BT_OK;
}

int bt_report_audience_parse(const char *s, enum bt_report_audience *a)
{
	if (eq(s, "technician"))
		*a = BT_AUDIENCE_TECHNICIAN;
	else if (eq(s, "customer"))
		*a = BT_AUDIENCE_CUSTOMER;
	else
		return BT_ERR_ARG;
	return BT_OK;
}

int bt_report_write(FILE *out, const struct bt_case *c, const struct bt_diagnosis *d,
		    const struct bt_report_opts *o)
{
	struct rctx r;
	rctx_init(&r, out, c, d, o);
	int err;
	switch (o->format) {
	case BT_REPORT_JSON: err = bt_report_write_json(&r); break;
	case BT_REPORT_HTML: err = bt_report_write_html(&r); break;
	default: err = bt_report_write_text(&r); break;
	}
	rctx_done(&r);
	if (err == BT_OK && (fflush(out) != 0 || ferror(out)))
		err = BT_ERR_IO;
	return err;
}

char *bt_report_string(const struct bt_case *c, const struct bt_diagnosis *d,
		       const struct bt_report_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	int err = bt_report_write(f, c, d, o);
	if (fclose(f) != 0)
		err = BT_ERR_IO;
	if (err != BT_OK) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Length of the valid UTF-8 sequence at s, 0 when invalid (overlongs and surrogates too). */
static size_t utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	size_t n;
	unsigned cp;
	if ((s[0] & 0xE0) == 0xC0) {
		n = 2;
		cp = s[0] & 0x1Fu;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3;
		cp = s[0] & 0x0Fu;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4;
		cp = s[0] & 0x07u;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3Fu);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

const char *rep_utf8(struct rctx *r, const char *s)
{
	if (!s)
		return "";
	const unsigned char *p = (const unsigned char *)s;
	size_t n;
	while (*p && (n = utf8_len(p)) != 0)
		p += n;
	if (!*p)
		return s; /* already valid: no copy */
	char *copy = bt_xstrdup(s);
	unsigned char *q = (unsigned char *)copy + (p - (const unsigned char *)s);
	while (*q) {
		n = utf8_len(q);
		if (n == 0) {
			*q++ = '?';
		} else {
			q += n;
		}
	}
	return own(r, copy);
}
