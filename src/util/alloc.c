#include "alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

static sq_malloc_fn hook_malloc = malloc;
static sq_realloc_fn hook_realloc = realloc;
static sq_free_fn hook_free = free;

void sq_set_allocator(sq_malloc_fn m, sq_realloc_fn r, sq_free_fn f)
{
	hook_malloc = m ? m : malloc;
	hook_realloc = r ? r : realloc;
	hook_free = f ? f : free;
}

void *sq_malloc(size_t size)
{
	return hook_malloc(size ? size : 1);
}

void *sq_calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size) {
		return NULL;
	}
	p = sq_malloc(n * size);
	if (p) {
		memset(p, 0, n * size);
	}
	return p;
}

void *sq_realloc(void *ptr, size_t size)
{
	return hook_realloc(ptr, size ? size : 1);
}

void sq_free(void *ptr)
{
	if (ptr) {
		hook_free(ptr);
	}
}

char *sq_memdup(const void *p, size_t len)
{
	char *d;

	if (len == SIZE_MAX) {
		return NULL;
	}
	d = sq_malloc(len + 1);
	if (d) {
		if (len) {
			memcpy(d, p, len);
		}
		d[len] = '\0';
	}
	return d;
}

void sq_wipe(void *p, size_t len)
{
	if (p && len) {
		OPENSSL_cleanse(p, len);
	}
}

void sq_free_secret(void *p, size_t len)
{
	if (p) {
		sq_wipe(p, len);
		sq_free(p);
	}
}
