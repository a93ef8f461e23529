/* session.c — the session model, mode names and the table of iBoot variables worth reading.
 * The meanings come from research on idevicerestore, iTunes logs and restore-ramdisk NVRAM dumps
 * (docs/evidence-recovery.md lists the sources). */
#include "recovery/session.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"

const char *bt_rec_mode_name(enum bt_rec_mode m)
{
	switch (m) {
	case BT_REC_MODE_DFU: return "DFU";
	case BT_REC_MODE_RECOVERY: return "Recovery";
	case BT_REC_MODE_WTF: return "WTF";
	case BT_REC_MODE_UNKNOWN: break;
	}
	return "unknown";
}

bool bt_rec_mode_parse(const char *s, enum bt_rec_mode *out)
{
	static const enum bt_rec_mode all[] = { BT_REC_MODE_DFU, BT_REC_MODE_RECOVERY, BT_REC_MODE_WTF,
						BT_REC_MODE_UNKNOWN };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		if (strcmp(s, bt_rec_mode_name(all[i])) == 0) {
			*out = all[i];
			return true;
		}
	}
	return false;
}

enum bt_rec_mode bt_rec_mode_from_pid(unsigned pid)
{
	if (pid == 0x1227)
		return BT_REC_MODE_DFU;
	if (pid >= 0x1280 && pid <= 0x1283)
		return BT_REC_MODE_RECOVERY;
	if (pid == 0x1222)
		return BT_REC_MODE_WTF;
	return BT_REC_MODE_UNKNOWN;
}

const char *bt_rec_event_name(enum bt_rec_event_type t)
{
	switch (t) {
	case BT_REC_EV_ARRIVE: return "arrive";
	case BT_REC_EV_LEAVE: return "leave";
	case BT_REC_EV_MODE: return "mode";
	case BT_REC_EV_END: return "end";
	}
	return "?";
}

struct bt_rec_session *bt_rec_session_new(void)
{
	struct bt_rec_session *s = bt_xcalloc(1, sizeof *s);
	s->gone_t = -1;
	s->end_t = -1;
	return s;
}

void bt_rec_session_free(struct bt_rec_session *s)
{
	free(s);
}

void bt_rec_copy(char *dst, size_t cap, const char *src)
{
	if (cap == 0)
		return;
	size_t n = src ? strlen(src) : 0;
	if (n >= cap)
		n = cap - 1;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

const struct bt_rec_env *bt_rec_session_env(const struct bt_rec_session *s, const char *name)
{
	for (size_t i = 0; i < s->nenv; i++)
		if (strcmp(s->env[i].name, name) == 0)
			return &s->env[i];
	return NULL;
}

int bt_rec_session_set_env(struct bt_rec_session *s, const char *name,
			   enum bt_rec_env_state state, const char *value, long line)
{
	if (!name || !*name || strlen(name) >= BT_REC_ENV_NAME_MAX)
		return BT_ERR_DATA;
	struct bt_rec_env *e = (struct bt_rec_env *)bt_rec_session_env(s, name);
	if (!e) {
		if (s->nenv >= BT_REC_ENV_MAX)
			return BT_ERR_DATA;
		e = &s->env[s->nenv++];
		bt_rec_copy(e->name, sizeof e->name, name);
	}
	e->line = line;
	/* An empty answer is not a value: keep the state honest whatever the caller said. */
	if (state == BT_REC_ENV_VALUE && (!value || !*value))
		state = BT_REC_ENV_EMPTY;
	e->state = state;
	bt_rec_copy(e->value, sizeof e->value, state == BT_REC_ENV_VALUE ? value : "");
	return BT_OK;
}

int bt_rec_session_add_event(struct bt_rec_session *s, const struct bt_rec_event *ev)
{
	if (ev->type == BT_REC_EV_END)
		return BT_OK;
	if (s->nevents >= BT_REC_EVENTS_MAX)
		return BT_ERR_DATA;
	s->events[s->nevents++] = *ev;
	return BT_OK;
}

const char *const bt_rec_env_names[] = {
	"build-version",
	"build-style",
	"boot-stage",
	"auto-boot",
	"boot-args",
	"radio-error",
	"radio-error-string",
	"restore-outcome",
	"restore-step-names",
	"restore-step-ids",
	"restore-step-uptime",
	"restore-step-user-progress",
	"restore-child-failures",
	"restore-anomalies",
	"restore-step-monitor",
	"obliteration",
	"oblit-begins",
	"ramdisk-size",
	"com.apple.System.boot-nonce",
	NULL
};

static const struct {
	const char *name;
	const char *meaning;
} meanings[] = {
	{ "build-version", "iBoot version on the phone (e.g. iBoot-7429.62.1); tells which iOS last installed its boot chain" },
	{ "build-style", "iBoot build flavour: RELEASE on every retail phone; anything else means a non-retail boot chain" },
	{ "boot-stage", "which loader runs: restore tools expect 1 once iBSS runs and 2 once iBEC does" },
	{ "auto-boot", "false keeps the phone in recovery at every power-on (set by restore tools and by anything that enters recovery); true boots iOS" },
	{ "boot-args", "kernel arguments left in NVRAM; normally empty on a retail phone, a leftover value points at a tool that set it" },
	{ "radio-error", "baseband failure number iBoot noted; non-zero means the modem did not come up (iTunes stops restores on it)" },
	{ "radio-error-string", "iBoot's words for the baseband failure, e.g. 'Communication failure'" },
	{ "restore-outcome", "written by the restore ramdisk when a stage starts (…_no_return) and changed when it ends (…_failure_no_return: it reported a failure)" },
	{ "restore-step-names", "restore step that was running and never finished (cleared to {} when a step ends): where the last restore died" },
	{ "restore-step-ids", "checkpoint id of that unfinished step (e.g. 0x1103060D = wait_for_storage)" },
	{ "restore-step-uptime", "seconds since boot when that step started" },
	{ "restore-step-user-progress", "progress bar percentage the user saw when that step started" },
	{ "restore-child-failures", "restore ramdisk processes that failed, e.g. {initial:EXIT(1)[REBOOT]}" },
	{ "restore-anomalies", "checkpoint bookkeeping of anomalies the last restore met" },
	{ "restore-step-monitor", "checkpoint monitor bookkeeping of the last restore" },
	{ "obliteration", "status of the last erase (obliterate) of the storage" },
	{ "oblit-begins", "when/why the last erase of the storage began" },
	{ "ramdisk-size", "size of the restore ramdisk buffer iBoot reserves" },
	{ "com.apple.System.boot-nonce", "nonce generator used for signing (SHSH); identifies which signed tickets can work" },
};

const char *bt_rec_env_meaning(const char *name)
{
	for (size_t i = 0; i < sizeof meanings / sizeof meanings[0]; i++)
		if (strcmp(meanings[i].name, name) == 0)
			return meanings[i].meaning;
	return NULL;
}
