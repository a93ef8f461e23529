/* scpi_proto.h — the generic text/SCPI driver's profile file and reply parsing (research 10.2).
 *
 * A profile is a small `key = value` file ('#' comments). Keys: baud, tx_terminator (lf, crlf,
 * cr, none), rx_framing (line, fixed:N, idle:MS), identify (query), identify_match (substring),
 * init (one command sent once after opening), current_query, voltage_query, field (1-based
 * index of the current in a comma-separated reply), scale, error_reply, min_interval_ms,
 * reply_delay_ms, timeout_ms, flush_before_query (yes/no), resolution_a. Only configured
 * queries are ever sent (read-only by construction). Pure: no I/O except bt_scpi_config_load. */
#ifndef BT_SUPPLY_SCPI_PROTO_H
#define BT_SUPPLY_SCPI_PROTO_H

#include <stdbool.h>
#include <stddef.h>

#include "supply/transport.h"

#define BT_SCPI_STR_MAX 64
#define BT_SCPI_REPLY_MAX 256

enum bt_scpi_framing { BT_SCPI_RX_LINE, BT_SCPI_RX_FIXED, BT_SCPI_RX_IDLE };

struct bt_scpi_config {
	unsigned baud;
	struct bt_serial_frame frame;   /* stop bits, parity, handshake (default 8N1, none) */
	char tx_term[3];
	enum bt_scpi_framing rx;
	unsigned rx_arg;                /* fixed length, or idle ms */
	char identify[BT_SCPI_STR_MAX];
	char identify_match[BT_SCPI_STR_MAX];
	char init[BT_SCPI_STR_MAX];
	char current_query[BT_SCPI_STR_MAX];
	char voltage_query[BT_SCPI_STR_MAX];
	unsigned field;                 /* 1-based; 1 = first number */
	unsigned voltage_field;         /* the same for the voltage reply; 0 = as field */
	double scale;
	char error_reply[16];
	int min_interval_ms, reply_delay_ms, timeout_ms;
	bool flush_before_query;
	double resolution_a;
};

/* Defaults: the Owon SPE preset (115200, LF out, line replies, MEAS:CURR?). */
void bt_scpi_config_default(struct bt_scpi_config *c);
/* Applies one line of a profile. BT_OK, or BT_ERR_DATA with a message in err. Read-only by
 * construction: identify and the queries must be queries (hold a '?'), and init may only put
 * the unit in remote mode (SYST:REM / SYST:RWL); nothing that sets a value is accepted. */
int bt_scpi_config_line(struct bt_scpi_config *c, const char *line, char *err, size_t errlen);
/* Loads a profile file over the defaults; errors as "file:line: message". BT_OK, BT_ERR_IO,
 * BT_ERR_DATA. */
int bt_scpi_config_load(const char *path, struct bt_scpi_config *c, char *err, size_t errlen);
/* Extracts the field-th number (1-based) from a reply, times scale. BT_OK, BT_ERR_NA (the
 * reply is the configured error text), BT_ERR_DATA. */
int bt_scpi_parse_reply(const struct bt_scpi_config *c, const char *reply, size_t n, double *out);

#endif
