/*
 * A model-based random test of the C ABI (issue #12, class 7). Several threads prepare, attach,
 * look up, release, open and close, read MMIO and run NLB0 through libopae-c with good and bad
 * arguments, and unmap or reuse the memory they attached; every call's result is checked against a
 * model of what it must return. Afterwards the process must be back to where it started: locked and
 * pinned memory (VmLck, VmPin), open descriptors, threads, and the library's buffer mappings.
 *
 *   fuzz_abi [--seconds N] [--threads N] [--seed N] [--without-io-uring]
 *
 * FUZZ_TRACE=1 prints every attach with the model's view of the memory.
 * --without-io-uring forbids io_uring to the process (a seccomp filter, as a container's profile
 * would), so the library's fallback (reaching caller memory by address) is what runs.
 *
 * The seed is printed first; a failure prints it again with the thread, step and call, and
 * `fuzz_abi --seed N --threads 1` replays one thread's sequence exactly (several threads interleave
 * differently each run, but each thread's own sequence depends only on the seed).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/filter.h>
#include <linux/io_uring.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <pthread.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"
#include "nlb0.h"

#define MAX_BUFFERS 64
#define MAX_REGIONS 16
#define MAX_HANDLES 3
#define PAGE 4096u
#define AFU_ID_LOW UINT64_C(0xF89E433683F9040B)

static uint64_t g_seed;
static int g_threads = 3;
static double g_seconds = 10;
static double g_started;
static double g_round_seconds;
static int g_pins_exact; /* io_uring pins: the device reaches pinned pages even after an unmap */
static fpga_handle g_shared;
static pthread_mutex_t g_afu = PTHREAD_MUTEX_INITIALIZER; /* one NLB0: one run at a time */
static pthread_mutex_t g_opens = PTHREAD_MUTEX_INITIALIZER;

enum region_state { MAPPED, UNMAPPED, REUSED };

struct region {
	uint8_t *addr;
	size_t len;
	int writable;
	int holed; /* last page PROT_NONE */
	enum region_state state;
	int gen; /* changes when the pages at the address change (unmap, reuse) */
	int attached_since_reuse;
};

struct buffer {
	int live;
	fpga_handle h;
	uint64_t wsid;
	uint8_t *addr;
	size_t len;
	int readonly;
	int region; /* index of the caller region it sits in, or -1 */
	int inside; /* index of the allocated buffer it sits in, or -1 */
	int holders; /* attachments inside this (allocated) buffer still live */
	int released; /* allocated and released: memory kept only while holders > 0 */
	int gen; /* the region's generation when attached */
	int pinned; /* the device reaches pinned pages (io_uring pins writable memory), not the address */
};

struct worker {
	int id;
	uint64_t rng;
	long step;
	const char *op;
	fpga_handle handles[MAX_HANDLES];
	int nhandles;
	struct buffer buffers[MAX_BUFFERS];
	struct region regions[MAX_REGIONS];
	int nregions;
	long calls;
};

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint64_t next(struct worker *w)
{
	/* splitmix64 */
	uint64_t z = (w->rng += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static unsigned pick(struct worker *w, unsigned n)
{
	return (unsigned)(next(w) % n);
}

static void fail(struct worker *w, const char *fmt, ...)
{
	va_list args;
	fprintf(stderr, "fuzz_abi: FAILED seed=%" PRIu64 " thread=%d step=%ld op=%s: ", g_seed, w->id, w->step, w->op);
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fprintf(stderr, "\nreplay: fuzz_abi --seed %" PRIu64 " --threads %d\n", g_seed, g_threads);
	exit(1);
}

#define EXPECT(w, expected, call)                                                           \
	do {                                                                                \
		fpga_result got_ = (call);                                                  \
		(w)->calls++;                                                               \
		if (got_ != (expected))                                                     \
			fail((w), "%s returned %s, the model says %s", #call, fpgaErrStr(got_), \
			     fpgaErrStr(expected));                                         \
	} while (0)

static struct buffer *free_slot(struct worker *w)
{
	int i;
	for (i = 0; i < MAX_BUFFERS; ++i)
		if (!w->buffers[i].live && !(w->buffers[i].released && w->buffers[i].holders > 0))
			return &w->buffers[i];
	return NULL;
}

static struct buffer *live_buffer(struct worker *w)
{
	int i, start = (int)pick(w, MAX_BUFFERS);
	for (i = 0; i < MAX_BUFFERS; ++i) {
		struct buffer *b = &w->buffers[(start + i) % MAX_BUFFERS];
		if (b->live)
			return b;
	}
	return NULL;
}

static fpga_handle some_handle(struct worker *w)
{
	unsigned i = pick(w, (unsigned)w->nhandles + 1);
	return i == (unsigned)w->nhandles ? g_shared : w->handles[i];
}

/* The CPU sees (and may write) the pages the device reaches for this buffer. */
static int cpu_writable(struct worker *w, struct buffer *b)
{
	struct region *r;
	if (b->region < 0)
		return 1;
	r = &w->regions[b->region];
	return r->state != UNMAPPED && r->writable && r->gen == b->gen;
}

/* With page pins the device reaches the pinned pages whatever happened at the address; without,
 * whatever is mapped there now, and nothing once it is unmapped. */
static int device_pages_reachable(struct worker *w, struct buffer *b)
{
	return b->region < 0 || b->pinned || w->regions[b->region].state != UNMAPPED;
}

static void forget(struct worker *w, struct buffer *b)
{
	b->live = 0;
	if (b->inside >= 0) {
		struct buffer *outer = &w->buffers[b->inside];
		outer->holders--;
		if (outer->released && outer->holders == 0)
			outer->released = 0;
	}
	if (b->region < 0 && b->inside < 0 && b->holders > 0)
		b->released = 1;
}

static void op_prepare(struct worker *w)
{
	struct buffer *b = free_slot(w);
	fpga_handle h = some_handle(w);
	void *addr = NULL;
	uint64_t wsid = 0;
	size_t len = 1 + pick(w, 64 << 10);
	int flags = pick(w, 4) == 0 ? FPGA_BUF_READ_ONLY : 0;
	w->op = "prepare";
	if (pick(w, 10) == 0) {
		EXPECT(w, FPGA_INVALID_PARAM, fpgaPrepareBuffer(h, len, &addr, &wsid, 1 << 5));
		return;
	}
	if (pick(w, 20) == 0) {
		EXPECT(w, FPGA_INVALID_PARAM, fpgaPrepareBuffer(h, 0, &addr, &wsid, flags));
		return;
	}
	if (pick(w, 20) == 0) {
		EXPECT(w, FPGA_INVALID_PARAM, fpgaPrepareBuffer(h, len, &addr, NULL, flags));
		return;
	}
	if (!b)
		return;
	EXPECT(w, FPGA_OK, fpgaPrepareBuffer(h, len, &addr, &wsid, flags | FPGA_BUF_QUIET));
	memset(b, 0, sizeof(*b));
	*b = (struct buffer){ 1, h, wsid, addr, (len + PAGE - 1) & ~(size_t)(PAGE - 1), flags != 0, -1, -1, 0, 0, 0, 0 };
	if (((uint8_t *)addr)[b->len - 1] != 0)
		fail(w, "a fresh buffer is not zero-filled");
}

static void op_map_region(struct worker *w)
{
	struct region *r;
	size_t pages = 1 + pick(w, 16);
	int writable = pick(w, 8) != 0;
	w->op = "map caller memory";
	if (w->nregions == MAX_REGIONS)
		return;
	r = &w->regions[w->nregions];
	r->addr = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r->addr == MAP_FAILED)
		fail(w, "test mmap: %s", strerror(errno));
	memset(r->addr, 0x5A, pages * PAGE);
	r->len = pages * PAGE;
	r->holed = pages > 1 && pick(w, 6) == 0;
	if (r->holed)
		mprotect(r->addr + r->len - PAGE, PAGE, PROT_NONE);
	if (!writable)
		mprotect(r->addr, r->len - (r->holed ? PAGE : 0), PROT_READ);
	r->writable = writable;
	r->state = MAPPED;
	w->nregions++;
}

static void op_attach(struct worker *w)
{
	struct buffer *b = free_slot(w);
	fpga_handle h = some_handle(w);
	uint64_t wsid = 0;
	int ri, flags = FPGA_BUF_PREALLOCATED | FPGA_BUF_QUIET | (pick(w, 3) == 0 ? FPGA_BUF_READ_ONLY : 0);
	struct region *r;
	size_t first, pages;
	void *addr;
	fpga_result expected;
	w->op = "attach";

	if (pick(w, 8) == 0) {
		/* Inside one of our own allocated buffers. */
		struct buffer *outer = live_buffer(w);
		if (!b || !outer || outer->region >= 0 || outer->inside >= 0)
			return;
		first = pick(w, (unsigned)(outer->len / PAGE));
		pages = 1 + pick(w, (unsigned)(outer->len / PAGE - first));
		addr = outer->addr + first * PAGE;
		EXPECT(w, FPGA_OK, fpgaPrepareBuffer(h, pages * PAGE, &addr, &wsid, flags));
		*b = (struct buffer){ 1, h, wsid, addr, pages * PAGE, (flags & FPGA_BUF_READ_ONLY) != 0, -1, (int)(outer - w->buffers), 0, 0, 0, 0 };
		outer->holders++;
		return;
	}

	switch (pick(w, 12)) {
	case 0:
		addr = NULL;
		EXPECT(w, FPGA_OK, fpgaPrepareBuffer(h, 0, NULL, &wsid, FPGA_BUF_PREALLOCATED)); /* the probe */
		return;
	case 1:
		addr = NULL;
		EXPECT(w, FPGA_INVALID_PARAM, fpgaPrepareBuffer(h, PAGE, &addr, &wsid, flags));
		return;
	case 2:
		if (!w->nregions)
			return;
		addr = w->regions[pick(w, (unsigned)w->nregions)].addr + 64;
		EXPECT(w, FPGA_INVALID_PARAM, fpgaPrepareBuffer(h, PAGE, &addr, &wsid, flags));
		return;
	case 3:
		if (!w->nregions)
			return;
		addr = w->regions[pick(w, (unsigned)w->nregions)].addr;
		EXPECT(w, FPGA_INVALID_PARAM, fpgaPrepareBuffer(h, (uint64_t)1 << 62, &addr, &wsid, flags));
		return;
	default:
		break;
	}
	if (!b || !w->nregions)
		return;
	ri = (int)pick(w, (unsigned)w->nregions);
	r = &w->regions[ri];
	first = pick(w, (unsigned)(r->len / PAGE));
	pages = 1 + pick(w, (unsigned)(r->len / PAGE - first));
	addr = r->addr + first * PAGE;
	if (r->state == UNMAPPED && msync(addr, pages * PAGE, MS_ASYNC) == 0)
		return; /* something else (the library, the runtime) was mapped at the freed address since */
	if (r->state == UNMAPPED)
		expected = FPGA_INVALID_PARAM;
	else if (r->holed && first + pages == r->len / PAGE)
		expected = FPGA_INVALID_PARAM;
	else if (!r->writable && !(flags & FPGA_BUF_READ_ONLY))
		expected = FPGA_INVALID_PARAM;
	else
		expected = FPGA_OK;
	if (r->state == REUSED && !r->writable && !(flags & FPGA_BUF_READ_ONLY))
		expected = FPGA_OK; /* reused with fresh writable pages */
	if (getenv("FUZZ_TRACE"))
		fprintf(stderr, "t%d attach region %d state %d writable %d holed %d pages %zu+%zu of %zu flags %x\n", w->id, ri,
			(int)r->state, r->writable, r->holed, first, pages, r->len / PAGE, flags);
	if (r->state == UNMAPPED) {
		/* Another thread's buffer (or the runtime) may be mapped at the freed address by now,
		 * and gone again by the time we look: success is only wrong when nothing was mapped
		 * there before the call and nothing is after it. */
		fpga_result got = fpgaPrepareBuffer(h, pages * PAGE, &addr, &wsid, flags);
		w->calls++;
		if (got == FPGA_OK)
			EXPECT(w, FPGA_OK, fpgaReleaseBuffer(h, wsid));
		else if (got != FPGA_INVALID_PARAM)
			fail(w, "attach of unmapped memory returned %s", fpgaErrStr(got));
		return;
	}
	EXPECT(w, expected, fpgaPrepareBuffer(h, pages * PAGE, &addr, &wsid, flags));
	if (expected == FPGA_OK) {
		*b = (struct buffer){ 1, h, wsid, addr, pages * PAGE, (flags & FPGA_BUF_READ_ONLY) != 0, ri, -1, 0, 0, r->gen,
				      g_pins_exact && r->writable };
		r->attached_since_reuse = 1;
	}
}

static void op_unmap_region(struct worker *w)
{
	struct region *r;
	w->op = "unmap caller memory";
	if (!w->nregions)
		return;
	r = &w->regions[pick(w, (unsigned)w->nregions)];
	if (r->state == UNMAPPED)
		return;
	if (pick(w, 2) == 0) {
		/* Someone else's memory at the same address now (MAP_FIXED replaces the old pages in one
		 * step, so no other thread's mapping can slip in between): the device must never write it. */
		if (mmap(r->addr, r->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != r->addr)
			fail(w, "test remap: %s", strerror(errno));
		r->state = REUSED;
		r->writable = 1;
		r->holed = 0;
	} else {
		if (munmap(r->addr, r->len) != 0)
			fail(w, "test munmap: %s", strerror(errno));
		r->state = UNMAPPED;
	}
	r->gen++;
	r->attached_since_reuse = 0;
}

static void check_reused_untouched(struct worker *w)
{
	int i;
	size_t j;
	if (!g_pins_exact)
		return; /* without page pins the device reaches whatever is mapped (docs/semantics.md) */
	for (i = 0; i < w->nregions; ++i) {
		struct region *r = &w->regions[i];
		if (r->state != REUSED || r->attached_since_reuse)
			continue;
		for (j = 0; j < r->len; ++j)
			if (r->addr[j] != 0)
				fail(w, "a device write reached memory mapped after the attached range was unmapped");
	}
}

static void op_release(struct worker *w)
{
	struct buffer *b = live_buffer(w);
	w->op = "release";
	if (pick(w, 6) == 0) {
		EXPECT(w, FPGA_INVALID_PARAM, fpgaReleaseBuffer(some_handle(w), UINT64_C(0xFFFFFFFF00000000) | next(w)));
		return;
	}
	if (!b)
		return;
	EXPECT(w, FPGA_OK, fpgaReleaseBuffer(b->h, b->wsid));
	EXPECT(w, FPGA_INVALID_PARAM, fpgaReleaseBuffer(b->h, b->wsid));
	forget(w, b);
}

static void op_lookup(struct worker *w)
{
	struct buffer *b = live_buffer(w);
	uint64_t io = 0;
	w->op = "lookup";
	if (!b || pick(w, 5) == 0) {
		EXPECT(w, FPGA_NOT_FOUND, fpgaGetIOAddress(some_handle(w), UINT64_C(0xFFFFFFFF00000000) | next(w), &io));
		return;
	}
	EXPECT(w, FPGA_OK, fpgaGetIOAddress(b->h, b->wsid, &io));
	if (io == 0 || io % PAGE)
		fail(w, "IO address 0x%" PRIx64 " is not a page-aligned device address", io);
	EXPECT(w, FPGA_INVALID_PARAM, fpgaGetIOAddress(b->h, b->wsid, NULL));
}

static void op_mmio(struct worker *w)
{
	uint64_t value = 0;
	fpga_handle h = some_handle(w);
	w->op = "mmio";
	switch (pick(w, 4)) {
	case 0:
		EXPECT(w, FPGA_OK, fpgaReadMMIO64(h, 0, 0x8, &value));
		if (value != AFU_ID_LOW)
			fail(w, "AFU id 0x%" PRIx64, value);
		break;
	case 1:
		EXPECT(w, FPGA_INVALID_PARAM, fpgaReadMMIO64(h, 0, 0x3, &value));
		break;
	case 2:
		EXPECT(w, FPGA_INVALID_PARAM, fpgaReadMMIO64(h, 0, 1u << 30, &value));
		break;
	default:
		EXPECT(w, FPGA_INVALID_PARAM, fpgaReadMMIO64((fpga_handle)(uintptr_t)(next(w) | 1), 0, 0x8, &value));
		break;
	}
}

static void op_open_close(struct worker *w)
{
	fpga_token token;
	fpga_handle h = NULL;
	w->op = "open/close";
	if (w->nhandles < MAX_HANDLES && pick(w, 2) == 0) {
		token = fixture_token(FPGA_ACCELERATOR, NLB0_AFU_ID);
		/* The shared handle is open all along: exclusive is BUSY, shared works. */
		EXPECT(w, FPGA_BUSY, fpgaOpen(token, &h, 0));
		pthread_mutex_lock(&g_opens);
		EXPECT(w, FPGA_OK, fpgaOpen(token, &h, FPGA_OPEN_SHARED));
		pthread_mutex_unlock(&g_opens);
		fpgaDestroyToken(&token);
		w->handles[w->nhandles++] = h;
	} else if (w->nhandles > 0) {
		unsigned i = pick(w, (unsigned)w->nhandles);
		int j;
		h = w->handles[i];
		EXPECT(w, FPGA_OK, fpgaClose(h));
		EXPECT(w, FPGA_INVALID_PARAM, fpgaClose(h));
		w->handles[i] = w->handles[--w->nhandles];
		/* Close released its buffers; the memory of the allocated ones is gone. */
		for (j = 0; j < MAX_BUFFERS; ++j)
			if (w->buffers[j].live && w->buffers[j].h == h)
				forget(w, &w->buffers[j]);
	}
}

static void op_nlb0(struct worker *w)
{
	struct buffer *dsm = NULL, *src, *dst;
	int i, tries;
	uint32_t lines;
	uint64_t status, expected, dsm_io = 0, src_io = 0, dst_io = 0;
	w->op = "nlb0";
	for (i = 0; i < MAX_BUFFERS && !dsm; ++i) {
		struct buffer *b = &w->buffers[i];
		if (b->live && b->region < 0 && b->inside < 0 && !b->readonly)
			dsm = b;
	}
	if (!dsm)
		return;
	for (tries = 0;; ++tries) {
		src = live_buffer(w);
		dst = live_buffer(w);
		if (tries > 8 || !src || !dst)
			return;
		if (src != dst && src != dsm && dst != dsm && src->h == dsm->h && dst->h == dsm->h
		    && (src->addr + src->len <= dst->addr || dst->addr + dst->len <= src->addr)
		    && (dsm->addr + dsm->len <= dst->addr || dst->addr + dst->len <= dsm->addr)
		    && (dsm->addr + dsm->len <= src->addr || src->addr + src->len <= dsm->addr))
			break;
	}
	/* Without pins a device write to unmapped caller memory lands in whatever is mapped at the
	 * address by then, another thread's buffer included (the fallback's documented limit): not run. */
	if (!device_pages_reachable(w, dst) || (dst->region >= 0 && !dst->pinned && w->regions[dst->region].state == UNMAPPED))
		return;
	lines = (uint32_t)((src->len < dst->len ? src->len : dst->len) / 64);
	if (cpu_writable(w, src))
		memset(src->addr, (int)(0x10 + pick(w, 200)), lines * 64u);
	if (cpu_writable(w, dst))
		memset(dst->addr, 0, lines * 64u);
	expected = dst->readonly || !device_pages_reachable(w, src) || !device_pages_reachable(w, dst) ? 3 : 1;

	EXPECT(w, FPGA_OK, fpgaGetIOAddress(dsm->h, dsm->wsid, &dsm_io));
	EXPECT(w, FPGA_OK, fpgaGetIOAddress(src->h, src->wsid, &src_io));
	EXPECT(w, FPGA_OK, fpgaGetIOAddress(dst->h, dst->wsid, &dst_io));
	pthread_mutex_lock(&g_afu);
	EXPECT(w, FPGA_OK, nlb0_start(dsm->h, (volatile uint64_t *)dsm->addr, dsm_io, src_io, dst_io, lines));
	status = nlb0_wait((volatile uint64_t *)dsm->addr, 20000);
	EXPECT(w, FPGA_OK, nlb0_stop(dsm->h));
	pthread_mutex_unlock(&g_afu);
	/* Unpinned caller memory (read-only memory: io_uring pins only writable pages; or no io_uring) is
	 * reached by address: once the caller unmapped it, the device reads whatever another thread has
	 * mapped there since, if anything (a read: harmless, and documented). */
	if (status == 1 && expected == 3 && !dst->readonly && !src->pinned && src->region >= 0)
		expected = 1;
	if (status != expected)
		fail(w, "NLB0 finished with status %" PRIu64 ", the model says %" PRIu64 " (%u lines, dst %s%s)", status,
		     expected, lines, dst->readonly ? "read-only" : "writable", dst->region >= 0 ? ", caller memory" : "");
	if (status == 1 && cpu_writable(w, src) && cpu_writable(w, dst) && memcmp(src->addr, dst->addr, lines * 64u) != 0) {
		size_t at = 0;
		while (at < lines * 64u && src->addr[at] == dst->addr[at])
			at++;
		fail(w, "NLB0 reported success but the destination differs from the source at byte %zu of %u (%02x vs %02x); src region %d inside %d ro %d len %zu @%p, dst region %d inside %d len %zu @%p",
		     at, lines * 64u, src->addr[at], dst->addr[at], src->region, src->inside, src->readonly, src->len, (void *)src->addr,
		     dst->region, dst->inside, dst->len, (void *)dst->addr);
	}
	check_reused_untouched(w);
}

static void step(struct worker *w)
{
	switch (pick(w, 20)) {
	case 0: case 1: case 2: op_prepare(w); break;
	case 3: case 4: op_map_region(w); break;
	case 5: case 6: case 7: op_attach(w); break;
	case 8: op_unmap_region(w); break;
	case 9: case 10: case 11: op_release(w); break;
	case 12: case 13: op_lookup(w); break;
	case 14: case 15: op_mmio(w); break;
	case 16: op_open_close(w); break;
	default: op_nlb0(w); break;
	}
}

static void finish(struct worker *w)
{
	int i;
	w->op = "finish";
	while (w->nhandles > 0) {
		EXPECT(w, FPGA_OK, fpgaClose(w->handles[w->nhandles - 1]));
		w->nhandles--;
	}
	for (i = 0; i < MAX_BUFFERS; ++i)
		if (w->buffers[i].live && w->buffers[i].h == g_shared) {
			EXPECT(w, FPGA_OK, fpgaReleaseBuffer(g_shared, w->buffers[i].wsid));
			forget(w, &w->buffers[i]);
		}
	for (i = 0; i < w->nregions; ++i)
		if (w->regions[i].state != UNMAPPED)
			munmap(w->regions[i].addr, w->regions[i].len);
	w->nregions = 0;
}

static void *run(void *arg)
{
	struct worker *w = arg;
	double until = g_started + g_round_seconds;
	for (w->step = 0; now() < until; ++w->step)
		step(w);
	finish(w);
	return NULL;
}

/* ---- the process's state ---- */

struct state {
	long locked_kib, pinned_kib, threads, fds, dma_mappings;
};

static long status_field(const char *name)
{
	char line[256];
	long value = -1;
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, name, strlen(name)) == 0)
			value = strtol(line + strlen(name), NULL, 10);
	fclose(f);
	return value;
}

static long count_fds(void)
{
	long n = 0;
	struct dirent *e;
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the directory's own descriptor */
}

/* The library's buffer mappings are the process's only MADV_DONTFORK ("dc") ones. */
static long count_dontfork(void)
{
	char line[512];
	long n = 0;
	FILE *f = fopen("/proc/self/smaps", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "VmFlags:", 8) == 0 && strstr(line, " dc"))
			n++;
	fclose(f);
	return n;
}

static struct state measure(void)
{
	struct state s;
	s.locked_kib = status_field("VmLck:");
	s.pinned_kib = status_field("VmPin:");
	s.threads = status_field("Threads:");
	s.fds = count_fds();
	s.dma_mappings = count_dontfork();
	return s;
}

static int same(struct state a, struct state b)
{
	return a.locked_kib == b.locked_kib && a.pinned_kib == b.pinned_kib && a.threads == b.threads && a.fds == b.fds
	       && a.dma_mappings == b.dma_mappings;
}

static void print_threads(void)
{
	char path[300], name[64];
	struct dirent *e;
	DIR *d = opendir("/proc/self/task");
	if (!d)
		return;
	fprintf(stderr, "fuzz_abi:   threads:");
	while ((e = readdir(d))) {
		FILE *f;
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
		f = fopen(path, "r");
		if (f && fgets(name, sizeof(name), f)) {
			name[strcspn(name, "\n")] = 0;
			fprintf(stderr, " %s", name);
		}
		if (f)
			fclose(f);
	}
	closedir(d);
	fprintf(stderr, "\n");
}

static void print_state(const char *what, struct state s)
{
	fprintf(stderr, "fuzz_abi: %s: VmLck %ld KiB, VmPin %ld KiB, %ld threads, %ld fds, %ld buffer mappings\n", what,
		s.locked_kib, s.pinned_kib, s.threads, s.fds, s.dma_mappings);
	print_threads();
}

static int io_uring_works(void)
{
	struct io_uring_params p;
	long fd;
	memset(&p, 0, sizeof(p));
	fd = syscall(__NR_io_uring_setup, 2, &p);
	if (fd < 0)
		return 0;
	close((int)fd);
	return 1;
}

/* io_uring_setup fails with ENOSYS from now on, in this process and its threads. */
static void forbid_io_uring(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog program = { (unsigned short)(sizeof(filter) / sizeof(filter[0])), filter };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0
	    || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &program) != 0) {
		fprintf(stderr, "fuzz_abi: cannot install the seccomp filter: %s\n", strerror(errno));
		exit(1);
	}
}

static void run_round(int threads, double seconds, uint64_t seed)
{
	static struct worker workers[16];
	pthread_t ids[16];
	fpga_token token = fixture_token(FPGA_ACCELERATOR, NLB0_AFU_ID);
	int i;
	REQUIRE_OK(fpgaOpen(token, &g_shared, FPGA_OPEN_SHARED));
	fpgaDestroyToken(&token);
	g_round_seconds = seconds;
	g_started = now();
	for (i = 0; i < threads; ++i) {
		memset(&workers[i], 0, sizeof(workers[i]));
		workers[i].id = i;
		workers[i].rng = seed * 1000003u + (uint64_t)i;
		if (pthread_create(&ids[i], NULL, run, &workers[i]) != 0) {
			fprintf(stderr, "fuzz_abi: pthread_create failed\n");
			exit(1);
		}
	}
	for (i = 0; i < threads; ++i)
		pthread_join(ids[i], NULL);
	REQUIRE_OK(fpgaClose(g_shared));
	g_shared = NULL;
	for (i = 0; i < threads; ++i)
		fprintf(stderr, "fuzz_abi: thread %d: %ld steps, %ld calls checked\n", i, workers[i].step, workers[i].calls);
}

int main(int argc, char **argv)
{
	struct state before, after;
	int i, settle;
	g_seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	if (getenv("FUZZ_SECONDS"))
		g_seconds = atof(getenv("FUZZ_SECONDS"));
	for (i = 1; i < argc && strcmp(argv[i], "--without-io-uring") != 0; ++i)
		;
	if (i < argc) {
		forbid_io_uring();
		memmove(&argv[i], &argv[i + 1], (size_t)(argc - i) * sizeof(*argv));
		argc--;
	}
	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--seconds") == 0)
			g_seconds = atof(argv[i + 1]);
		else if (strcmp(argv[i], "--threads") == 0)
			g_threads = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--seed") == 0)
			g_seed = strtoull(argv[i + 1], NULL, 10);
	}
	if (g_threads < 1 || g_threads > 16) {
		fprintf(stderr, "usage: fuzz_abi [--seconds N] [--threads 1..16] [--seed N]\n");
		return 2;
	}
	setenv("OPAESHARP_BACKEND", "sim", 0);
	g_pins_exact = io_uring_works();
	fprintf(stderr, "fuzz_abi: seed=%" PRIu64 " threads=%d seconds=%.0f device reaches %s\n", g_seed, g_threads,
		g_seconds, g_pins_exact ? "pinned pages (io_uring)" : "caller memory by address (no io_uring)");

	/* A short round first, so everything the library keeps for the process (its runtime's threads,
	 * the pinning ring, the C library's cached thread stacks) exists before the baseline. */
	run_round(g_threads, 0.5, g_seed ^ UINT64_C(0xABCDEF));

	/* A worker thread joined by a close may still be on its way out of the kernel. */
	before = measure();
	for (settle = 0; settle < 50; ++settle) {
		struct timespec pause = { 0, 20 * 1000 * 1000 };
		nanosleep(&pause, NULL);
		after = measure();
		if (same(before, after))
			break;
		before = after;
	}
	print_state("baseline", before);

	run_round(g_threads, g_seconds, g_seed);

	/* Unpinning is done by the kernel when no request holds the pages; give it a moment. */
	for (settle = 0; settle < 50; ++settle) {
		struct timespec pause = { 0, 20 * 1000 * 1000 };
		after = measure();
		if (same(before, after))
			break;
		nanosleep(&pause, NULL);
	}
	print_state("after", after);
	if (!same(before, after)) {
		fprintf(stderr, "fuzz_abi: FAILED seed=%" PRIu64 ": the process is not back to its baseline\n", g_seed);
		return 1;
	}
	fprintf(stderr, "fuzz_abi: OK\n");
	return 0;
}
