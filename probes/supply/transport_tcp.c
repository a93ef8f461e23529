/* transport_tcp.c — `tcp:HOST:PORT`, a network serial bridge (ser2net, ESP-Link, a Riden WiFi
 * dongle in raw mode). The socket is then just another descriptor. */
#include "supply/transport.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/err.h"
#include "supply/transport_fd.h"

#define CONNECT_TIMEOUT_MS 3000

static int connect_one(const struct addrinfo *ai)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0)
		return -1;
	int fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		if (errno != EINPROGRESS) {
			close(fd);
			return -1;
		}
		struct pollfd p = { .fd = fd, .events = POLLOUT };
		int err = 0;
		socklen_t len = sizeof err;
		if (poll(&p, 1, CONNECT_TIMEOUT_MS) != 1 ||
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
			close(fd);
			errno = err ? err : ETIMEDOUT;
			return -1;
		}
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

int bt_transport_tcp_open(const char *hostport, const struct bt_transport_ops **ops,
			  void **impl, char *errbuf, size_t errlen)
{
	char host[256];
	const char *colon = strrchr(hostport, ':');
	if (!colon || colon == hostport || !colon[1] || (size_t)(colon - hostport) >= sizeof host) {
		snprintf(errbuf, errlen, "tcp:%s: expected tcp:HOST:PORT", hostport);
		return BT_ERR_ARG;
	}
	memcpy(host, hostport, (size_t)(colon - hostport));
	host[colon - hostport] = '\0';
	/* [::1]:port form */
	char *h = host;
	size_t hl = strlen(h);
	if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
		h[hl - 1] = '\0';
		h++;
	}
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_family = AF_UNSPEC };
	struct addrinfo *res = NULL;
	int gai = getaddrinfo(h, colon + 1, &hints, &res);
	if (gai != 0) {
		snprintf(errbuf, errlen, "tcp:%s: %s", hostport, gai_strerror(gai));
		return BT_ERR_NODEV;
	}
	int fd = -1, e = 0;
	for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = connect_one(ai);
		if (fd < 0)
			e = errno;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		snprintf(errbuf, errlen, "tcp:%s: %s", hostport, strerror(e));
		return BT_ERR_NODEV;
	}
	return bt_transport_fd_adopt(fd, false, ops, impl);
}
