/*
 * ioaddress_bench: fpgaGetIOAddress latency through OPAE's C ABI (libopae-c), the C side of the
 * GetIoAddress benchmark in bench/OpaeSharp.Benchmarks.
 *
 * For each live-buffer count it prepares that many 4 KiB buffers on the first accelerator,
 * looks their workspace ids up in a shuffled order, and prints the median over 5 rounds of the
 * time per call, optionally with a second thread doing the same lookups at the same time:
 *
 *   ioaddress_bench [--threads 1|2] [--calls N] LIVE...
 *   ioaddress live=10000 threads=1 ns_per_call=12.34
 *
 * Exit status: 0, or 1 with a message when a call fails.
 */
#define _GNU_SOURCE
#include <opae/fpga.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "timing.h"

#define ROUNDS 5
#define ID_MASK ((1u << 17) - 1) /* 131072 shuffled ids, at least every live buffer once */

static fpga_handle g_handle;
static uint64_t g_ids[ID_MASK + 1];
static atomic_int g_stop;

static int check(fpga_result result, const char *what)
{
    if (result != FPGA_OK) {
        fprintf(stderr, "ioaddress_bench: %s: %s\n", what, fpgaErrStr(result));
        return 1;
    }
    return 0;
}

/* Sums the IO addresses so the compiler cannot drop the calls. */
static uint64_t lookups(uint64_t calls, uint64_t start)
{
    uint64_t sum = 0, io;
    for (uint64_t i = 0; i < calls; i++) {
        fpgaGetIOAddress(g_handle, g_ids[(start + i) & ID_MASK], &io);
        sum += io;
    }
    return sum;
}

static void *competitor(void *arg)
{
    (void)arg;
    uint64_t sum = 0, i = 0;
    while (!atomic_load_explicit(&g_stop, memory_order_relaxed)) {
        sum += lookups(1024, i);
        i += 1024;
    }
    return (void *)(uintptr_t)sum;
}

int main(int argc, char **argv)
{
    int threads = 1;
    uint64_t calls = 1u << 22;
    long lives[16];
    int nlives = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            threads = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--calls") == 0 && i + 1 < argc) {
            calls = strtoull(argv[++i], NULL, 10);
        } else if (nlives < 16 && atol(argv[i]) > 0) {
            lives[nlives++] = atol(argv[i]);
        } else {
            fprintf(stderr, "usage: ioaddress_bench [--threads 1|2] [--calls N] LIVE...\n");
            return 2;
        }
    }
    if (nlives == 0 || threads < 1 || threads > 2) {
        fprintf(stderr, "usage: ioaddress_bench [--threads 1|2] [--calls N] LIVE...\n");
        return 2;
    }

    fpga_properties filter = NULL;
    fpga_token token = NULL;
    uint32_t matches = 0;
    if (check(fpgaGetProperties(NULL, &filter), "fpgaGetProperties") ||
        check(fpgaPropertiesSetObjectType(filter, FPGA_ACCELERATOR), "fpgaPropertiesSetObjectType") ||
        check(fpgaEnumerate(&filter, 1, &token, 1, &matches), "fpgaEnumerate")) {
        return 1;
    }
    if (matches == 0) {
        fprintf(stderr, "ioaddress_bench: no accelerator found\n");
        return 1;
    }
    if (check(fpgaOpen(token, &g_handle, 0), "fpgaOpen")) {
        return 1;
    }

    long capacity = 0;
    for (int i = 0; i < nlives; i++) {
        capacity = lives[i] > capacity ? lives[i] : capacity;
    }
    uint64_t *wsids = calloc((size_t)capacity, sizeof *wsids);
    long live = 0;
    uint64_t seed = 42;
    for (int c = 0; c < nlives; c++) {
        for (; live < lives[c]; live++) {
            void *address = NULL;
            if (check(fpgaPrepareBuffer(g_handle, 4096, &address, &wsids[live], 0), "fpgaPrepareBuffer")) {
                return 1;
            }
        }

        /* Every live id in turn, then a Fisher-Yates shuffle (xorshift64). */
        for (uint32_t i = 0; i <= ID_MASK; i++) {
            g_ids[i] = wsids[i % (uint64_t)live];
        }
        for (uint32_t i = ID_MASK; i > 0; i--) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            uint32_t j = (uint32_t)(seed % (i + 1));
            uint64_t t = g_ids[i];
            g_ids[i] = g_ids[j];
            g_ids[j] = t;
        }

        pthread_t other;
        atomic_store(&g_stop, 0);
        if (threads == 2 && pthread_create(&other, NULL, competitor, NULL) != 0) {
            fprintf(stderr, "ioaddress_bench: cannot start the second thread\n");
            return 1;
        }

        uint64_t sink = lookups(calls / 8, 0);
        double samples[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            double started = now_ns();
            sink += lookups(calls, (uint64_t)r * 7919);
            samples[r] = (now_ns() - started) / (double)calls;
        }

        if (threads == 2) {
            atomic_store(&g_stop, 1);
            pthread_join(other, NULL);
        }

        qsort(samples, ROUNDS, sizeof samples[0], compare_double);
        printf("ioaddress live=%ld threads=%d ns_per_call=%.2f%s\n", live, threads, samples[ROUNDS / 2], sink == 0 ? " (sum 0?)" : "");
        fflush(stdout);
    }

    for (long i = live - 1; i >= 0; i--) {
        fpgaReleaseBuffer(g_handle, wsids[i]);
    }
    free(wsids);
    fpgaClose(g_handle);
    fpgaDestroyToken(&token);
    fpgaDestroyProperties(&filter);
    return 0;
}
