/*
 * sqauth core: the monotonic clock every bounded wait, idle time and age is
 * measured on.
 */
#ifndef SQ_CLOCK_H
#define SQ_CLOCK_H

/* Milliseconds on a monotonic clock. */
long long sq_now_ms(void);

#endif
