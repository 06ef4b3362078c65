/*
 * LD_PRELOAD shim for the persistent-login benchmark: sets TCP_NODELAY on
 * every socket a program accepts or connects, so that imapproxy (which writes
 * a reply in several small writes without it, and then waits ~40 ms on the
 * peer's delayed ACK) is compared at its best. Not part of the extension.
 *   cc -shared -fPIC -O2 -o nodelay.so bench/nodelay.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

static void nodelay(int fd)
{
	int one = 1;

	/* fails harmlessly on a socket that is not TCP */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

int accept(int s, struct sockaddr *addr, socklen_t *len)
{
	static int (*real)(int, struct sockaddr *, socklen_t *);
	int fd;

	if (!real) {
		real = (int (*)(int, struct sockaddr *, socklen_t *))dlsym(RTLD_NEXT, "accept");
	}
	fd = real(s, addr, len);
	if (fd >= 0) {
		nodelay(fd);
	}
	return fd;
}

int accept4(int s, struct sockaddr *addr, socklen_t *len, int flags)
{
	static int (*real)(int, struct sockaddr *, socklen_t *, int);
	int fd;

	if (!real) {
		real = (int (*)(int, struct sockaddr *, socklen_t *, int))dlsym(RTLD_NEXT, "accept4");
	}
	fd = real(s, addr, len, flags);
	if (fd >= 0) {
		nodelay(fd);
	}
	return fd;
}

int connect(int s, const struct sockaddr *addr, socklen_t len)
{
	static int (*real)(int, const struct sockaddr *, socklen_t);

	if (!real) {
		real = (int (*)(int, const struct sockaddr *, socklen_t))dlsym(RTLD_NEXT, "connect");
	}
	nodelay(s);
	return real(s, addr, len);
}
