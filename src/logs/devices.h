/* devices.h — which product type a board config belongs to (n71ap -> iPhone8,1).
 *
 * Data with sources in devices.c. Used to turn board names found in restore logs into a
 * product type. Static, read-only data; nothing allocates. */
#ifndef BT_LOGS_DEVICES_H
#define BT_LOGS_DEVICES_H

#include <stddef.h>

struct bt_device_row {
	const char *board;   /* board config as libirecovery names it, e.g. "n71ap" */
	const char *product; /* product type, e.g. "iPhone8,1" */
	unsigned cpid;       /* chip id (0x8000), 0 where the source gives none */
	unsigned bdid;       /* board id (0x04), meaningful only with cpid */
	const char *source;
};

/* By board config, with or without the final "ap" ("d54p" finds d54pap), case-insensitive;
 * the first row wins where a board has two (n71ap / n71map both give iPhone8,1). */
const struct bt_device_row *bt_devices_by_board(const char *board);
const struct bt_device_row *bt_devices_by_board_n(const char *board, size_t n);
/* The board named in a bootloader or kernel image's file name ("iBEC.d22.RELEASE.im4p"),
 * NULL when that name may serve another product too: one IPSW's iBSS/iBEC/iBoot/LLB.d22
 * are those of d22ap and d221ap (iPhone10,3 and iPhone10,6), only the DeviceTree tells them
 * apart (BuildManifest of iPhone10,3,iPhone10,6 IPSWs). */
const struct bt_device_row *bt_devices_by_image_board(const char *board, size_t n);
/* The row of a chip id and board id (idevicerestore's "ChipID: 32768" / "BoardID: 4"), or
 * NULL; cpid 0 finds nothing. */
const struct bt_device_row *bt_devices_by_chip(unsigned cpid, unsigned bdid);
/* The first row of a product type, or NULL. */
const struct bt_device_row *bt_devices_by_product(const char *product);
/* The row of product when it is the only one with that product type, else NULL. */
const struct bt_device_row *bt_devices_by_product_only(const char *product);
size_t bt_devices_count(void);
const struct bt_device_row *bt_devices_at(size_t i);

#endif
