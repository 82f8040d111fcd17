/*
 * Two threads on one handle at once: buffers prepared, looked up and released concurrently
 * never collide, every wsid is the thread's own, and MMIO keeps working meanwhile. Then one
 * thread closes the handle while the other is using it: the user gets FPGA_INVALID_PARAM
 * (or success before the close), never a crash.
 */
#include <pthread.h>

#include "fixture.h"

#define ROUNDS 200

struct worker {
	fpga_handle handle;
	int failures;
	uint64_t last_wsid;
};

static void *prepare_release_loop(void *arg)
{
	struct worker *w = arg;
	int i;
	for (i = 0; i < ROUNDS; ++i) {
		void *buf = NULL;
		uint64_t wsid = 0, io = 0;
		if (fpgaPrepareBuffer(w->handle, 4096, &buf, &wsid, 0) != FPGA_OK) {
			w->failures++;
			continue;
		}
		((volatile uint8_t *)buf)[0] = (uint8_t)i;
		if (wsid == w->last_wsid || fpgaGetIOAddress(w->handle, wsid, &io) != FPGA_OK || io == 0)
			w->failures++;
		w->last_wsid = wsid;
		if (fpgaReleaseBuffer(w->handle, wsid) != FPGA_OK)
			w->failures++;
		if (fpgaReleaseBuffer(w->handle, wsid) != FPGA_INVALID_PARAM)
			w->failures++;
	}
	return NULL;
}

static void *mmio_loop(void *arg)
{
	struct worker *w = arg;
	int i;
	for (i = 0; i < ROUNDS * 10; ++i) {
		uint64_t value = 0;
		/* The NLB0 AFU id's low half, at offset 0x8. */
		if (fpgaReadMMIO64(w->handle, 0, 0x8, &value) != FPGA_OK || value != UINT64_C(0xF89E433683F9040B))
			w->failures++;
		if (fpgaWriteMMIO64(w->handle, 0, 0x120, (uint64_t)i) != FPGA_OK)
			w->failures++;
	}
	return NULL;
}

static void two_threads_prepare_and_release_on_one_handle(void)
{
	fpga_handle h = fixture_open(0);
	struct worker a = { h, 0, 0 }, b = { h, 0, 0 };
	pthread_t ta, tb;
	CHECK(pthread_create(&ta, NULL, prepare_release_loop, &a) == 0);
	CHECK(pthread_create(&tb, NULL, prepare_release_loop, &b) == 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	CHECK(a.failures == 0);
	CHECK(b.failures == 0);
	REQUIRE_OK(fpgaClose(h));
}

static void buffers_and_mmio_on_one_handle_from_two_threads(void)
{
	fpga_handle h = fixture_open(0);
	struct worker a = { h, 0, 0 }, b = { h, 0, 0 };
	pthread_t ta, tb;
	CHECK(pthread_create(&ta, NULL, prepare_release_loop, &a) == 0);
	CHECK(pthread_create(&tb, NULL, mmio_loop, &b) == 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	CHECK(a.failures == 0);
	CHECK(b.failures == 0);
	REQUIRE_OK(fpgaClose(h));
}

struct racer {
	fpga_handle handle;
	int unexpected;
	int refused;
};

static void *use_until_closed(void *arg)
{
	struct racer *r = arg;
	int i;
	for (i = 0; i < ROUNDS * 20; ++i) {
		void *buf = NULL;
		uint64_t wsid = 0;
		fpga_result res = fpgaPrepareBuffer(r->handle, 4096, &buf, &wsid, FPGA_BUF_QUIET);
		if (res == FPGA_OK)
			res = fpgaReleaseBuffer(r->handle, wsid);
		if (res == FPGA_INVALID_PARAM)
			r->refused++;
		else if (res != FPGA_OK)
			r->unexpected++;
	}
	return NULL;
}

static void close_while_another_thread_uses_the_handle(void)
{
	fpga_handle h = fixture_open(0);
	struct racer r = { h, 0, 0 };
	pthread_t t;
	void *buf = NULL;
	uint64_t wsid = 0;
	CHECK(pthread_create(&t, NULL, use_until_closed, &r) == 0);
	CHECK_RESULT(FPGA_OK, fpgaClose(h));
	pthread_join(t, NULL);
	CHECK(r.unexpected == 0);
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaPrepareBuffer(h, 4096, &buf, &wsid, 0));
	/* Whatever the racer left prepared was released by close: the port opens exclusively again. */
	h = fixture_open(0);
	REQUIRE_OK(fpgaClose(h));
}

CHECK_CASES("threads",
	    CASE(two_threads_prepare_and_release_on_one_handle),
	    CASE(buffers_and_mmio_on_one_handle_from_two_threads),
	    CASE(close_while_another_thread_uses_the_handle))
