/* interpret.c — recovery session -> evidence and plain-words notes. The readings follow the
 * research notes (fault-knowledge §4.3-4.4); where they are inference the note says so. */
#include "recovery/interpret.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool bt_rec_last_step(const char *value, char *name, size_t cap, long *id)
{
	*id = -1;
	if (cap)
		name[0] = '\0';
	if (!value || cap == 0)
		return false;
	const char *s = value, *e = value + strlen(value);
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	if (s < e && *s == '{') {
		/* a map cut short (values are capped at 255 bytes) would end in half a name */
		if (e[-1] != '}')
			return false;
		s++;
		e--;
	}
	/* The last non-empty ';'-separated item: nested steps list the innermost last. */
	const char *item_end = e;
	while (item_end > s && (item_end[-1] == ';' || isspace((unsigned char)item_end[-1])))
		item_end--;
	const char *item = item_end;
	while (item > s && item[-1] != ';')
		item--;
	while (item < item_end && isspace((unsigned char)*item))
		item++;
	if (item >= item_end)
		return false;
	const char *colon = memchr(item, ':', (size_t)(item_end - item));
	const char *nm = colon ? colon + 1 : item;
	if (colon) {
		char idbuf[24];
		size_t n = (size_t)(colon - item);
		if (n > 0 && n < sizeof idbuf) {
			memcpy(idbuf, item, n);
			idbuf[n] = '\0';
			errno = 0;
			char *end;
			long v = strtol(idbuf, &end, 0);
			if (!errno && *end == '\0' && v >= 0)
				*id = v;
		}
	}
	size_t n = (size_t)(item_end - nm);
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)nm[i]) && nm[i] != '_' && nm[i] != '-' && nm[i] != '.')
			return false;
	if (n >= cap)
		n = cap - 1;
	memcpy(name, nm, n);
	name[n] = '\0';
	return true;
}

void bt_rec_watch_summary(const struct bt_rec_session *s, struct bt_rec_watch *out)
{
	memset(out, 0, sizeof *out);
	out->period_s = -1;
	if (s->nevents == 0)
		return;
	bool only_dfu = true, any_mode = false, present = false;
	/* arrivals per mode, with the first and last time of each: a restore from DFU shows the
	 * phone once in DFU and twice in recovery (iBSS, then iBEC), which is no loop */
	enum { MODES = BT_REC_MODE_WTF + 1 };
	size_t per_mode[MODES] = { 0 };
	double mode_first[MODES], mode_last[MODES];
	for (size_t m = 0; m < MODES; m++)
		mode_first[m] = mode_last[m] = -1;
	for (size_t i = 0; i < s->nevents; i++) {
		const struct bt_rec_event *ev = &s->events[i];
		switch (ev->type) {
		case BT_REC_EV_ARRIVE:
			out->arrivals++;
			if ((unsigned)ev->mode < MODES) {
				per_mode[ev->mode]++;
				if (mode_first[ev->mode] < 0)
					mode_first[ev->mode] = ev->t;
				mode_last[ev->mode] = ev->t;
			}
			present = true;
			any_mode = true;
			only_dfu = only_dfu && ev->mode == BT_REC_MODE_DFU;
			break;
		case BT_REC_EV_MODE:
			out->mode_changes++;
			any_mode = true;
			only_dfu = only_dfu && ev->mode == BT_REC_MODE_DFU;
			break;
		case BT_REC_EV_LEAVE:
			out->departures++;
			present = false;
			break;
		case BT_REC_EV_END:
			break;
		}
	}
	if (s->has_info && s->info.mode != BT_REC_MODE_UNKNOWN) {
		any_mode = true;
		only_dfu = only_dfu && s->info.mode == BT_REC_MODE_DFU;
	}
	double last = s->events[s->nevents - 1].t;
	out->span_s = (s->end_t > last ? s->end_t : last) - s->events[0].t;
	out->reenumerations = out->arrivals > 0 ? out->arrivals - 1 : 0;
	size_t loop_mode = 0;
	for (size_t m = 1; m < MODES; m++)
		if (per_mode[m] > per_mode[loop_mode])
			loop_mode = m;
	if (per_mode[loop_mode] >= BT_REC_LOOP_MIN + 1) {
		/* the phone came back in the same mode again and again */
		out->pattern = "boot_loop";
		out->period_s = (mode_last[loop_mode] - mode_first[loop_mode]) / (double)(per_mode[loop_mode] - 1);
	} else if (!present) {
		out->pattern = "gone";
	} else if (any_mode && only_dfu) {
		out->pattern = "dfu_only";
	} else {
		out->pattern = "stable";
	}
}

static void add_at(struct bt_evset *set, const char *key, const char *value, const char *source,
		   long line, double t, const char *excerpt)
{
	bt_evset_put(set, key, value, source, line, t, excerpt ? excerpt : "");
}

static void add(struct bt_evset *set, const char *key, const char *value, const char *source,
		double t, const char *excerpt)
{
	add_at(set, key, value, source, 0, t, excerpt);
}

static const char *subsystem_of(const struct bt_rec_resolver *r, const char *step)
{
	const char *sub = r && r->step_subsystem ? r->step_subsystem(r->user, step) : NULL;
	return sub && *sub ? sub : "unknown";
}

static void chip_of(const struct bt_rec_session *s, bool *have, unsigned *cpid, unsigned *bdid)
{
	*have = false;
	if (s->has_info && (s->info.fields & BT_REC_F_CPID) && (s->info.fields & BT_REC_F_BDID)) {
		*have = true;
		*cpid = s->info.cpid;
		*bdid = s->info.bdid;
		return;
	}
	for (size_t i = 0; i < s->nevents; i++) {
		if (s->events[i].has_chip) {
			*have = true;
			*cpid = s->events[i].cpid;
			*bdid = s->events[i].bdid;
			return;
		}
	}
}

static enum bt_rec_mode current_mode(const struct bt_rec_session *s)
{
	/* The newest observation wins: a watch may end in another mode than the first read. */
	for (size_t i = s->nevents; i > 0; i--) {
		const struct bt_rec_event *ev = &s->events[i - 1];
		if (ev->type == BT_REC_EV_ARRIVE || ev->type == BT_REC_EV_MODE)
			return ev->mode;
	}
	return s->has_info ? s->info.mode : BT_REC_MODE_UNKNOWN;
}

void bt_rec_evidence(const struct bt_rec_session *s, const struct bt_rec_resolver *r,
		     const char *source, struct bt_evset *set)
{
	char buf[BT_REC_ENV_VALUE_MAX + 64], ex[2 * BT_REC_ENV_VALUE_MAX + 128];
	const char *src = source ? source : "recovery";
	enum bt_rec_mode mode = current_mode(s);
	if (mode != BT_REC_MODE_UNKNOWN)
		add(set, "iboot.mode", bt_rec_mode_name(mode), src, -1, NULL);

	bool have_chip;
	unsigned cpid = 0, bdid = 0;
	chip_of(s, &have_chip, &cpid, &bdid);
	if (have_chip) {
		snprintf(buf, sizeof buf, "0x%04X", cpid);
		add(set, "iboot.cpid", buf, src, -1, NULL);
		snprintf(buf, sizeof buf, "0x%02X", bdid);
		add(set, "iboot.bdid", buf, src, -1, NULL);
		struct bt_rec_board b;
		memset(&b, 0, sizeof b);
		if (r && r->board && r->board(r->user, cpid, bdid, &b) && b.name[0]) {
			snprintf(ex, sizeof ex, "CPID 0x%04X BDID 0x%02X -> %s (%s)", cpid, bdid, b.name,
				 b.source ? b.source : "?");
			add(set, "iboot.board", b.name, src, -1, ex);
			if (b.product_type[0])
				add(set, "device.product_type", b.product_type, src, -1, ex);
		}
	}
	if (s->has_info) {
		const struct bt_rec_info *in = &s->info;
		if (in->fields & BT_REC_F_CPRV) {
			snprintf(buf, sizeof buf, "0x%02X", in->cprv);
			add(set, "iboot.cprv", buf, src, -1, NULL);
		}
		if (in->ecid[0])
			add(set, "iboot.ecid", in->ecid, src, -1, NULL);
		if (in->srtg[0] && strcmp(in->srtg, "N/A") != 0)
			add(set, "iboot.srtg", in->srtg, src, -1, NULL);
		if (in->srnm[0] && strcmp(in->srnm, "N/A") != 0)
			add(set, "iboot.srnm", in->srnm, src, -1, NULL);
		if (in->imei[0] && strcmp(in->imei, "N/A") != 0)
			add(set, "iboot.imei", in->imei, src, -1, NULL);
		if (in->pwnd[0]) /* a boot-ROM exploit tool had the phone before us */
			add(set, "iboot.pwnd", in->pwnd, src, -1, NULL);
	}

	for (size_t i = 0; i < s->nenv; i++) {
		const struct bt_rec_env *e = &s->env[i];
		if (e->state != BT_REC_ENV_VALUE || !e->value[0])
			continue; /* empty or unanswered: unknown, adds nothing */
		snprintf(buf, sizeof buf, "iboot.env.%s", e->name);
		snprintf(ex, sizeof ex, "getenv %s = %s", e->name, e->value);
		add_at(set, buf, e->value, src, e->line, -1, ex);
	}

	const struct bt_rec_env *e = bt_rec_session_env(s, "restore-step-names");
	char step[BT_REC_ENV_NAME_MAX];
	long id;
	if (e && e->state == BT_REC_ENV_VALUE && bt_rec_last_step(e->value, step, sizeof step, &id)) {
		snprintf(ex, sizeof ex, "getenv restore-step-names = %s", e->value);
		add_at(set, "iboot.restore_step", step, src, e->line, -1, ex);
		add_at(set, "iboot.restore_subsystem", subsystem_of(r, step), src, e->line, -1, ex);
		if (id >= 0) {
			snprintf(buf, sizeof buf, "0x%04lX", (unsigned long)id & 0xFFFFUL);
			add_at(set, "iboot.restore_step_id", buf, src, e->line, -1, ex);
		}
	}
	e = bt_rec_session_env(s, "radio-error");
	if (e && e->state == BT_REC_ENV_VALUE) {
		errno = 0;
		char *end;
		long v = strtol(e->value, &end, 0);
		if (!errno && end != e->value && *end == '\0' && v != 0) {
			snprintf(buf, sizeof buf, "%ld", v);
			const struct bt_rec_env *rs = bt_rec_session_env(s, "radio-error-string");
			snprintf(ex, sizeof ex, "getenv radio-error = %s%s%s", e->value,
				 rs && rs->state == BT_REC_ENV_VALUE ? "; radio-error-string = " : "",
				 rs && rs->state == BT_REC_ENV_VALUE ? rs->value : "");
			add_at(set, "iboot.radio_error", buf, src, e->line, -1, ex);
		}
	}
	e = bt_rec_session_env(s, "restore-outcome");
	if (e && e->state == BT_REC_ENV_VALUE)
		add_at(set, "iboot.restore_outcome", e->value, src, e->line, -1, NULL);

	struct bt_rec_watch w;
	bt_rec_watch_summary(s, &w);
	if (w.pattern) {
		snprintf(ex, sizeof ex, "%u arrivals, %u departures, %u mode changes over %.1f s",
			 w.arrivals, w.departures, w.mode_changes, w.span_s);
		add(set, "iboot.pattern", w.pattern, src, w.span_s, ex);
		snprintf(buf, sizeof buf, "%u", w.reenumerations);
		add(set, "iboot.reenumerations", buf, src, w.span_s, ex);
		if (w.period_s >= 0) {
			snprintf(buf, sizeof buf, "%.1f", w.period_s);
			add(set, "iboot.loop_period_s", buf, src, w.span_s, ex);
		}
	}
	if (s->gone_t >= 0) {
		snprintf(buf, sizeof buf, "%.1f", s->gone_t);
		add(set, "iboot.stopped_answering_s", buf, src, s->gone_t, "the phone stopped answering a read");
	}
}

bool bt_rec_env_note(const struct bt_rec_env *e, const struct bt_rec_resolver *r,
		     char *buf, size_t cap)
{
	if (cap == 0)
		return false;
	buf[0] = '\0';
	if (e->state == BT_REC_ENV_NA) {
		snprintf(buf, cap, "not readable in this mode (getenv needs iBoot recovery)");
		return true;
	}
	if (e->state != BT_REC_ENV_VALUE) {
		snprintf(buf, cap, "no answer: unknown (not the same as fine)");
		return true;
	}
	const char *v = e->value;
	if (strcmp(e->name, "radio-error") == 0) {
		char *end;
		long n = strtol(v, &end, 0);
		if (end != v && *end == '\0')
			snprintf(buf, cap, n ? "baseband failure reported: points at the modem or its supply/bus"
					     : "no baseband failure recorded");
	} else if (strcmp(e->name, "auto-boot") == 0) {
		/* restore tools and anything that puts a phone into recovery set it false; a
		 * finished restore or "setenv auto-boot true" + saveenv set it back */
		if (strcmp(v, "false") == 0)
			snprintf(buf, cap, "the phone stops in recovery at every power-on until it is set back "
					   "(a tool put it in recovery, or a restore did not finish)");
		else if (strcmp(v, "true") == 0)
			snprintf(buf, cap, "the phone tries to boot iOS at power-on; in recovery now by the "
					   "buttons, a tool, or a failed boot");
	} else if (strcmp(e->name, "restore-step-names") == 0) {
		char step[BT_REC_ENV_NAME_MAX];
		long id;
		if (bt_rec_last_step(v, step, sizeof step, &id))
			snprintf(buf, cap, "the last restore died in %s (subsystem: %s)", step, subsystem_of(r, step));
		else if (strcmp(v, "{}") == 0)
			snprintf(buf, cap, "no step left unfinished");
	} else if (strcmp(e->name, "restore-outcome") == 0) {
		size_t n = strlen(v);
		if (n > 18 && strcmp(v + n - 18, "_failure_no_return") == 0)
			snprintf(buf, cap, "that restore stage reported a failure, then ended");
		else if (n > 10 && strcmp(v + n - 10, "_no_return") == 0)
			snprintf(buf, cap, "written when that restore stage starts; still there: it never "
					   "reported back (inference from the name)");
	} else if (strcmp(e->name, "build-style") == 0) {
		if (strcmp(v, "RELEASE") != 0)
			snprintf(buf, cap, "not a retail iBoot");
	} else if (strcmp(e->name, "boot-stage") == 0) {
		/* idevicerestore expects 1 once iBSS runs (dfu.c) and 2 once iBEC does (recovery.c) */
		if (strcmp(v, "1") == 0)
			snprintf(buf, cap, "iBSS is running: a DFU restore's first loader");
		else if (strcmp(v, "2") == 0)
			snprintf(buf, cap, "iBEC is running: ready for the restore ramdisk");
		else
			snprintf(buf, cap, "neither stage restore tools expect (1 after iBSS, 2 after iBEC)");
	} else if (strcmp(e->name, "restore-child-failures") == 0) {
		if (strcmp(v, "{}") != 0)
			snprintf(buf, cap, "a restore process failed; the part before ':' names it");
	}
	return buf[0] != '\0';
}
