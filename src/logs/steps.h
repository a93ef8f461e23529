/* steps.h — the restore knowledge tables, as data, each row with its source.
 *
 * One place for: checkpoint id -> name -> subsystem, progress operation number -> text ->
 * subsystem, `Status:` text -> status number, and the error numbers iTunes / Finder /
 * Configurator show. Subsystems are DESIGN.md's ids: usb, storage, filesystem, baseband, fdr,
 * secure_element, firmware_updater, nvram, host, none, unknown.
 *
 * Source tags (expanded in docs/log-formats.md): "RLF§N" = the research note on restore-log
 * formats, section N; "fNN" = corpus log NN (tests/data/corpus); "#NNN" = an
 * libimobiledevice/idevicerestore issue; "FK" = the fault-knowledge note with its [Sxx] tag;
 * "irs" = idevicerestore source (restore.c tables).
 *
 * Ownership: every pointer returned points at static, read-only data. Lookups never allocate. */
#ifndef BT_LOGS_STEPS_H
#define BT_LOGS_STEPS_H

#include <stddef.h>

#define BT_STEPF_CLEANUP 1u  /* always runs after a failure; never the root cause */
#define BT_STEPF_PARENT 2u   /* inherits its child's failure (perform_restore_installing ...) */
#define BT_STEPF_HOST 4u     /* a host-side phase with no checkpoint id (send_nordata ...) */

struct bt_step_info {
	int id;                /* checkpoint id, -1 for name-only rows */
	const char *name;      /* as the device prints it */
	const char *alias;     /* older / alternative name, or NULL */
	const char *subsystem;
	unsigned flags;        /* BT_STEPF_* */
	const char *what;      /* what the step does, briefly */
	const char *source;
};

struct bt_op_info {
	int op;                /* operation number as current idevicerestore numbers it */
	const char *text;      /* idevicerestore's text for it */
	const char *step;      /* equivalent checkpoint step name, or NULL */
	const char *subsystem;
	const char *source;
};

struct bt_status_info {
	long status;           /* StatusMsg number */
	const char *text;      /* printed after "Status: " */
	const char *subsystem;
	const char *note;
	const char *source;
};

struct bt_host_error_info {
	long code;             /* number iTunes / Finder / Configurator shows */
	const char *meaning;   /* "no sourced meaning" when none was found */
	const char *side;      /* "host", "hardware", "both", "unknown" */
	const char *subsystem; /* what it points at, "unknown" when not sourced */
	const char *confidence;/* well|single|folklore|unverified|none */
	const char *source;
};

/* Checkpoint steps. by_id takes the low 16 bits of NVRAM map keys as well (0x1107067B). */
const struct bt_step_info *bt_steps_by_id(int id);
/* By device name or alias ("update_s3e_firmware"), case-insensitive; NULL when unknown. */
const struct bt_step_info *bt_steps_by_name(const char *name);
const struct bt_step_info *bt_steps_by_name_n(const char *name, size_t n);
/* Maps an error text from a `[n]D(...)` chain ("failed to install splat",
 * "update_stockholm: NfRestore Failed") to the step it names, or NULL. */
const struct bt_step_info *bt_steps_by_text(const char *text, size_t n);
/* The subsystem of a step name, "unknown" when the name is not in the table. */
const char *bt_steps_subsystem(const char *name);
size_t bt_steps_count(void);
const struct bt_step_info *bt_steps_at(size_t i);

/* Progress operations. */
const struct bt_op_info *bt_ops_by_number(int op);
/* By printed text ("Updating NAND Firmware"), case-insensitive, exact; NULL when unknown. */
const struct bt_op_info *bt_ops_by_text(const char *text, size_t n);
size_t bt_ops_count(void);
const struct bt_op_info *bt_ops_at(size_t i);

/* Status messages. by_text matches the text with or without a final period. */
const struct bt_status_info *bt_status_by_text(const char *text, size_t n);
const struct bt_status_info *bt_status_by_number(long status);
size_t bt_status_count(void);
const struct bt_status_info *bt_status_at(size_t i);

/* Host (iTunes / Finder / Configurator) error numbers; NULL when the code is not listed. */
const struct bt_host_error_info *bt_host_error_info(long code);
size_t bt_host_error_count(void);
const struct bt_host_error_info *bt_host_error_at(size_t i);

#endif
