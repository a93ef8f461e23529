/* fakeusb.c — an LD_PRELOAD stand-in for the libusb calls libirecovery 1.0.0 makes, so the
 * real binary's USB backend runs against "phones" on a machine without any (recovery_usb.sh).
 *   FAKE_LAYOUT  devices in libusb's order: P phone in recovery, D phone in DFU, H hub
 *   FAKE_CTRL    what every control transfer answers (libusb code; 0: "false" for reads)
 * get_device_descriptor fails a pointer that is not one of its devices, so a caller that
 * reads a freed device list is caught, not just lucky. */
#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fake {
	struct libusb_device_descriptor desc;
};
static struct fake devs[8];
static int ndev;

__attribute__((constructor)) static void setup(void)
{
	const char *lay = getenv("FAKE_LAYOUT");
	for (const char *s = lay ? lay : "P"; *s && ndev < 8; s++) {
		if (*s == ',')
			continue;
		struct fake *f = &devs[ndev++];
		f->desc.idVendor = *s == 'H' ? 0x1d6b : 0x05ac;
		f->desc.idProduct = *s == 'P' ? 0x1281 : *s == 'D' ? 0x1227 : 0x0002;
		f->desc.iSerialNumber = 3;
	}
}

static int known(const void *d)
{
	for (int i = 0; i < ndev; i++)
		if (d == &devs[i])
			return 1;
	return 0;
}

ssize_t libusb_get_device_list(libusb_context *ctx, libusb_device ***list)
{
	(void)ctx;
	libusb_device **l = calloc((size_t)ndev + 1, sizeof *l);
	if (!l)
		return LIBUSB_ERROR_NO_MEM;
	for (int i = 0; i < ndev; i++)
		l[i] = (libusb_device *)(void *)&devs[i];
	*list = l;
	return ndev;
}

void libusb_free_device_list(libusb_device **list, int unref)
{
	(void)unref;
	free(list);
}

void libusb_unref_device(libusb_device *d) { (void)d; }

int libusb_get_device_descriptor(libusb_device *d, struct libusb_device_descriptor *desc)
{
	if (!known(d)) {
		fprintf(stderr, "fakeusb: a device pointer read from a freed list\n");
		abort();
	}
	*desc = ((struct fake *)(void *)d)->desc;
	return 0;
}

int libusb_open(libusb_device *d, libusb_device_handle **h)
{
	*h = (libusb_device_handle *)(void *)d;
	return 0;
}

void libusb_close(libusb_device_handle *h) { (void)h; }

int libusb_get_string_descriptor_ascii(libusb_device_handle *h, uint8_t idx, unsigned char *buf, int len)
{
	(void)h;
	const char *s = idx == 1 ? " NONC:00112233445566778899AABBCCDDEEFF00112233 SNON:0011223344556677"
				 : "CPID:8015 CPRV:11 CPFM:03 SCEP:01 BDID:06 ECID:001A4C2B3D4E5F60 IBFL:3C";
	snprintf((char *)buf, (size_t)len, "%s", s);
	return (int)strlen((char *)buf);
}

int libusb_get_configuration(libusb_device_handle *h, int *c)
{
	(void)h;
	*c = 1;
	return 0;
}

int libusb_set_configuration(libusb_device_handle *h, int c) { (void)h; (void)c; return 0; }
int libusb_claim_interface(libusb_device_handle *h, int i) { (void)h; (void)i; return 0; }
int libusb_release_interface(libusb_device_handle *h, int i) { (void)h; (void)i; return 0; }
int libusb_set_interface_alt_setting(libusb_device_handle *h, int i, int a) { (void)h; (void)i; (void)a; return 0; }

int libusb_control_transfer(libusb_device_handle *h, uint8_t type, uint8_t req, uint16_t val,
			    uint16_t idx, unsigned char *data, uint16_t len, unsigned int timeout)
{
	(void)h; (void)req; (void)val; (void)idx; (void)timeout;
	const char *c = getenv("FAKE_CTRL");
	int r = c ? atoi(c) : 0;
	if (r < 0)
		return r;
	if (type == 0xC0 && data && len > 5) {
		memcpy(data, "false", 6);
		return 5;
	}
	return len;
}
