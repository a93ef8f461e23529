#include "cli/diag.h"

#include <stdarg.h>
#include <stdio.h>

void bt_diag(const char *fmt, ...)
{
	va_list ap;
	fputs("benchtriage: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
