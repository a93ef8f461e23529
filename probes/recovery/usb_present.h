/* usb_present.h — is a phone in recovery, DFU or WTF mode on the USB bus, as the kernel sees it?
 *
 * Read from sysfs (each device's idVendor / idProduct), without opening anything, so it can
 * say "a phone is there but could not be opened" (permissions, another tool holding it) and
 * spare libirecovery 1.0.0 an open attempt that leaks libusb's device list when no phone is
 * there. Pure file reading; nothing here prints or allocates. */
#ifndef BT_RECOVERY_USB_PRESENT_H
#define BT_RECOVERY_USB_PRESENT_H

#define BT_SYSFS_USB_DEVICES "/sys/bus/usb/devices"

/* 1 when a device under root (NULL: $BENCHTRIAGE_USB_SYSFS if set, else BT_SYSFS_USB_DEVICES)
 * has vendor 05ac and a recovery/DFU/WTF product id (0x1222, 0x1227, 0x1280-0x1283); 0 when
 * none does; -1 when root cannot be read (no sysfs: the caller must just try). */
int bt_usb_recovery_present(const char *root);

#endif
