/* libFuzzer target: the evidence-pack importer (`case import DIR`) on an arbitrary case.json,
 * with a raw log beside it. The pack names files inside its own directory; a hostile one must
 * neither crash nor reach outside it. The store lives in a scratch directory made once. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/case_pack.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];
static struct bt_store *st;

static void quiet(const char *msg, void *user)
{
	(void)msg;
	(void)user;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* The scratch directory goes when the fuzzer exits. */
static void teardown(void)
{
	bt_store_close(st);
	st = NULL;
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int setup(void)
{
	char home[64];
	snprintf(dir, sizeof dir, "/tmp/bt-fuzz-pack-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(home, sizeof home, "%s/home", dir);
	char err[256];
	if (bt_store_open(home, &st, err, sizeof err) != 0)
		return -1;
	atexit(teardown);
	char p[128];
	snprintf(p, sizeof p, "%s/logs", dir);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/logs/attempt-1.log", dir);
	FILE *f = fopen(p, "w");
	if (f) {
		fputs("Status: Disk Failure\nERROR: Unable to restore device\n", f);
		fclose(f);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!st && setup() != 0)
		abort();
	char p[128];
	snprintf(p, sizeof p, "%s/case.json", dir);
	FILE *f = fopen(p, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	int64_t id = 0;
	char err[512];
	bt_case_import(st, dir, NULL, &id, quiet, NULL, err, sizeof err);
	return 0;
}
