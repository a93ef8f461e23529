/* devices.c — board config -> product type, as data.
 *
 * Rows tagged "irecv-1.0.0" are Debian 12's libirecovery 1.0.0 device table
 * (irecv_devices_get_all(), dumped into the research notes); rows tagged "irecv-upstream" are
 * the iPhones upstream libirecovery 1.1.0-1.3.1 added (dependencies note §7). Only the
 * product type and board config are kept: log file names reveal boards ("iBEC.d54p",
 * "all_flash.n71ap", "sep-firmware.n61", "kernelcache.release.j2a"). */
#include "logs/devices.h"

#include <string.h>
#include <strings.h>

static const struct bt_device_row rows[] = {
	{ "m68ap", "iPhone1,1", "irecv-1.0.0" },
	{ "n82ap", "iPhone1,2", "irecv-1.0.0" },
	{ "n88ap", "iPhone2,1", "irecv-1.0.0" },
	{ "n90ap", "iPhone3,1", "irecv-1.0.0" },
	{ "n90bap", "iPhone3,2", "irecv-1.0.0" },
	{ "n92ap", "iPhone3,3", "irecv-1.0.0" },
	{ "n94ap", "iPhone4,1", "irecv-1.0.0" },
	{ "n41ap", "iPhone5,1", "irecv-1.0.0" },
	{ "n42ap", "iPhone5,2", "irecv-1.0.0" },
	{ "n48ap", "iPhone5,3", "irecv-1.0.0" },
	{ "n49ap", "iPhone5,4", "irecv-1.0.0" },
	{ "n51ap", "iPhone6,1", "irecv-1.0.0" },
	{ "n53ap", "iPhone6,2", "irecv-1.0.0" },
	{ "n56ap", "iPhone7,1", "irecv-1.0.0" },
	{ "n61ap", "iPhone7,2", "irecv-1.0.0" },
	{ "n71ap", "iPhone8,1", "irecv-1.0.0" },
	{ "n71map", "iPhone8,1", "irecv-1.0.0" },
	{ "n66ap", "iPhone8,2", "irecv-1.0.0" },
	{ "n66map", "iPhone8,2", "irecv-1.0.0" },
	{ "n69ap", "iPhone8,4", "irecv-1.0.0" },
	{ "n69uap", "iPhone8,4", "irecv-1.0.0" },
	{ "d10ap", "iPhone9,1", "irecv-1.0.0" },
	{ "d11ap", "iPhone9,2", "irecv-1.0.0" },
	{ "d101ap", "iPhone9,3", "irecv-1.0.0" },
	{ "d111ap", "iPhone9,4", "irecv-1.0.0" },
	{ "d20ap", "iPhone10,1", "irecv-1.0.0" },
	{ "d21ap", "iPhone10,2", "irecv-1.0.0" },
	{ "d22ap", "iPhone10,3", "irecv-1.0.0" },
	{ "d201ap", "iPhone10,4", "irecv-1.0.0" },
	{ "d211ap", "iPhone10,5", "irecv-1.0.0" },
	{ "d221ap", "iPhone10,6", "irecv-1.0.0" },
	{ "d321ap", "iPhone11,2", "irecv-1.0.0" },
	{ "d331ap", "iPhone11,4", "irecv-1.0.0" },
	{ "d331pap", "iPhone11,6", "irecv-1.0.0" },
	{ "n841ap", "iPhone11,8", "irecv-1.0.0" },
	{ "n104ap", "iPhone12,1", "irecv-1.0.0" },
	{ "d421ap", "iPhone12,3", "irecv-1.0.0" },
	{ "d431ap", "iPhone12,5", "irecv-1.0.0" },
	{ "d79ap", "iPhone12,8", "irecv-1.0.0" },
	{ "n45ap", "iPod1,1", "irecv-1.0.0" },
	{ "n72ap", "iPod2,1", "irecv-1.0.0" },
	{ "n18ap", "iPod3,1", "irecv-1.0.0" },
	{ "n81ap", "iPod4,1", "irecv-1.0.0" },
	{ "n78ap", "iPod5,1", "irecv-1.0.0" },
	{ "n102ap", "iPod7,1", "irecv-1.0.0" },
	{ "n112ap", "iPod9,1", "irecv-1.0.0" },
	{ "k48ap", "iPad1,1", "irecv-1.0.0" },
	{ "k93ap", "iPad2,1", "irecv-1.0.0" },
	{ "k94ap", "iPad2,2", "irecv-1.0.0" },
	{ "k95ap", "iPad2,3", "irecv-1.0.0" },
	{ "k93aap", "iPad2,4", "irecv-1.0.0" },
	{ "p105ap", "iPad2,5", "irecv-1.0.0" },
	{ "p106ap", "iPad2,6", "irecv-1.0.0" },
	{ "p107ap", "iPad2,7", "irecv-1.0.0" },
	{ "j1ap", "iPad3,1", "irecv-1.0.0" },
	{ "j2ap", "iPad3,2", "irecv-1.0.0" },
	{ "j2aap", "iPad3,3", "irecv-1.0.0" },
	{ "p101ap", "iPad3,4", "irecv-1.0.0" },
	{ "p102ap", "iPad3,5", "irecv-1.0.0" },
	{ "p103ap", "iPad3,6", "irecv-1.0.0" },
	{ "j71ap", "iPad4,1", "irecv-1.0.0" },
	{ "j72ap", "iPad4,2", "irecv-1.0.0" },
	{ "j73ap", "iPad4,3", "irecv-1.0.0" },
	{ "j85ap", "iPad4,4", "irecv-1.0.0" },
	{ "j86ap", "iPad4,5", "irecv-1.0.0" },
	{ "j87ap", "iPad4,6", "irecv-1.0.0" },
	{ "j85map", "iPad4,7", "irecv-1.0.0" },
	{ "j86map", "iPad4,8", "irecv-1.0.0" },
	{ "j87map", "iPad4,9", "irecv-1.0.0" },
	{ "j96ap", "iPad5,1", "irecv-1.0.0" },
	{ "j97ap", "iPad5,2", "irecv-1.0.0" },
	{ "j81ap", "iPad5,3", "irecv-1.0.0" },
	{ "j82ap", "iPad5,4", "irecv-1.0.0" },
	{ "j127ap", "iPad6,3", "irecv-1.0.0" },
	{ "j128ap", "iPad6,4", "irecv-1.0.0" },
	{ "j98aap", "iPad6,7", "irecv-1.0.0" },
	{ "j99aap", "iPad6,8", "irecv-1.0.0" },
	{ "j71sap", "iPad6,11", "irecv-1.0.0" },
	{ "j71tap", "iPad6,11", "irecv-1.0.0" },
	{ "j72sap", "iPad6,12", "irecv-1.0.0" },
	{ "j72tap", "iPad6,12", "irecv-1.0.0" },
	{ "j120ap", "iPad7,1", "irecv-1.0.0" },
	{ "j121ap", "iPad7,2", "irecv-1.0.0" },
	{ "j207ap", "iPad7,3", "irecv-1.0.0" },
	{ "j208ap", "iPad7,4", "irecv-1.0.0" },
	{ "j71bap", "iPad7,5", "irecv-1.0.0" },
	{ "j72bap", "iPad7,6", "irecv-1.0.0" },
	{ "j171ap", "iPad7,11", "irecv-1.0.0" },
	{ "j172ap", "iPad7,12", "irecv-1.0.0" },
	{ "j317ap", "iPad8,1", "irecv-1.0.0" },
	{ "j317xap", "iPad8,2", "irecv-1.0.0" },
	{ "j318ap", "iPad8,3", "irecv-1.0.0" },
	{ "j318xap", "iPad8,4", "irecv-1.0.0" },
	{ "j320ap", "iPad8,5", "irecv-1.0.0" },
	{ "j320xap", "iPad8,6", "irecv-1.0.0" },
	{ "j321ap", "iPad8,7", "irecv-1.0.0" },
	{ "j321xap", "iPad8,8", "irecv-1.0.0" },
	{ "j417ap", "iPad8,9", "irecv-1.0.0" },
	{ "j418ap", "iPad8,10", "irecv-1.0.0" },
	{ "j420ap", "iPad8,11", "irecv-1.0.0" },
	{ "j421ap", "iPad8,12", "irecv-1.0.0" },
	{ "j210ap", "iPad11,1", "irecv-1.0.0" },
	{ "j211ap", "iPad11,2", "irecv-1.0.0" },
	{ "j217ap", "iPad11,3", "irecv-1.0.0" },
	{ "j218ap", "iPad11,4", "irecv-1.0.0" },
	{ "d52gap", "iPhone13,1", "irecv-upstream" },
	{ "d53gap", "iPhone13,2", "irecv-upstream" },
	{ "d53pap", "iPhone13,3", "irecv-upstream" },
	{ "d54pap", "iPhone13,4", "irecv-upstream" },
	{ "d63ap", "iPhone14,2", "irecv-upstream" },
	{ "d64ap", "iPhone14,3", "irecv-upstream" },
	{ "d16ap", "iPhone14,4", "irecv-upstream" },
	{ "d17ap", "iPhone14,5", "irecv-upstream" },
	{ "d49ap", "iPhone14,6", "irecv-upstream" },
	{ "d27ap", "iPhone14,7", "irecv-upstream" },
	{ "d28ap", "iPhone14,8", "irecv-upstream" },
	{ "d73ap", "iPhone15,2", "irecv-upstream" },
	{ "d74ap", "iPhone15,3", "irecv-upstream" },
	{ "d37ap", "iPhone15,4", "irecv-upstream" },
	{ "d38ap", "iPhone15,5", "irecv-upstream" },
	{ "d83ap", "iPhone16,1", "irecv-upstream" },
	{ "d84ap", "iPhone16,2", "irecv-upstream" },
	{ "d93ap", "iPhone17,1", "irecv-upstream" },
	{ "d94ap", "iPhone17,2", "irecv-upstream" },
	{ "d47ap", "iPhone17,3", "irecv-upstream" },
	{ "d48ap", "iPhone17,4", "irecv-upstream" },
	{ "v59ap", "iPhone17,5", "irecv-upstream" },
	{ "v53ap", "iPhone18,1", "irecv-upstream" },
	{ "v54ap", "iPhone18,2", "irecv-upstream" },
	{ "v57ap", "iPhone18,3", "irecv-upstream" },
	{ "d23ap", "iPhone18,4", "irecv-upstream" },
	{ "v159ap", "iPhone18,5", "irecv-upstream" },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* "n71ap" and "n71" name the same board: compare without a final "ap". */
static size_t core_len(const char *s, size_t n)
{
	if (n > 2 && (s[n - 2] == 'a' || s[n - 2] == 'A') && (s[n - 1] == 'p' || s[n - 1] == 'P'))
		return n - 2;
	return n;
}

const struct bt_device_row *bt_devices_by_board_n(const char *board, size_t n)
{
	if (!board || n < 2 || n > 16)
		return NULL;
	size_t bn = core_len(board, n);
	for (size_t i = 0; i < N(rows); i++) {
		size_t rn = core_len(rows[i].board, strlen(rows[i].board));
		if (rn == bn && strncasecmp(rows[i].board, board, bn) == 0)
			return &rows[i];
	}
	return NULL;
}

const struct bt_device_row *bt_devices_by_board(const char *board)
{
	return board ? bt_devices_by_board_n(board, strlen(board)) : NULL;
}

const struct bt_device_row *bt_devices_by_product(const char *product)
{
	if (!product)
		return NULL;
	for (size_t i = 0; i < N(rows); i++)
		if (strcmp(rows[i].product, product) == 0)
			return &rows[i];
	return NULL;
}

size_t bt_devices_count(void) { return N(rows); }
const struct bt_device_row *bt_devices_at(size_t i) { return i < N(rows) ? &rows[i] : NULL; }
