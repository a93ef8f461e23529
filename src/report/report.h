/* report.h — case reports: text, JSON (schema "benchtriage.report/1", docs/report-schema.md)
 * and one self-contained printable HTML page, for the technician (everything) or the customer
 * (plain words, identifiers cut to their last four characters).
 *
 * The caller loads the case and runs the engine (store/case_score.h) and passes both in;
 * d may be NULL when no diagnosis could be made (the report says so). Writing is pure
 * formatting: nothing here opens files or prints to the terminal; output goes to the FILE*
 * given or to a string. The case and diagnosis are only read. */
#ifndef BT_REPORT_REPORT_H
#define BT_REPORT_REPORT_H

#include <stdio.h>

#include "engine/engine.h"
#include "store/case_data.h"

#define BT_REPORT_SCHEMA "benchtriage.report/1"

enum bt_report_format { BT_REPORT_TEXT, BT_REPORT_JSON, BT_REPORT_HTML };
enum bt_report_audience { BT_AUDIENCE_TECHNICIAN, BT_AUDIENCE_CUSTOMER };

struct bt_report_opts {
	enum bt_report_format format;
	enum bt_report_audience audience;
	double generated; /* unix time stamped on the report; < 0: leave the time out */
	int no_raw;       /* non-zero: leave raw logs and recordings out (a screen summary) */
};

/* "text"|"json"|"html", "technician"|"customer"; BT_ERR_ARG otherwise. */
int bt_report_format_parse(const char *s, enum bt_report_format *f);
int bt_report_audience_parse(const char *s, enum bt_report_audience *a);

/* Writes the report. BT_OK, or BT_ERR_IO when the stream failed. */
int bt_report_write(FILE *out, const struct bt_case *c, const struct bt_diagnosis *d,
		    const struct bt_report_opts *o);
/* The report as a new string (caller frees); NULL on failure. */
char *bt_report_string(const struct bt_case *c, const struct bt_diagnosis *d,
		       const struct bt_report_opts *o);

#endif
