/* Unit tests for src/report: identifier redaction, escaping, and what each audience sees in
 * text, JSON and HTML. The case and the diagnosis are built by hand so these tests do not
 * depend on the log scanner or the engine's rules. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "report/redact.h"
#include "report/report.h"
#include "store/case_data.h"

#define ECID "0x001A2B3C4D5E6F"
#define SERIAL "F2LXK0ABCDEF"
#define IMEI "356938035643809"
#define UDID "00008030-001A2C3E0A42802E"

static char *red(struct bt_redact *r, const char *s)
{
	static char buf[1024];
	char *out = bt_redact(r, s);
	snprintf(buf, sizeof buf, "%s", out);
	free(out);
	return buf;
}

static void redact_shapes_keywords_values(void **state)
{
	(void)state;
	struct bt_redact *r = bt_redact_new();
	assert_string_equal(red(r, "ECID: 0x001A2B3C4D5E6F ok"), "ECID: ****5E6F ok");
	assert_string_equal(red(r, "CPID:8010 BDID:08 ECID:001A2B3C4D5E6F SRNM:[F2LXK0ABCDEF]"),
			    "CPID:8010 BDID:08 ECID:****5E6F SRNM:[****CDEF]");
	assert_string_equal(red(r, "imei=356938035643809"), "imei=****3809");
	assert_string_equal(red(r, "bare 356938035643809 end"), "bare ****3809 end");
	assert_string_equal(red(r, "device 00008030-001A2C3E0A42802E attached"),
			    "device ****802E attached");
	assert_string_equal(red(r, "udid 0123456789abcdef0123456789abcdef01234567"), "udid ****4567");
	assert_string_equal(red(r, "<key>SerialNumber</key>\n<string>C39ZZ123ABCD</string>"),
			    "<key>SerialNumber</key>\n<string>****ABCD</string>");
	assert_string_equal(red(r, "DeviceSerialNumber=C39ZZ123ABCD"), "DeviceSerialNumber=****ABCD");
	/* Ordinary restore text is left alone. */
	static const char *const plain[] = {
		"Status: 6", "Updating NAND Firmware (58)", "serial port /dev/ttyUSB0 opened",
		"ERROR: Unable to restore device", "checkpoint 0x060D result 4013",
		"we decided 1234 times", "timestamp 1700000000123",
	};
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
		assert_string_equal(red(r, plain[i]), plain[i]);
	/* A value the case knows is hidden wherever it shows up, in any case. */
	bt_redact_add(r, "C39ZZ999WXYZ");
	bt_redact_add(r, "0x00000A1B2C3D4E");
	assert_string_equal(red(r, "found c39zz999wxyz here"), "found ****wxyz here");
	assert_string_equal(red(r, "chip A1B2C3D4E"), "chip ****3D4E"); /* 0x and zeros dropped */
	bt_redact_add(r, "abc"); /* too short to be an identifier: ignored */
	assert_string_equal(red(r, "abc"), "abc");
	bt_redact_free(r);
	assert_null(bt_redact(NULL, NULL));
}

/* A phone that will not boot: failed restore with markup and identifiers in the log. */
static struct bt_case *make_case(void)
{
	struct bt_case *c = bt_case_new();
	c->id = 7;
	c->created = 1763776000;
	c->label = bt_xstrdup("<script>alert('x')</script> & \"quoted\"");
	c->board = bt_xstrdup("iphonex");
	c->product_type = bt_xstrdup("iPhone10,3");
	c->ecid = bt_xstrdup(ECID);
	c->serial = bt_xstrdup(SERIAL);
	c->imei = bt_xstrdup(IMEI);
	c->udid = bt_xstrdup(UDID);
	bt_evset_add(c->evidence, "restore.outcome", "failed", "restore.log", 12, -1,
		     "ERROR: <b>restore</b> failed for ECID 0x001A2B3C4D5E6F & serial F2LXK0ABCDEF");
	bt_evset_add(c->evidence, "restore.failed_step", "wait_for_storage", "restore.log", 9, -1,
		     "<script>x</script> device " UDID);
	bt_evset_add(c->evidence, "iboot.ecid", "0x001A2B3C4D5E6F", "recovery", 0, 1.0, "");
	bt_evset_add(c->evidence, "iboot.mode", "Recovery", "recovery", 0, 1.0, "MODE: Recovery");
	bt_evset_add(c->evidence, "supply.pattern", "boot_loop", "supply", 0, 5.0, "");
	struct bt_case_attempt *a = bt_case_push_attempt(c);
	a->id = 1;
	a->name = bt_xstrdup("restore.log");
	a->started = 1763776010;
	a->log = bt_xstrdup("IMEI: 356938035643809\n<html>&amp; \xff\xfe bad bytes\n\x1b[31mred\nERROR: done\n");
	a->len = strlen(a->log);
	struct bt_case_trace *t = bt_case_push_trace(c);
	t->id = 1;
	t->name = bt_xstrdup("psu <trace>");
	t->started = 1763776000;
	t->rate_hz = 10;
	for (int i = 0; i < 300; i++) {
		struct bt_sample s = { i / 10.0, (i % 80 < 60) ? 0.05 + i % 80 / 200.0 : 0.01, 5 };
		bt_case_trace_push_sample(t, &s);
	}
	bt_case_trace_push_marker(t, 4.0, "wait_for_storage <&>");
	struct bt_case_test *ts = bt_case_push_test(c);
	ts->test_id = bt_xstrdup("front_flex_disconnect");
	ts->outcome = bt_xstrdup("restore_failed");
	ts->started = ts->finished = 1763776100;
	ts->note = bt_xstrdup("tech note");
	bt_case_push_symptom(c, "no_boot");
	bt_case_push_note(c, 1763776200, "internal: customer said " SERIAL);
	return c;
}

static const struct bt_contrib contribs[] = {
	{ "storage_step_failed", "restore.failed_step", "wait_for_storage", "restore.log:9", 4.0,
	  "[S1]", "single", "The restore failed in a storage step <wait_for_storage>." },
};
static const struct bt_hypothesis hyps[] = {
	{ "nand", "NAND (storage chip or its bus)", 0.1, 0.72, 1, contribs },
	{ "earpiece_flex", "Front flex", 0.1, 0.2, 0, NULL },
	{ "usb_link", "USB link", 0.2, 0.08, 0, NULL },
};
/* Designated initializers: the engine may add fields to these structs. */
static const struct bt_next_test next[] = {
	{ .id = "front_flex_disconnect", .title = "Disconnect the front flex and retry",
	  .value = 0.4, .cost = "low", .risk = "none" },
};
static const struct bt_diagnosis diag = { .board = "iphonex", .nhyp = 3, .hyp = hyps,
					  .ntests = 1, .tests = next };

static char *render(const struct bt_case *c, const struct bt_diagnosis *d,
		    enum bt_report_format f, enum bt_report_audience a)
{
	struct bt_report_opts o = { f, a, 1763777000, 0 };
	char *s = bt_report_string(c, d, &o);
	assert_non_null(s);
	return s;
}

static void assert_no_identifiers(const char *s)
{
	assert_null(strstr(s, "001A2B3C4D5E"));
	assert_null(strstr(s, "1A2B3C4D"));
	assert_null(strstr(s, "F2LXK0AB"));
	assert_null(strstr(s, "35693803564"));
	assert_null(strstr(s, "00008030-001A"));
}

static void html_escapes_and_redacts(void **state)
{
	(void)state;
	struct bt_case *c = make_case();
	char *cust = render(c, &diag, BT_REPORT_HTML, BT_AUDIENCE_CUSTOMER);
	char *tech = render(c, &diag, BT_REPORT_HTML, BT_AUDIENCE_TECHNICIAN);
	for (int i = 0; i < 2; i++) {
		const char *h = i ? tech : cust;
		assert_null(strstr(h, "<script"));
		assert_null(strstr(h, "<b>"));
		assert_null(strstr(h, "<html>&amp;")); /* the log's own markup, escaped */
		assert_null(strstr(h, " src="));
		assert_null(strstr(h, " href="));
		assert_non_null(strstr(h, "&lt;script&gt;"));
		assert_non_null(strstr(h, "<svg"));
		assert_non_null(strstr(h, "<polyline"));
		assert_non_null(strstr(h, "@page"));
		assert_non_null(strstr(h, "wait_for_storage &lt;&amp;&gt;")); /* the marker */
		assert_non_null(strstr(h, "</html>"));
	}
	assert_no_identifiers(cust);
	assert_non_null(strstr(cust, "****5E6F"));
	assert_non_null(strstr(cust, "likely"));
	assert_non_null(strstr(cust, "erases all data"));
	assert_non_null(strstr(cust, "Data recovery"));
	assert_non_null(strstr(cust, "Board replacement"));
	assert_non_null(strstr(cust, "does not start up"));
	assert_null(strstr(cust, "internal: customer")); /* notes stay in the shop */
	/* The technician sees everything, escaped. */
	assert_non_null(strstr(tech, ECID));
	assert_non_null(strstr(tech, "IMEI: " IMEI));
	assert_non_null(strstr(tech, "&lt;html&gt;&amp;amp;"));
	assert_non_null(strstr(tech, "internal: customer"));
	free(cust);
	free(tech);
	bt_case_free(c);
}

static void json_audiences(void **state)
{
	(void)state;
	struct bt_case *c = make_case();
	char *cust = render(c, &diag, BT_REPORT_JSON, BT_AUDIENCE_CUSTOMER);
	char *tech = render(c, &diag, BT_REPORT_JSON, BT_AUDIENCE_TECHNICIAN);
	assert_no_identifiers(cust);
	json_error_t e;
	json_t *j = json_loads(cust, 0, &e);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "schema")), BT_REPORT_SCHEMA);
	assert_string_equal(json_string_value(json_object_get(j, "audience")), "customer");
	json_t *ids = json_object_get(json_object_get(j, "case"), "identifiers");
	assert_string_equal(json_string_value(json_object_get(ids, "ecid")), "****5E6F");
	assert_string_equal(json_string_value(json_object_get(ids, "udid")), "****802E");
	json_t *summary = json_object_get(j, "summary");
	assert_string_equal(json_string_value(json_object_get(summary, "boots")), "no");
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(summary, "likely_fault"), "id")), "nand");
	assert_true(json_array_size(json_object_get(summary, "not_tested")) >= 5);
	assert_true(json_array_size(json_object_get(summary, "options")) >= 3);
	json_t *att = json_array_get(json_object_get(j, "attempts"), 0);
	assert_null(json_object_get(att, "log")); /* raw logs stay with the technician */
	assert_int_equal(json_array_size(json_object_get(j, "notes")), 0);
	json_decref(j);
	j = json_loads(tech, 0, &e); /* invalid UTF-8 in the log still makes valid JSON */
	assert_non_null(j);
	att = json_array_get(json_object_get(j, "attempts"), 0);
	assert_non_null(strstr(json_string_value(json_object_get(att, "log")), IMEI));
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(json_object_get(j, "case"), "identifiers"), "ecid")),
			    ECID);
	json_t *h0 = json_array_get(json_object_get(json_object_get(j, "diagnosis"), "hypotheses"), 0);
	assert_true(json_real_value(json_object_get(h0, "probability")) > 0.7);
	json_t *tr = json_array_get(json_object_get(j, "traces"), 0);
	assert_int_equal(json_integer_value(json_object_get(tr, "samples")), 300);
	assert_true(json_real_value(json_object_get(tr, "max_ma")) > 300);
	json_decref(j);
	free(cust);
	free(tech);
	bt_case_free(c);
}

static void text_audiences_and_no_diagnosis(void **state)
{
	(void)state;
	struct bt_case *c = make_case();
	char *cust = render(c, &diag, BT_REPORT_TEXT, BT_AUDIENCE_CUSTOMER);
	assert_no_identifiers(cust);
	assert_non_null(strstr(cust, "What could not be tested"));
	assert_non_null(strstr(cust, "likely (72%)"));
	assert_non_null(strstr(cust, "storage chip"));
	char *tech = render(c, &diag, BT_REPORT_TEXT, BT_AUDIENCE_TECHNICIAN);
	assert_non_null(strstr(tech, SERIAL));
	assert_non_null(strstr(tech, "storage_step_failed"));
	assert_non_null(strstr(tech, "restore.log:12"));
	assert_null(strchr(tech, '\x1b')); /* the log's terminal escape is neutralised */
	assert_non_null(strstr(tech, "?[31mred"));
	free(cust);
	free(tech);
	/* No diagnosis and an empty case: still a report, saying so. */
	struct bt_case *empty = bt_case_new();
	empty->id = 1;
	char *e = render(empty, NULL, BT_REPORT_TEXT, BT_AUDIENCE_CUSTOMER);
	assert_non_null(strstr(e, "No diagnosis could be made"));
	free(e);
	e = render(empty, NULL, BT_REPORT_HTML, BT_AUDIENCE_TECHNICIAN);
	assert_non_null(strstr(e, "</html>"));
	free(e);
	e = render(empty, NULL, BT_REPORT_JSON, BT_AUDIENCE_CUSTOMER);
	json_error_t je;
	json_t *j = json_loads(e, 0, &je);
	assert_non_null(j);
	assert_true(json_is_null(json_object_get(j, "diagnosis")));
	json_decref(j);
	free(e);
	bt_case_free(empty);
	bt_case_free(c);
}

static void parse_options(void **state)
{
	(void)state;
	enum bt_report_format f;
	enum bt_report_audience a;
	assert_int_equal(bt_report_format_parse("html", &f), BT_OK);
	assert_int_equal(f, BT_REPORT_HTML);
	assert_int_equal(bt_report_format_parse("pdf", &f), BT_ERR_ARG);
	assert_int_equal(bt_report_audience_parse("customer", &a), BT_OK);
	assert_int_equal(a, BT_AUDIENCE_CUSTOMER);
	assert_int_equal(bt_report_audience_parse("boss", &a), BT_ERR_ARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(redact_shapes_keywords_values),
		cmocka_unit_test(html_escapes_and_redacts),
		cmocka_unit_test(json_audiences),
		cmocka_unit_test(text_audiences_and_no_diagnosis),
		cmocka_unit_test(parse_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
