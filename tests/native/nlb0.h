/*
 * Driving the simulated NLB0 loopback from a test: one copy of @lines cache lines from @src to @dst
 * (IO addresses), completion in the DSM's u32 at 0x40 (1: done, 3: stopped on a fault; the
 * u32 beside it is NLB's test_error).
 */
#ifndef OPAESHARP_TESTS_NLB0_H
#define OPAESHARP_TESTS_NLB0_H

#include <time.h>

#include "check.h"

#define NLB0_DSM_BASE 0x110
#define NLB0_SRC_ADDR 0x120
#define NLB0_DST_ADDR 0x128
#define NLB0_NUM_LINES 0x130
#define NLB0_CTL 0x138
#define NLB0_CFG 0x140
#define NLB0_DSM_COMPLETE 0x40

/* Starts a copy; the DSM's status word is cleared first. Returns the first failing call's result. */
static inline fpga_result nlb0_start(fpga_handle h, volatile uint64_t *dsm, uint64_t dsm_io,
				     uint64_t src_io, uint64_t dst_io, uint32_t lines)
{
	fpga_result r;
	dsm[NLB0_DSM_COMPLETE / 8] = 0;
	if ((r = fpgaWriteMMIO32(h, 0, NLB0_CTL, 0)) != FPGA_OK
	    || (r = fpgaWriteMMIO32(h, 0, NLB0_CTL, 1)) != FPGA_OK
	    || (r = fpgaWriteMMIO64(h, 0, NLB0_DSM_BASE, dsm_io)) != FPGA_OK
	    || (r = fpgaWriteMMIO64(h, 0, NLB0_SRC_ADDR, src_io / 64)) != FPGA_OK
	    || (r = fpgaWriteMMIO64(h, 0, NLB0_DST_ADDR, dst_io / 64)) != FPGA_OK
	    || (r = fpgaWriteMMIO32(h, 0, NLB0_NUM_LINES, lines)) != FPGA_OK
	    || (r = fpgaWriteMMIO32(h, 0, NLB0_CFG, 0x42000)) != FPGA_OK)
		return r;
	return fpgaWriteMMIO32(h, 0, NLB0_CTL, 3);
}

/* The DSM status word once the AFU wrote one (1 or 3), or 0 after @timeout_ms. */
static inline uint64_t nlb0_wait(volatile uint64_t *dsm, int timeout_ms)
{
	struct timespec pause = { 0, 1000000 };
	int waited;
	for (waited = 0; waited < timeout_ms; ++waited) {
		uint64_t status = __atomic_load_n(&dsm[NLB0_DSM_COMPLETE / 8], __ATOMIC_ACQUIRE);
		if (status & 1)
			return status & 0xffffffffu;
		nanosleep(&pause, NULL);
	}
	return 0;
}

/* Stop and let the AFU drain (CTL=7), as a program ends a run. */
static inline fpga_result nlb0_stop(fpga_handle h)
{
	return fpgaWriteMMIO32(h, 0, NLB0_CTL, 7);
}

#endif /* OPAESHARP_TESTS_NLB0_H */
