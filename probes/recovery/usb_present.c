/* usb_present.c — recovery-mode phones on the bus, from sysfs (see usb_present.h). */
#include "recovery/usb_present.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A sysfs attribute of four hex digits ("05ac\n"); -1 when absent or malformed. */
static long hex_attr(const char *root, const char *dev, const char *attr)
{
	char path[512];
	if ((size_t)snprintf(path, sizeof path, "%s/%s/%s", root, dev, attr) >= sizeof path)
		return -1;
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char buf[16] = "";
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *end;
	long v = strtol(buf, &end, 16);
	return end == buf ? -1 : v;
}

int bt_usb_recovery_present(const char *root)
{
	if (!root) {
		/* tests point this at a copy of the tree (BENCHTRIAGE_USB_SYSFS) */
		const char *env = getenv("BENCHTRIAGE_USB_SYSFS");
		root = env && *env ? env : BT_SYSFS_USB_DEVICES;
	}
	DIR *d = opendir(root);
	if (!d)
		return -1;
	int found = 0;
	struct dirent *e;
	while (!found && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strchr(e->d_name, ':'))
			continue; /* interfaces ("1-1:1.0") carry no ids */
		if (hex_attr(root, e->d_name, "idVendor") != 0x05AC)
			continue;
		long p = hex_attr(root, e->d_name, "idProduct");
		found = p == 0x1222 || p == 0x1227 || (p >= 0x1280 && p <= 0x1283);
	}
	closedir(d);
	return found;
}
