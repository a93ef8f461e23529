/* xalloc.h — allocators that end the process on out-of-memory.
 *
 * A bench tool cannot do anything useful without memory, so allocation failure is
 * fatal (as in htop, tmux). Input-fed buffers are bounded elsewhere (strbuf caps), so
 * a huge allocation never comes from input. */
#ifndef BT_CORE_XALLOC_H
#define BT_CORE_XALLOC_H

#include <stddef.h>

void *bt_xmalloc(size_t n);
void *bt_xcalloc(size_t n, size_t size);
void *bt_xrealloc(void *p, size_t n);
/* Copies of s; the caller frees. bt_xstrdup(NULL) returns NULL. */
char *bt_xstrdup(const char *s);
char *bt_xstrndup(const char *s, size_t n);
/* printf into a new string; the caller frees. */
char *bt_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
