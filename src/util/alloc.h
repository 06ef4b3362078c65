/*
 * sqauth core: allocator hooks and secret wiping.
 *
 * The core never calls malloc() directly: every allocation goes through the
 * hooks below (as timelib does inside php-src's ext/date), so the PHP glue can
 * route the core's memory through the Zend allocator while the unit tests and
 * fuzzers use the C library's.
 */
#ifndef SQ_ALLOC_H
#define SQ_ALLOC_H

#include <stddef.h>

typedef void *(*sq_malloc_fn)(size_t size);
typedef void *(*sq_realloc_fn)(void *ptr, size_t size);
typedef void (*sq_free_fn)(void *ptr);

/* Install allocator hooks; NULL restores the C library's. Not thread-safe:
 * call once at start-up (MINIT), before any other core function. */
void sq_set_allocator(sq_malloc_fn m, sq_realloc_fn r, sq_free_fn f);

void *sq_malloc(size_t size);
void *sq_calloc(size_t n, size_t size);   /* overflow-checked n * size */
void *sq_realloc(void *ptr, size_t size);
void sq_free(void *ptr);

/* Copy of [p, p+len) with a terminating NUL; NULL on failure. */
char *sq_memdup(const void *p, size_t len);

/* Wipe memory so the compiler cannot elide it (OPENSSL_cleanse). */
void sq_wipe(void *p, size_t len);
/* Wipe then free. NULL is allowed. */
void sq_free_secret(void *p, size_t len);

#endif
