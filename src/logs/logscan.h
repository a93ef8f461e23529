/* logscan.h — streaming restore-log analysis: lines in, a restore summary and evidence out.
 *
 * One scanner follows one restore (one or more sources: a host log and the device log a user
 * pasted after it are one restore). Lines are fed one at a time, from a finished file or from a
 * live restore, with bounded memory whatever the length of the log. The family of each line
 * (idevicerestore, futurerestore, restored device log, Apple MobileDevice, Configurator,
 * 3uTools, wrapper, usbmuxd) is detected per line; a file may mix them.
 *
 * Ownership: the scanner owns its summary; pointers returned are valid until the next feed or
 * free. Nothing here prints. */
#ifndef BT_LOGS_LOGSCAN_H
#define BT_LOGS_LOGSCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/evidence.h"
#include "core/linereader.h"

enum bt_outcome {
	BT_OUTCOME_UNKNOWN = 0, /* nothing recognisable */
	BT_OUTCOME_INCOMPLETE,  /* a restore was seen but no verdict */
	BT_OUTCOME_FAILED,
	BT_OUTCOME_SUCCEEDED
};
const char *bt_outcome_name(enum bt_outcome o); /* "unknown", "incomplete", "failed", "succeeded" */

enum bt_step_state { BT_STEP_STARTED = 1, BT_STEP_DONE, BT_STEP_FAILED, BT_STEP_RETRIED };

/* A step of the restore timeline (a checkpoint, a progress operation or a host phase). */
struct bt_step {
	int id;                /* checkpoint id (low 32 bits; e.g. 0x060D), -1 when none */
	int op;                /* progress operation number, -1 when none */
	const char *name;      /* e.g. "wait_for_storage", "Updating NAND Firmware", "send_nordata" */
	const char *subsystem; /* DESIGN.md subsystem id: "storage", "usb", ... , "unknown" */
	enum bt_step_state state;
	long result;           /* checkpoint result / FAILURE code; 0 when none */
	const char *source;    /* file name */
	long line;             /* 1-based */
	double time_s;         /* seconds since the first timestamped line, < 0 when none */
};

struct bt_restore {
	enum bt_outcome outcome;
	/* The root-cause failing step (the device's "(first failure)" / [0]D text, never the
	 * 0x648 cleanup step); failed_step.name == NULL when the log names none. */
	struct bt_step failed_step;
	const char *subsystem;      /* always set: "none" for success, "unknown" when unknown */
	bool has_status;
	long status;                /* restore status number (Status: text mapped, FAILURE:n, ...) */
	long host_error;            /* iTunes/Finder/Configurator error number, 0 when none */
	const char *product_type;   /* "iPhone9,4" or NULL */
	const char *board_config;   /* "d111ap" or NULL */
	const char *family;         /* dominant log family: "idevicerestore", "futurerestore",
				       "restored", "itunes", "configurator", "3utools", "wrapper",
				       "usbmuxd", "pymobiledevice3", or NULL */
	const char *verdict_source; /* file of the verdict line, or NULL */
	long verdict_line;          /* line of the verdict, 0 when none */
	const char *verdict_text;   /* the verdict line (capped), or NULL */
	size_t nerrors;             /* ERROR-like lines kept (bounded, newest win) */
	const char *const *errors;
	size_t nsteps;              /* timeline, bounded (oldest dropped first) */
	const struct bt_step *steps;
	long lines;                 /* lines fed */
	long recognised;            /* of those, lines some family's parser recognised */
};

struct bt_logscan;

struct bt_logscan *bt_logscan_new(void);
void bt_logscan_free(struct bt_logscan *sc);

/* Starts a new source; `source` names it in evidence origins (copied). */
void bt_logscan_begin(struct bt_logscan *sc, const char *source);
/* One line, as delivered by core/linereader. */
void bt_logscan_line(struct bt_logscan *sc, const struct bt_line *line);
/* Raw bytes of the current source (a live log): split into lines internally. A UTF-16 source
 * (with a BOM, or ASCII interleaved with NULs) or a BOM is decoded first (core/textdec.h). */
void bt_logscan_feed(struct bt_logscan *sc, const char *buf, size_t len);
/* Ends the current source (flushes a last line without newline). */
void bt_logscan_end(struct bt_logscan *sc);
/* begin + whole file + end ("-": standard input, named "(standard input)"). BT_OK, or
 * BT_ERR_IO with errno set. */
int bt_logscan_file(struct bt_logscan *sc, const char *path);

/* Lines so far, over all sources, that some family's parser recognised: a file that adds
 * none is not a restore log (or not one of a known family). */
long bt_logscan_recognised(const struct bt_logscan *sc);

/* The summary as of now. */
const struct bt_restore *bt_logscan_result(struct bt_logscan *sc);
/* Adds the restore evidence (restore.outcome, restore.failed_step, restore.subsystem,
 * restore.status, restore.error, restore.op, device.product_type, ...) to set. */
void bt_logscan_evidence(struct bt_logscan *sc, struct bt_evset *set);

#endif
