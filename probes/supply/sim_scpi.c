/* sim_scpi.c — an Owon SPE3103-like SCPI supply on the simulator core (research 5.1): LF-ended
 * commands, CRLF-ended replies, `ERR` for unknown commands, no reply to set commands. */
#include "supply/sim_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "supply/numparse.h"

#define SCPI_BAUD 115200
#define LINE_MAX_SCPI 128

struct scpi_sim {
	char line[LINE_MAX_SCPI];
	size_t len;
	bool overflow;
	double vset, iset;
	bool output;
	const char *idn;
};

static void reply(struct bt_supply_sim *c, const char *text, double now)
{
	uint8_t out[LINE_MAX_SCPI + 4];
	size_t n = strlen(text);
	if (n > LINE_MAX_SCPI)
		n = LINE_MAX_SCPI;
	memcpy(out, text, n);
	out[n++] = '\r';
	out[n++] = '\n';
	if (sim_fault_now(c, BT_SIM_DROP)) {
		sim_count_drop(c);
		return;
	}
	if (sim_fault_now(c, BT_SIM_GARBAGE))
		for (size_t i = 0; i + 2 < n; i++)
			out[i] = (uint8_t)("#?x!@%&Z"[(size_t)(sim_rand(c) * 8) & 7]);
	if (sim_fault_now(c, BT_SIM_TRUNCATE) && n > 4)
		n -= 4; /* line ending lost: the host must time out, not hang */
	if (sim_fault_now(c, BT_SIM_STRAY))
		out[n++] = '\n';
	sim_reply(c, out, n, 0.010 * (0.5 + sim_rand(c)), now); /* latency [unverified] */
}

static void upcase(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 32);
}

static void execute(struct scpi_sim *s, struct bt_supply_sim *c, double now)
{
	char cmd[LINE_MAX_SCPI + 1];
	memcpy(cmd, s->line, s->len);
	cmd[s->len] = '\0';
	upcase(cmd);
	char txt[64];
	double i, v, val;
	bool cc;
	sim_measure(c, now, s->vset, s->iset, 0.001, s->output, &i, &v, &cc);
	if (strcmp(cmd, "*IDN?") == 0) {
		reply(c, s->idn, now);
	} else if (strcmp(cmd, "MEAS:CURR?") == 0 || strcmp(cmd, "MEASURE:CURRENT?") == 0) {
		snprintf(txt, sizeof txt, "%.3f", i);
		reply(c, txt, now);
	} else if (strcmp(cmd, "MEAS:VOLT?") == 0 || strcmp(cmd, "MEASURE:VOLTAGE?") == 0) {
		snprintf(txt, sizeof txt, "%.3f", v);
		reply(c, txt, now);
	} else if (strcmp(cmd, "MEAS:POW?") == 0) {
		snprintf(txt, sizeof txt, "%.3f", v * i);
		reply(c, txt, now);
	} else if (strcmp(cmd, "OUTP?") == 0 || strcmp(cmd, "OUTPUT?") == 0) {
		reply(c, s->output ? "ON" : "OFF", now);
	} else if (strcmp(cmd, "VOLT?") == 0) {
		snprintf(txt, sizeof txt, "%.3f", s->vset);
		reply(c, txt, now);
	} else if (strcmp(cmd, "CURR?") == 0) {
		snprintf(txt, sizeof txt, "%.3f", s->iset);
		reply(c, txt, now);
	} else if (strcmp(cmd, "SYST:REM") == 0 || strcmp(cmd, "SYST:RWL") == 0 ||
		   strcmp(cmd, "SYST:LOC") == 0) {
		sim_set_remote(c, strcmp(cmd, "SYST:LOC") != 0); /* no reply */
	} else if (strncmp(cmd, "OUTP ", 5) == 0) {
		sim_count_setting(c);
		s->output = cmd[5] == '1' || strcmp(cmd + 5, "ON") == 0;
	} else if (strncmp(cmd, "VOLT ", 5) == 0 && bt_parse_decimal(cmd + 5, strlen(cmd + 5), &val) > 0) {
		sim_count_setting(c);
		s->vset = val;
	} else if (strncmp(cmd, "CURR ", 5) == 0 && bt_parse_decimal(cmd + 5, strlen(cmd + 5), &val) > 0) {
		sim_count_setting(c);
		s->iset = val;
	} else {
		reply(c, "ERR", now);
	}
}

static void scpi_on_byte(void *dev, struct bt_supply_sim *c, uint8_t b, double now)
{
	struct scpi_sim *s = dev;
	if (b == '\n' || b == '\r') {
		if (s->len > 0 && !s->overflow)
			execute(s, c, now);
		s->len = 0;
		s->overflow = false;
		return;
	}
	if (s->len >= LINE_MAX_SCPI) {
		s->overflow = true;
		return;
	}
	s->line[s->len++] = (char)b;
}

static void scpi_tick(void *dev, struct bt_supply_sim *c, double now)
{
	(void)dev;
	(void)c;
	(void)now;
}

static void scpi_free(void *dev) { free(dev); }

static const struct sim_dev_ops scpi_ops = { scpi_on_byte, scpi_tick, scpi_free };

int bt_sim_scpi_new(const struct bt_sim_opts *o, struct sim_dev_init *out, char *err, size_t errlen)
{
	const char *model = o->model ? o->model : "SPE3103";
	const char *idn;
	if (strcmp(model, "SPE3103") == 0)
		idn = "OWON,SPE3103,2152001,FV:V3.1.0";
	else if (strcmp(model, "DC310S") == 0)
		idn = "KIPRIM,DC310S,2203001,FV:V1.2.0";
	else {
		snprintf(err, errlen, "unknown SCPI model '%s'", model);
		return BT_ERR_ARG;
	}
	struct scpi_sim *s = bt_xcalloc(1, sizeof *s);
	s->idn = idn;
	s->vset = 4.20;
	s->iset = o->limit_a > 0 ? o->limit_a : 3.0;
	s->output = true;
	out->ops = &scpi_ops;
	out->dev = s;
	out->baud = SCPI_BAUD;
	out->limit_a = s->iset;
	out->resolution_a = 0.001;
	/* default profile: 20 ms between commands + ~10 ms latency + ~20 bytes */
	out->max_rate_hz = 1.0 / (0.020 + 0.010 + 20 * 10.0 / SCPI_BAUD);
	return BT_OK;
}
