/* devices.c — board config -> product type, as data.
 *
 * Rows tagged "irecv-1.0.0" are Debian 12's libirecovery 1.0.0 device table
 * (irecv_devices_get_all(), dumped into the research notes); rows tagged "irecv-upstream" are
 * the iPhones upstream libirecovery 1.1.0-1.3.1 added (dependencies note §7). Product type and
 * board config: log file names reveal boards ("iBEC.d54p", "all_flash.n71ap",
 * "sep-firmware.n61", "kernelcache.release.j2a"). Chip and board ids: idevicerestore's
 * "Hardware Information:" block prints them; they are the same 1.0.0 table's chip_id and
 * board_id (read with irecv_devices_get_all() on Debian 12), 0 for the upstream rows, whose
 * ids were not in that table. */
#include "logs/devices.h"

#include <string.h>
#include <strings.h>

static const struct bt_device_row rows[] = {
	{ "m68ap", "iPhone1,1", 0x8900, 0x00, "irecv-1.0.0" },
	{ "n82ap", "iPhone1,2", 0x8900, 0x04, "irecv-1.0.0" },
	{ "n88ap", "iPhone2,1", 0x8920, 0x00, "irecv-1.0.0" },
	{ "n90ap", "iPhone3,1", 0x8930, 0x00, "irecv-1.0.0" },
	{ "n90bap", "iPhone3,2", 0x8930, 0x04, "irecv-1.0.0" },
	{ "n92ap", "iPhone3,3", 0x8930, 0x06, "irecv-1.0.0" },
	{ "n94ap", "iPhone4,1", 0x8940, 0x08, "irecv-1.0.0" },
	{ "n41ap", "iPhone5,1", 0x8950, 0x00, "irecv-1.0.0" },
	{ "n42ap", "iPhone5,2", 0x8950, 0x02, "irecv-1.0.0" },
	{ "n48ap", "iPhone5,3", 0x8950, 0x0A, "irecv-1.0.0" },
	{ "n49ap", "iPhone5,4", 0x8950, 0x0E, "irecv-1.0.0" },
	{ "n51ap", "iPhone6,1", 0x8960, 0x00, "irecv-1.0.0" },
	{ "n53ap", "iPhone6,2", 0x8960, 0x02, "irecv-1.0.0" },
	{ "n56ap", "iPhone7,1", 0x7000, 0x04, "irecv-1.0.0" },
	{ "n61ap", "iPhone7,2", 0x7000, 0x06, "irecv-1.0.0" },
	{ "n71ap", "iPhone8,1", 0x8000, 0x04, "irecv-1.0.0" },
	{ "n71map", "iPhone8,1", 0x8003, 0x04, "irecv-1.0.0" },
	{ "n66ap", "iPhone8,2", 0x8000, 0x06, "irecv-1.0.0" },
	{ "n66map", "iPhone8,2", 0x8003, 0x06, "irecv-1.0.0" },
	{ "n69ap", "iPhone8,4", 0x8003, 0x02, "irecv-1.0.0" },
	{ "n69uap", "iPhone8,4", 0x8000, 0x02, "irecv-1.0.0" },
	{ "d10ap", "iPhone9,1", 0x8010, 0x08, "irecv-1.0.0" },
	{ "d11ap", "iPhone9,2", 0x8010, 0x0A, "irecv-1.0.0" },
	{ "d101ap", "iPhone9,3", 0x8010, 0x0C, "irecv-1.0.0" },
	{ "d111ap", "iPhone9,4", 0x8010, 0x0E, "irecv-1.0.0" },
	{ "d20ap", "iPhone10,1", 0x8015, 0x02, "irecv-1.0.0" },
	{ "d21ap", "iPhone10,2", 0x8015, 0x04, "irecv-1.0.0" },
	{ "d22ap", "iPhone10,3", 0x8015, 0x06, "irecv-1.0.0" },
	{ "d201ap", "iPhone10,4", 0x8015, 0x0A, "irecv-1.0.0" },
	{ "d211ap", "iPhone10,5", 0x8015, 0x0C, "irecv-1.0.0" },
	{ "d221ap", "iPhone10,6", 0x8015, 0x0E, "irecv-1.0.0" },
	{ "d321ap", "iPhone11,2", 0x8020, 0x0E, "irecv-1.0.0" },
	{ "d331ap", "iPhone11,4", 0x8020, 0x0A, "irecv-1.0.0" },
	{ "d331pap", "iPhone11,6", 0x8020, 0x1A, "irecv-1.0.0" },
	{ "n841ap", "iPhone11,8", 0x8020, 0x0C, "irecv-1.0.0" },
	{ "n104ap", "iPhone12,1", 0x8030, 0x04, "irecv-1.0.0" },
	{ "d421ap", "iPhone12,3", 0x8030, 0x06, "irecv-1.0.0" },
	{ "d431ap", "iPhone12,5", 0x8030, 0x02, "irecv-1.0.0" },
	{ "d79ap", "iPhone12,8", 0x8030, 0x10, "irecv-1.0.0" },
	{ "n45ap", "iPod1,1", 0x8900, 0x02, "irecv-1.0.0" },
	{ "n72ap", "iPod2,1", 0x8720, 0x00, "irecv-1.0.0" },
	{ "n18ap", "iPod3,1", 0x8922, 0x02, "irecv-1.0.0" },
	{ "n81ap", "iPod4,1", 0x8930, 0x08, "irecv-1.0.0" },
	{ "n78ap", "iPod5,1", 0x8942, 0x00, "irecv-1.0.0" },
	{ "n102ap", "iPod7,1", 0x7000, 0x10, "irecv-1.0.0" },
	{ "n112ap", "iPod9,1", 0x8010, 0x16, "irecv-1.0.0" },
	{ "k48ap", "iPad1,1", 0x8930, 0x02, "irecv-1.0.0" },
	{ "k93ap", "iPad2,1", 0x8940, 0x04, "irecv-1.0.0" },
	{ "k94ap", "iPad2,2", 0x8940, 0x06, "irecv-1.0.0" },
	{ "k95ap", "iPad2,3", 0x8940, 0x02, "irecv-1.0.0" },
	{ "k93aap", "iPad2,4", 0x8942, 0x06, "irecv-1.0.0" },
	{ "p105ap", "iPad2,5", 0x8942, 0x0A, "irecv-1.0.0" },
	{ "p106ap", "iPad2,6", 0x8942, 0x0C, "irecv-1.0.0" },
	{ "p107ap", "iPad2,7", 0x8942, 0x0E, "irecv-1.0.0" },
	{ "j1ap", "iPad3,1", 0x8945, 0x00, "irecv-1.0.0" },
	{ "j2ap", "iPad3,2", 0x8945, 0x02, "irecv-1.0.0" },
	{ "j2aap", "iPad3,3", 0x8945, 0x04, "irecv-1.0.0" },
	{ "p101ap", "iPad3,4", 0x8955, 0x00, "irecv-1.0.0" },
	{ "p102ap", "iPad3,5", 0x8955, 0x02, "irecv-1.0.0" },
	{ "p103ap", "iPad3,6", 0x8955, 0x04, "irecv-1.0.0" },
	{ "j71ap", "iPad4,1", 0x8960, 0x10, "irecv-1.0.0" },
	{ "j72ap", "iPad4,2", 0x8960, 0x12, "irecv-1.0.0" },
	{ "j73ap", "iPad4,3", 0x8960, 0x14, "irecv-1.0.0" },
	{ "j85ap", "iPad4,4", 0x8960, 0x0A, "irecv-1.0.0" },
	{ "j86ap", "iPad4,5", 0x8960, 0x0C, "irecv-1.0.0" },
	{ "j87ap", "iPad4,6", 0x8960, 0x0E, "irecv-1.0.0" },
	{ "j85map", "iPad4,7", 0x8960, 0x32, "irecv-1.0.0" },
	{ "j86map", "iPad4,8", 0x8960, 0x34, "irecv-1.0.0" },
	{ "j87map", "iPad4,9", 0x8960, 0x36, "irecv-1.0.0" },
	{ "j96ap", "iPad5,1", 0x7000, 0x08, "irecv-1.0.0" },
	{ "j97ap", "iPad5,2", 0x7000, 0x0A, "irecv-1.0.0" },
	{ "j81ap", "iPad5,3", 0x7001, 0x06, "irecv-1.0.0" },
	{ "j82ap", "iPad5,4", 0x7001, 0x02, "irecv-1.0.0" },
	{ "j127ap", "iPad6,3", 0x8001, 0x08, "irecv-1.0.0" },
	{ "j128ap", "iPad6,4", 0x8001, 0x0A, "irecv-1.0.0" },
	{ "j98aap", "iPad6,7", 0x8001, 0x10, "irecv-1.0.0" },
	{ "j99aap", "iPad6,8", 0x8001, 0x12, "irecv-1.0.0" },
	{ "j71sap", "iPad6,11", 0x8000, 0x10, "irecv-1.0.0" },
	{ "j71tap", "iPad6,11", 0x8003, 0x10, "irecv-1.0.0" },
	{ "j72sap", "iPad6,12", 0x8000, 0x12, "irecv-1.0.0" },
	{ "j72tap", "iPad6,12", 0x8003, 0x12, "irecv-1.0.0" },
	{ "j120ap", "iPad7,1", 0x8011, 0x0C, "irecv-1.0.0" },
	{ "j121ap", "iPad7,2", 0x8011, 0x0E, "irecv-1.0.0" },
	{ "j207ap", "iPad7,3", 0x8011, 0x04, "irecv-1.0.0" },
	{ "j208ap", "iPad7,4", 0x8011, 0x06, "irecv-1.0.0" },
	{ "j71bap", "iPad7,5", 0x8010, 0x18, "irecv-1.0.0" },
	{ "j72bap", "iPad7,6", 0x8010, 0x1A, "irecv-1.0.0" },
	{ "j171ap", "iPad7,11", 0x8010, 0x1C, "irecv-1.0.0" },
	{ "j172ap", "iPad7,12", 0x8010, 0x1E, "irecv-1.0.0" },
	{ "j317ap", "iPad8,1", 0x8027, 0x0C, "irecv-1.0.0" },
	{ "j317xap", "iPad8,2", 0x8027, 0x1C, "irecv-1.0.0" },
	{ "j318ap", "iPad8,3", 0x8027, 0x0E, "irecv-1.0.0" },
	{ "j318xap", "iPad8,4", 0x8027, 0x1E, "irecv-1.0.0" },
	{ "j320ap", "iPad8,5", 0x8027, 0x08, "irecv-1.0.0" },
	{ "j320xap", "iPad8,6", 0x8027, 0x18, "irecv-1.0.0" },
	{ "j321ap", "iPad8,7", 0x8027, 0x0A, "irecv-1.0.0" },
	{ "j321xap", "iPad8,8", 0x8027, 0x1A, "irecv-1.0.0" },
	{ "j417ap", "iPad8,9", 0x8027, 0x3C, "irecv-1.0.0" },
	{ "j418ap", "iPad8,10", 0x8027, 0x3E, "irecv-1.0.0" },
	{ "j420ap", "iPad8,11", 0x8027, 0x38, "irecv-1.0.0" },
	{ "j421ap", "iPad8,12", 0x8027, 0x3A, "irecv-1.0.0" },
	{ "j210ap", "iPad11,1", 0x8020, 0x14, "irecv-1.0.0" },
	{ "j211ap", "iPad11,2", 0x8020, 0x16, "irecv-1.0.0" },
	{ "j217ap", "iPad11,3", 0x8020, 0x1C, "irecv-1.0.0" },
	{ "j218ap", "iPad11,4", 0x8020, 0x1E, "irecv-1.0.0" },
	{ "d52gap", "iPhone13,1", 0, 0, "irecv-upstream" },
	{ "d53gap", "iPhone13,2", 0, 0, "irecv-upstream" },
	{ "d53pap", "iPhone13,3", 0, 0, "irecv-upstream" },
	{ "d54pap", "iPhone13,4", 0, 0, "irecv-upstream" },
	{ "d63ap", "iPhone14,2", 0, 0, "irecv-upstream" },
	{ "d64ap", "iPhone14,3", 0, 0, "irecv-upstream" },
	{ "d16ap", "iPhone14,4", 0, 0, "irecv-upstream" },
	{ "d17ap", "iPhone14,5", 0, 0, "irecv-upstream" },
	{ "d49ap", "iPhone14,6", 0, 0, "irecv-upstream" },
	{ "d27ap", "iPhone14,7", 0, 0, "irecv-upstream" },
	{ "d28ap", "iPhone14,8", 0, 0, "irecv-upstream" },
	{ "d73ap", "iPhone15,2", 0, 0, "irecv-upstream" },
	{ "d74ap", "iPhone15,3", 0, 0, "irecv-upstream" },
	{ "d37ap", "iPhone15,4", 0, 0, "irecv-upstream" },
	{ "d38ap", "iPhone15,5", 0, 0, "irecv-upstream" },
	{ "d83ap", "iPhone16,1", 0, 0, "irecv-upstream" },
	{ "d84ap", "iPhone16,2", 0, 0, "irecv-upstream" },
	{ "d93ap", "iPhone17,1", 0, 0, "irecv-upstream" },
	{ "d94ap", "iPhone17,2", 0, 0, "irecv-upstream" },
	{ "d47ap", "iPhone17,3", 0, 0, "irecv-upstream" },
	{ "d48ap", "iPhone17,4", 0, 0, "irecv-upstream" },
	{ "v59ap", "iPhone17,5", 0, 0, "irecv-upstream" },
	{ "v53ap", "iPhone18,1", 0, 0, "irecv-upstream" },
	{ "v54ap", "iPhone18,2", 0, 0, "irecv-upstream" },
	{ "v57ap", "iPhone18,3", 0, 0, "irecv-upstream" },
	{ "d23ap", "iPhone18,4", 0, 0, "irecv-upstream" },
	{ "v159ap", "iPhone18,5", 0, 0, "irecv-upstream" },
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

const struct bt_device_row *bt_devices_by_image_board(const char *board, size_t n)
{
	const struct bt_device_row *row = bt_devices_by_board_n(board, n);
	if (!row)
		return NULL;
	size_t bn = core_len(board, n);
	for (size_t i = 0; i < N(rows); i++) {
		size_t rn = core_len(rows[i].board, strlen(rows[i].board));
		char next = rows[i].board[bn];
		/* d22 serves d221ap (iPhone10,6) too; whether j317's images serve the 1 TB j317xap
		 * (iPad8,2) is not known to us, so that name is not taken as one board either */
		if (rn > bn && strncasecmp(rows[i].board, board, bn) == 0 &&
		    ((next >= '0' && next <= '9') || next == 'x' || next == 'X') &&
		    strcmp(rows[i].product, row->product) != 0)
			return NULL;
	}
	return row;
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

const struct bt_device_row *bt_devices_by_product_only(const char *product)
{
	const struct bt_device_row *found = NULL;
	for (size_t i = 0; product && i < N(rows); i++)
		if (strcmp(rows[i].product, product) == 0) {
			if (found)
				return NULL;
			found = &rows[i];
		}
	return found;
}

size_t bt_devices_count(void) { return N(rows); }
const struct bt_device_row *bt_devices_at(size_t i) { return i < N(rows) ? &rows[i] : NULL; }

const struct bt_device_row *bt_devices_by_chip(unsigned cpid, unsigned bdid)
{
	if (cpid == 0)
		return NULL;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (rows[i].cpid == cpid && rows[i].bdid == bdid)
			return &rows[i];
	return NULL;
}
