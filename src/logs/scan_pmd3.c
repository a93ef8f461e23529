/* scan_pmd3.c — pymobiledevice3's restore log (Python logging through coloredlogs):
 *   "2026-06-08 18:30:08 host Task-2-pymobiledevice3.restore.restore[20152] DEBUG <message>"
 * restore/restore.py logs each message from restored as a Python dict: "checkpoint: {...}"
 * (CheckpointMsg), "progress-bar: {...}" (ProgressMsg, whose operation number
 * restore/consts.py turns into a name), "status message: {...}" (StatusMsg) and
 * "hardware info: {...}". These are the messages idevicerestore prints as text, so each one
 * is rewritten in idevicerestore's words and handed to the same handlers: one set of rules
 * for both tools. */
#include "logs/scan_priv.h"

#include <stdio.h>

/* restore/consts.py PROGRESS_BAR_OPERATIONS ("extracted from ac2"): name -> number. */
static const struct { const char *name; int op; } pmd3_ops[] = {
	{ "CREATE_PARTITION_MAP", 11 }, { "CREATE_FILESYSTEM", 12 }, { "RESTORE_IMAGE", 13 },
	{ "VERIFY_RESTORE", 14 }, { "CHECK_FILESYSTEMS", 15 }, { "MOUNT_FILESYSTEMS", 16 },
	{ "FIXUP_VAR", 17 }, { "FLASH_FIRMWARE", 18 }, { "UPDATE_BASEBAND", 19 },
	{ "SET_BOOT_STAGE", 20 }, { "REBOOT_DEVICE", 21 }, { "SHUTDOWN_DEVICE", 22 },
	{ "TURN_ON_ACCESSORY_POWER", 23 }, { "CLEAR_BOOTARGS", 24 }, { "MODIFY_BOOTARGS", 25 },
	{ "INSTALL_ROOT", 26 }, { "INSTALL_KERNELCACHE", 27 }, { "WAIT_FOR_NAND", 28 },
	{ "UNMOUNT_FILESYSTEMS", 29 }, { "SET_DATETIME", 30 }, { "EXEC_IBOOT", 31 },
	{ "FINALIZE_NAND_EPOCH_UPDATE", 32 }, { "CHECK_INAPPR_BOOT_PARTITIONS", 33 },
	{ "CREATE_FACTORY_RESTORE_MARKER", 34 }, { "LOAD_FIRMWARE", 35 },
	{ "REQUESTING_FUD_DATA", 36 }, { "REMOVING_ACTIVATION_RECORD", 37 },
	{ "CHECK_BATTERY_VOLTAGE", 38 }, { "WAIT_BATTERY_CHARGE", 39 },
	{ "CLOSE_MODEM_TICKETS", 40 }, { "MIGRATE_DATA", 41 }, { "WIPE_STORAGE_DEVICE", 42 },
	{ "SEND_APPLE_LOGO", 43 }, { "CHECK_LOGS", 44 }, { "CLEAR_NVRAM", 46 },
	{ "UPDATE_GAS_GAUGE", 47 }, { "PREPARE_BASEBAND_UPDATE", 48 }, { "BOOT_BASEBAND", 49 },
	{ "CREATE_SYSTEM_KEYBAG", 50 }, { "UPDATE_IR_MCU_FIRMWARE", 51 },
	{ "RESIZE_SYSTEM_PARTITION", 52 }, { "COLLECTING_UPDATER_OUTPUT", 53 },
	{ "PAIR_STOCKHOLM", 54 }, { "UPDATE_STOCKHOLM", 55 }, { "UPDATE_SWDHID", 56 },
	{ "CERTIFY_SEP", 57 }, { "UPDATE_NAND_FIRMWARE", 58 }, { "UPDATE_SE_FIRMWARE", 59 },
	{ "UPDATE_SAVAGE", 60 }, { "INSTALLING_DEVICETREE", 61 }, { "CERTIFY_SAVAGE", 62 },
	{ "SUBMITTING_PROVINFO", 63 }, { "CERTIFY_YONKERS", 64 }, { "UPDATE_ROSE", 65 },
	{ "UPDATE_VERIDIAN", 66 }, { "CREATING_PROTECTED_VOLUME", 67 },
	{ "RESIZING_MAIN_FS_PARTITION", 68 }, { "CREATING_RECOVERY_OS_VOLUME", 69 },
	{ "INSTALLING_RECOVERY_OS_FILES", 70 }, { "INSTALLING_RECOVERY_OS_IMAGE", 71 },
	{ "REQUESTING_EAN_DATA", 74 }, { "SEALING_SYSTEM_VOLUME", 77 },
};

/* The text after "'key': " in a Python dict's repr, or NULL. */
static const char *dict_value(const char *s, size_t n, const char *key, size_t *vn)
{
	char pat[48];
	int k = snprintf(pat, sizeof pat, "'%s': ", key);
	if (k <= 0 || (size_t)k >= sizeof pat)
		return NULL;
	const char *v = bt_lex_find_n(s, n, pat, (size_t)k);
	if (!v)
		return NULL;
	v += k;
	*vn = n - (size_t)(v - s);
	return v;
}

static bool dict_long(const char *s, size_t n, const char *key, long *out)
{
	size_t vn;
	const char *v = dict_value(s, n, key, &vn);
	if (!v)
		return false;
	struct bt_lex x = { v, vn };
	return bt_lex_long(&x, out);
}

/* A quoted string value: its text without the quotes (cut where the line is cut). */
static bool dict_str(const char *s, size_t n, const char *key, const char **out, size_t *on)
{
	size_t vn;
	const char *v = dict_value(s, n, key, &vn);
	if (!v || vn == 0 || (v[0] != '\'' && v[0] != '"'))
		return false;
	const char *end = memchr(v + 1, v[0], vn - 1);
	*out = v + 1;
	*on = end ? (size_t)(end - v - 1) : vn - 1;
	return true;
}

static void checkpoint(struct bt_logscan *sc, const char *s, size_t n)
{
	long id, result = 0;
	if (!dict_long(s, n, "CHECKPOINT_ID", &id) || id < 0)
		return;
	dict_long(s, n, "CHECKPOINT_RESULT", &result);
	size_t vn;
	const char *c = dict_value(s, n, "CHECKPOINT_COMPLETE", &vn);
	bool complete = c && STARTS(c, vn, "True");
	const char *name = "";
	size_t nn = 0;
	dict_str(s, n, "CHECKPOINT_NAME", &name, &nn);
	if (nn > LS_NAME)
		nn = LS_NAME;
	char line[LS_CAP];
	int k;
	unsigned hex = (unsigned)(id & 0xFFFF);
	if (!complete) {
		k = snprintf(line, sizeof line, "Checkpoint started   id: 0x%X (%.*s)", hex, (int)nn, name);
	} else if (result == 0) {
		k = snprintf(line, sizeof line, "Checkpoint completed id: 0x%X (%.*s) result=0", hex,
			     (int)nn, name);
	} else {
		/* as idevicerestore prints a completed checkpoint with a result: FAILURE + text */
		const char *err = "";
		size_t en = 0;
		dict_str(s, n, "CHECKPOINT_ERROR", &err, &en);
		if (en > LS_CAP / 2)
			en = LS_CAP / 2;
		k = snprintf(line, sizeof line, "Checkpoint FAILURE id: 0x%X result=%ld: %.*s", hex, result,
			     (int)en, err);
	}
	if (k > 0)
		bt_ls_host_checkpoint(sc, line, (size_t)k < sizeof line ? (size_t)k : sizeof line - 1,
				      FAM_PMD3);
}

static void progress(struct bt_logscan *sc, const char *s, size_t n)
{
	size_t vn;
	const char *v = dict_value(s, n, "Operation", &vn);
	if (!v)
		return;
	long op = -1;
	struct bt_lex x = { v, vn };
	if (!bt_lex_long(&x, &op)) {
		const char *name;
		size_t nn;
		if (!dict_str(s, n, "Operation", &name, &nn))
			return;
		for (size_t i = 0; i < sizeof pmd3_ops / sizeof pmd3_ops[0]; i++)
			if (strlen(pmd3_ops[i].name) == nn && memcmp(pmd3_ops[i].name, name, nn) == 0)
				op = pmd3_ops[i].op;
	}
	if (op < 0 || op > 999)
		return;
	/* by number alone, as idevicerestore's own "(N)" lines are read */
	char line[40];
	int k = snprintf(line, sizeof line, "Unknown operation (%ld)", op);
	if (k > 0)
		bt_ls_progress_line(sc, line, (size_t)k, FAM_PMD3);
}

void bt_ls_pmd3_line(struct bt_logscan *sc, const char *s, size_t n)
{
	/* the level word, then the message */
	size_t w = 0;
	while (w < n && s[w] != ' ')
		w++;
	bool error = (w == 5 && memcmp(s, "ERROR", 5) == 0) || (w == 8 && memcmp(s, "CRITICAL", 8) == 0);
	const char *m = w < n ? s + w + 1 : s + n;
	size_t mn = w < n ? n - w - 1 : 0;
	const char *hw;
	sc->seen_restore = true;
	if (STARTS(m, mn, "checkpoint: {")) {
		checkpoint(sc, m, mn);
	} else if (STARTS(m, mn, "progress-bar: {")) {
		progress(sc, m, mn);
	} else if (STARTS(m, mn, "status message: {")) {
		long st;
		if (dict_long(m, mn, "Status", &st))
			bt_ls_status_number(sc, st, FAM_PMD3);
	} else if (STARTS(m, mn, "hardware info: {")) {
		size_t vn;
		const char *v = dict_value(m, mn, "ChipID", &vn);
		if (v)
			bt_ls_hardware_id(sc, true, v, vn, FAM_PMD3);
		v = dict_value(m, mn, "BoardID", &vn);
		if (v)
			bt_ls_hardware_id(sc, false, v, vn, FAM_PMD3);
	} else if ((hw = FIND(m, mn, "hardware_model: ")) != NULL) {
		/* "connected device: <Device ecid: ... hardware_model: d16ap image4-support: 4>" */
		const char *v = hw + 16;
		size_t vn = 0;
		while (v + vn < m + mn && v[vn] != ' ' && v[vn] != '>' && vn < 16)
			vn++;
		bt_ls_board_word(sc, v, vn, FAM_PMD3);
	} else if (error || STARTS(m, mn, "restored crashed")) {
		bt_ls_add_error(sc);
	}
}
