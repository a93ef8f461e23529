/* korad_proto.c — see korad_proto.h. */
#include "supply/korad_proto.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "supply/numparse.h"

int bt_korad_parse_number(const unsigned char *buf, size_t n, double *out)
{
	char tmp[16];
	size_t k = 0;
	for (size_t i = 0; i < n && k < sizeof tmp - 1; i++) {
		unsigned char c = buf[i];
		if (c == 0 || c == ' ' || c == '\r' || c == '\n')
			continue;
		if (!((c >= '0' && c <= '9') || c == '.'))
			return BT_ERR_DATA;
		tmp[k++] = (char)c;
	}
	if (k == 0)
		return BT_ERR_DATA;
	double v;
	size_t used = bt_parse_decimal(tmp, k, &v);
	if (used != k || v < 0 || v > 1000)
		return BT_ERR_DATA;
	*out = v;
	return BT_OK;
}

static const struct {
	const char *key;
	const char *vendor;
} vendors[] = {
	{ "KORAD", "Korad" }, { "TENMA", "Tenma" }, { "RND", "RND" },
	{ "VELLEMAN", "Velleman" }, { "STAMOS", "Stamos" },
};

static const struct {
	const char *key;   /* upper case, spaces removed */
	const char *model;
	const char *vendor; /* implied when the reply names none */
} models[] = {
	{ "LABPS3005D", "LABPS3005D", "Velleman" }, { "PS3005D", "PS3005D", "Velleman" },
	{ "KA3003P", "KA3003P", "Korad" }, { "KA3005P", "KA3005P", "Korad" },
	{ "KD3005P", "KD3005P", "Korad" }, { "KA3010P", "KA3010P", "Korad" },
	{ "KA6002P", "KA6002P", "Korad" }, { "KA6003P", "KA6003P", "Korad" },
	{ "KA6005P", "KA6005P", "Korad" }, { "KD6005P", "KD6005P", "Korad" },
	{ "72-2535", "72-2535", "Tenma" }, { "72-2540", "72-2540", "Tenma" },
	{ "72-2545", "72-2545", "Tenma" }, { "72-2550", "72-2550", "Tenma" },
	{ "72-2705", "72-2705", "Tenma" }, { "72-2710", "72-2710", "Tenma" },
	{ "S-LS-31", "S-LS-31", "Stamos" },
};

int bt_korad_parse_idn(const unsigned char *buf, size_t n, struct bt_korad_idn *out)
{
	memset(out, 0, sizeof *out);
	/* Upper-case, drop spaces; stop at the first control byte (trailing 0x01, 0xBC, NUL, CR). */
	char up[BT_KORAD_IDN_MAX + 1];
	size_t k = 0;
	for (size_t i = 0; i < n && k < BT_KORAD_IDN_MAX; i++) {
		unsigned char c = buf[i];
		if (c < 0x20 || c >= 0x7f)
			break;
		if (c == ' ')
			continue;
		up[k++] = (char)((c >= 'a' && c <= 'z') ? c - 32 : c);
	}
	up[k] = '\0';
	if (k < 4)
		return BT_ERR_DATA;
	const char *mpos = NULL;
	for (size_t i = 0; i < sizeof models / sizeof models[0] && !mpos; i++) {
		mpos = strstr(up, models[i].key);
		if (mpos) {
			snprintf(out->model, sizeof out->model, "%s", models[i].model);
			snprintf(out->vendor, sizeof out->vendor, "%s", models[i].vendor);
			mpos += strlen(models[i].key);
		}
	}
	if (!mpos)
		return BT_ERR_DATA;
	for (size_t i = 0; i < sizeof vendors / sizeof vendors[0]; i++)
		if (strstr(up, vendors[i].key))
			snprintf(out->vendor, sizeof out->vendor, "%s", vendors[i].vendor);
	const char *v = strchr(mpos, 'V');
	if (v && v[1] >= '0' && v[1] <= '9') {
		size_t j = 0;
		for (v++; j < sizeof out->version - 1 && ((*v >= '0' && *v <= '9') || *v == '.'); v++)
			out->version[j++] = *v;
		out->version[j] = '\0';
	}
	out->slow = strcmp(out->model, "PS3005D") == 0 && strcmp(out->version, "1.3") == 0;
	return BT_OK;
}
