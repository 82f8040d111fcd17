/*
 * nlb0_loopback: copies 1 MiB through the NLB0 native-loopback accelerator using only the OPAE C
 * API, and checks the copy. A sample of how a C program drives an accelerator with shared
 * buffers: enumerate by AFU id, open, prepare buffers, program IO addresses into CSRs, start,
 * poll the device status memory (DSM), stop, compare, release.
 *
 *   cc -std=c99 nlb0_loopback.c $(pkg-config --cflags --libs opae-c) -o nlb0_loopback
 *   ./nlb0_loopback [--shared]
 *
 * Prints "Loopback OK" and exits 0 when the output matches the input.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <opae/fpga.h>

/* NLB0's AFU id, as libuuid's byte order (the text form D8424DC4-A4A3-C413-F89E-433683F9040B). */
static const fpga_guid nlb0_afu_id = {
	0xD8, 0x42, 0x4D, 0xC4, 0xA4, 0xA3, 0xC4, 0x13,
	0xF8, 0x9E, 0x43, 0x36, 0x83, 0xF9, 0x04, 0x0B,
};

/* NLB0 registers (byte offsets in MMIO region 0). */
enum {
	CSR_DSM_BASE = 0x110,  /* IO address of the DSM, in bytes */
	CSR_SRC_ADDR = 0x120,  /* source IO address, in 64-byte lines */
	CSR_DST_ADDR = 0x128,  /* destination IO address, in 64-byte lines */
	CSR_NUM_LINES = 0x130, /* lines to copy */
	CSR_CTL = 0x138,       /* 0 reset, 1 out of reset, 3 start, 7 stop */
	CSR_CFG = 0x140,       /* mode: 0x42000 is loopback with the sample's cache hints */
	CSR_STATUS1 = 0x168,   /* pending reads and writes (two u32) */
};

#define DSM_STATUS_COMPLETE 0x40 /* the AFU sets bit 0 of this u64 in the DSM when done */
#define LINE 64u
#define BUFFER_BYTES (2u << 20)
#define COPY_BYTES (1u << 20)
#define TIMEOUT_MS 10000

static int failed(const char *what, fpga_result res)
{
	fprintf(stderr, "nlb0_loopback: %s: %s\n", what, fpgaErrStr(res));
	return 1;
}

static void sleep_us(long us)
{
	struct timespec t = { us / 1000000, (us % 1000000) * 1000 };
	nanosleep(&t, NULL);
}

struct buffer {
	volatile uint8_t *addr;
	uint64_t wsid;
	uint64_t io;
};

static fpga_result prepare(fpga_handle h, struct buffer *b)
{
	void *addr = NULL;
	fpga_result res = fpgaPrepareBuffer(h, BUFFER_BYTES, &addr, &b->wsid, 0);
	if (res == FPGA_OK)
		res = fpgaGetIOAddress(h, b->wsid, &b->io);
	b->addr = addr;
	return res;
}

static int run(fpga_handle h)
{
	struct buffer dsm = { NULL, 0, 0 }, in = { NULL, 0, 0 }, out = { NULL, 0, 0 };
	volatile uint64_t *status;
	uint64_t pending = 1;
	uint32_t line;
	int waited, trips, rc = 1;
	fpga_result res;

	if ((res = prepare(h, &dsm)) != FPGA_OK)
		return failed("preparing the DSM buffer", res);
	if ((res = prepare(h, &in)) != FPGA_OK) {
		rc = failed("preparing the input buffer", res);
		goto release_dsm;
	}
	if ((res = prepare(h, &out)) != FPGA_OK) {
		rc = failed("preparing the output buffer", res);
		goto release_in;
	}

	memset((void *)dsm.addr, 0, BUFFER_BYTES);
	memset((void *)in.addr, 0xAF, COPY_BYTES);
	memset((void *)out.addr, 0xBE, COPY_BYTES);
	for (line = 0; line < COPY_BYTES / LINE; ++line) {
		uint32_t tag = line + 1; /* last u32 of each line: catches lines copied to the wrong place */
		memcpy((void *)(in.addr + line * LINE + LINE - sizeof(tag)), &tag, sizeof(tag));
	}

	if ((res = fpgaReset(h)) != FPGA_OK
	    || (res = fpgaWriteMMIO64(h, 0, CSR_DSM_BASE, dsm.io)) != FPGA_OK
	    || (res = fpgaWriteMMIO32(h, 0, CSR_CTL, 0)) != FPGA_OK
	    || (res = fpgaWriteMMIO32(h, 0, CSR_CTL, 1)) != FPGA_OK
	    || (res = fpgaWriteMMIO64(h, 0, CSR_SRC_ADDR, in.io / LINE)) != FPGA_OK
	    || (res = fpgaWriteMMIO64(h, 0, CSR_DST_ADDR, out.io / LINE)) != FPGA_OK
	    || (res = fpgaWriteMMIO32(h, 0, CSR_NUM_LINES, COPY_BYTES / LINE)) != FPGA_OK
	    || (res = fpgaWriteMMIO32(h, 0, CSR_CFG, 0x42000)) != FPGA_OK
	    || (res = fpgaWriteMMIO32(h, 0, CSR_CTL, 3)) != FPGA_OK) {
		rc = failed("programming NLB0", res);
		goto release_out;
	}

	/* The device writes the DSM behind the compiler's back: read it through volatile. */
	status = (volatile uint64_t *)(dsm.addr + DSM_STATUS_COMPLETE);
	for (waited = 0; (*status & 1) == 0 && waited < TIMEOUT_MS * 10; ++waited)
		sleep_us(100);
	if ((*status & 1) == 0) {
		fprintf(stderr, "nlb0_loopback: the AFU did not finish within %d ms\n", TIMEOUT_MS);
		goto release_out;
	}

	if ((res = fpgaWriteMMIO32(h, 0, CSR_CTL, 7)) != FPGA_OK) {
		rc = failed("stopping NLB0", res);
		goto release_out;
	}
	for (trips = 0; trips < 100 && pending != 0; ++trips) {
		if ((res = fpgaReadMMIO64(h, 0, CSR_STATUS1, &pending)) != FPGA_OK) {
			rc = failed("reading STATUS1", res);
			goto release_out;
		}
		if (pending)
			sleep_us(1000);
	}

	if (*status & 2) {
		fprintf(stderr, "nlb0_loopback: the AFU reported an error (a refused DMA access?)\n");
	} else if (memcmp((const void *)in.addr, (const void *)out.addr, COPY_BYTES) != 0) {
		fprintf(stderr, "nlb0_loopback: output does not match input\n");
	} else {
		printf("Loopback OK: %u bytes copied from IO address 0x%llx to 0x%llx\n", COPY_BYTES,
		       (unsigned long long)in.io, (unsigned long long)out.io);
		rc = 0;
	}

release_out:
	if ((res = fpgaReleaseBuffer(h, out.wsid)) != FPGA_OK)
		rc = failed("releasing the output buffer", res);
release_in:
	if ((res = fpgaReleaseBuffer(h, in.wsid)) != FPGA_OK)
		rc = failed("releasing the input buffer", res);
release_dsm:
	if ((res = fpgaReleaseBuffer(h, dsm.wsid)) != FPGA_OK)
		rc = failed("releasing the DSM buffer", res);
	return rc;
}

int main(int argc, char **argv)
{
	fpga_properties filter = NULL;
	fpga_token token = NULL;
	fpga_handle handle = NULL;
	uint32_t matches = 0;
	int flags = (argc > 1 && strcmp(argv[1], "--shared") == 0) ? FPGA_OPEN_SHARED : 0;
	fpga_result res;
	int rc;

	if ((res = fpgaGetProperties(NULL, &filter)) != FPGA_OK)
		return failed("creating a filter", res);
	if ((res = fpgaPropertiesSetObjectType(filter, FPGA_ACCELERATOR)) != FPGA_OK
	    || (res = fpgaPropertiesSetGUID(filter, (uint8_t *)nlb0_afu_id)) != FPGA_OK
	    || (res = fpgaEnumerate(&filter, 1, &token, 1, &matches)) != FPGA_OK) {
		fpgaDestroyProperties(&filter);
		return failed("looking for NLB0", res);
	}
	fpgaDestroyProperties(&filter);
	if (matches == 0) {
		fprintf(stderr, "nlb0_loopback: no NLB0 accelerator found\n");
		return 1;
	}

	if ((res = fpgaOpen(token, &handle, flags)) != FPGA_OK) {
		fpgaDestroyToken(&token);
		return failed("opening NLB0", res);
	}
	rc = run(handle);
	if ((res = fpgaClose(handle)) != FPGA_OK)
		rc = failed("closing NLB0", res);
	fpgaDestroyToken(&token);
	return rc;
}
