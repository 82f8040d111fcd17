/*
 * The clock and the sort the C benchmarks share: monotonic nanoseconds, and doubles in order
 * (for medians and percentiles).
 */
#ifndef OPAESHARP_BENCH_TIMING_H
#define OPAESHARP_BENCH_TIMING_H

#include <time.h>

static inline double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static inline int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#endif /* OPAESHARP_BENCH_TIMING_H */
