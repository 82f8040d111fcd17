/*
 * prepare_bench: fpgaPrepareBuffer + fpgaReleaseBuffer through OPAE's C ABI against the floor: the
 * bare system calls that do the same work on the simulator (mmap, madvise(MADV_DONTFORK), mlock,
 * munmap), made directly from C in the same process, interleaved round by round so both see the
 * same machine. Prints the median time per prepare+release of each and their ratio:
 *
 *   prepare_bench [--rounds N] BYTES...
 *   prepare length=4096 page=4096 floor_us=7.91 opae_us=8.02 ratio=1.01
 *
 * The floor uses the page size the library chose for that length (read from /proc/self/smaps), so
 * a 2 MiB buffer on a 2 MiB hugepage is compared with a hugetlb mmap. Exit status 0, or 1 when a
 * call fails.
 */
#define _GNU_SOURCE
#include <opae/fpga.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "timing.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif

/* KernelPageSize of the mapping that holds addr, in bytes (0 when not found). */
static long page_size_of(void *addr)
{
    FILE *smaps = fopen("/proc/self/smaps", "r");
    char line[512];
    uintptr_t target = (uintptr_t)addr;
    int inside = 0;
    long size = 0;
    if (!smaps)
        return 0;
    while (fgets(line, sizeof line, smaps)) {
        uintptr_t start, end;
        long kib;
        if (sscanf(line, "%lx-%lx ", &start, &end) == 2 && strchr(line, '-') < strchr(line, ' '))
            inside = target >= start && target < end;
        else if (inside && sscanf(line, "KernelPageSize: %ld kB", &kib) == 1) {
            size = kib * 1024;
            break;
        }
    }
    fclose(smaps);
    return size;
}

static int floor_once(size_t length, int flags)
{
    void *p = mmap(NULL, length, PROT_READ | PROT_WRITE, flags, -1, 0);
    if (p == MAP_FAILED)
        return 1;
    madvise(p, length, MADV_DONTFORK);
    mlock(p, length);
    munmap(p, length);
    return 0;
}

static int opae_once(fpga_handle h, size_t length)
{
    void *addr = NULL;
    uint64_t wsid;
    if (fpgaPrepareBuffer(h, length, &addr, &wsid, 0) != FPGA_OK)
        return 1;
    return fpgaReleaseBuffer(h, wsid) != FPGA_OK;
}

int main(int argc, char **argv)
{
    int rounds = 9;
    fpga_properties filter = NULL;
    fpga_token token;
    fpga_handle h;
    uint32_t matches = 0;
    int first = 1;

    if (argc > 2 && strcmp(argv[1], "--rounds") == 0) {
        rounds = atoi(argv[2]);
        first = 3;
    }
    if (first >= argc || rounds < 1) {
        fprintf(stderr, "usage: prepare_bench [--rounds N] BYTES...\n");
        return 1;
    }

    fpgaGetProperties(NULL, &filter);
    fpgaPropertiesSetObjectType(filter, FPGA_ACCELERATOR);
    if (fpgaEnumerate(&filter, 1, &token, 1, &matches) != FPGA_OK || matches < 1 ||
        fpgaOpen(token, &h, 0) != FPGA_OK) {
        fprintf(stderr, "prepare_bench: no accelerator to open\n");
        return 1;
    }

    for (int a = first; a < argc; a++) {
        size_t length = strtoull(argv[a], NULL, 0);
        void *addr = NULL;
        uint64_t wsid;
        if (fpgaPrepareBuffer(h, length, &addr, &wsid, 0) != FPGA_OK) {
            fprintf(stderr, "prepare_bench: cannot prepare %zu bytes\n", length);
            return 1;
        }
        long page = page_size_of(addr);
        fpgaReleaseBuffer(h, wsid);
        int flags = MAP_PRIVATE | MAP_ANONYMOUS;
        if (page == 2L << 20)
            flags |= MAP_HUGETLB | (21 << MAP_HUGE_SHIFT);
        else if (page == 1L << 30)
            flags |= MAP_HUGETLB | (30 << MAP_HUGE_SHIFT);
        size_t mapped = (length + page - 1) / page * page;

        /* About 50 ms of work per round and side. */
        int iterations = length <= 65536 ? 5000 : length <= (4u << 20) ? 500 : 50;
        double floor_ns[64], opae_ns[64];
        if (rounds > 64)
            rounds = 64;
        for (int w = 0; w < iterations; w++) {
            if (floor_once(mapped, flags) || opae_once(h, length)) {
                fprintf(stderr, "prepare_bench: warm-up failed at %zu bytes\n", length);
                return 1;
            }
        }
        for (int r = 0; r < rounds; r++) {
            double t0 = now_ns();
            for (int i = 0; i < iterations; i++)
                floor_once(mapped, flags);
            double t1 = now_ns();
            for (int i = 0; i < iterations; i++)
                if (opae_once(h, length)) {
                    fprintf(stderr, "prepare_bench: prepare/release failed\n");
                    return 1;
                }
            double t2 = now_ns();
            floor_ns[r] = (t1 - t0) / iterations;
            opae_ns[r] = (t2 - t1) / iterations;
        }
        qsort(floor_ns, rounds, sizeof(double), compare_double);
        qsort(opae_ns, rounds, sizeof(double), compare_double);
        double f = floor_ns[rounds / 2], o = opae_ns[rounds / 2];
        printf("prepare length=%zu page=%ld floor_us=%.2f opae_us=%.2f ratio=%.3f\n", length, page, f / 1e3, o / 1e3, o / f);
        fflush(stdout);
    }

    fpgaClose(h);
    fpgaDestroyToken(&token);
    fpgaDestroyProperties(&filter);
    return 0;
}
