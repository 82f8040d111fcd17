/*
 * opae/event.h through libopae-c on the simulator: event handles and their eventfds, the result
 * codes of registration, the FME error interrupt fired by hello_events' error injection, an AFU
 * (HE-LPBK in its interrupt test mode) raising vector N for poll(); and the other calls of this
 * part of the API: fpgaWriteMMIO512, the UMsg calls, fpgaGetChildren and fpgaBindSVA.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include "fixture.h"

#define HE_LPBK_AFU_ID "56E203E9-864F-49A7-B94B-12284C31E02B"

/* Waits up to @ms for @fd to be readable; returns the eventfd counter read then, or 0 on time-out. */
static uint64_t wait_event(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint64_t count = 0;

	if (poll(&pfd, 1, ms) != 1)
		return 0;
	if (read(fd, &count, sizeof(count)) != (ssize_t)sizeof(count))
		return 0;
	return count;
}

static fpga_handle open_device(void)
{
	fpga_token token = fixture_token(FPGA_DEVICE, NULL);
	fpga_handle h = NULL;
	REQUIRE_OK(fpgaOpen(token, &h, FPGA_OPEN_SHARED));
	REQUIRE_OK(fpgaDestroyToken(&token));
	return h;
}

/* hello_events' injection: the FME's errors/inject_errors written through the handle. */
static void inject(fpga_handle device, uint64_t value)
{
	fpga_object obj = NULL;
	REQUIRE_OK(fpgaHandleGetObject(device, "errors/inject_errors", &obj, 0));
	REQUIRE_OK(fpgaObjectWrite64(obj, value, 0));
	REQUIRE_OK(fpgaDestroyObject(&obj));
}

static void an_event_handle_is_a_blocking_eventfd_until_destroyed(void)
{
	fpga_event_handle eh = NULL;
	int fd = -1, again = -1;
	uint64_t one = 1, count = 0;

	REQUIRE_OK(fpgaCreateEventHandle(&eh));
	CHECK(eh != NULL);
	REQUIRE_OK(fpgaGetOSObjectFromEventHandle(eh, &fd));
	REQUIRE_OK(fpgaGetOSObjectFromEventHandle(eh, &again));
	CHECK(fd >= 0);
	CHECK(fd == again);
	CHECK((fcntl(fd, F_GETFL) & O_NONBLOCK) == 0);
	CHECK(write(fd, &one, sizeof(one)) == (ssize_t)sizeof(one));
	CHECK(read(fd, &count, sizeof(count)) == (ssize_t)sizeof(count));
	CHECK_U64(1, count);

	REQUIRE_OK(fpgaDestroyEventHandle(&eh));
	CHECK(eh == NULL);
	CHECK(fcntl(fd, F_GETFD) == -1);
}

static void event_handle_calls_refuse_null_stale_and_foreign_values(void)
{
	fpga_event_handle eh = NULL, stale = NULL;
	fpga_handle h = fixture_open(0);
	int fd = -1;

	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaCreateEventHandle(NULL));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaDestroyEventHandle(NULL));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaDestroyEventHandle(&eh));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaGetOSObjectFromEventHandle(NULL, &fd));

	REQUIRE_OK(fpgaCreateEventHandle(&eh));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaGetOSObjectFromEventHandle(eh, NULL));
	stale = eh;
	REQUIRE_OK(fpgaDestroyEventHandle(&eh));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaDestroyEventHandle(&stale));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaGetOSObjectFromEventHandle(stale, &fd));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaRegisterEvent(h, FPGA_EVENT_ERROR, stale, 0));

	/* A handle is not an event handle, nor the other way round. */
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaGetOSObjectFromEventHandle((fpga_event_handle)h, &fd));
	REQUIRE_OK(fpgaCreateEventHandle(&eh));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaRegisterEvent((fpga_handle)eh, FPGA_EVENT_ERROR, eh, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaRegisterEvent(NULL, FPGA_EVENT_ERROR, eh, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaUnregisterEvent(NULL, FPGA_EVENT_ERROR, eh));
	REQUIRE_OK(fpgaDestroyEventHandle(&eh));
	REQUIRE_OK(fpgaClose(h));
}

static void registration_answers_opae_s_codes_for_what_the_simulator_cannot_signal(void)
{
	fpga_handle acc = fixture_open(FPGA_OPEN_SHARED);
	fpga_handle device = open_device();
	fpga_event_handle eh = NULL;

	REQUIRE_OK(fpgaCreateEventHandle(&eh));
	/* NLB0 has no interrupt vectors. */
	CHECK_RESULT(FPGA_NOT_SUPPORTED, fpgaRegisterEvent(acc, FPGA_EVENT_INTERRUPT, eh, 0));
	/* Interrupts are an accelerator's; a device handle has none. */
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaRegisterEvent(device, FPGA_EVENT_INTERRUPT, eh, 0));
	CHECK_RESULT(FPGA_NOT_SUPPORTED, fpgaRegisterEvent(acc, FPGA_EVENT_POWER_THERMAL, eh, 0));
	CHECK_RESULT(FPGA_NOT_SUPPORTED, fpgaRegisterEvent(device, FPGA_EVENT_POWER_THERMAL, eh, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaRegisterEvent(acc, (fpga_event_type)7, eh, 0));
	/* Nothing registered: nothing to unregister. */
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaUnregisterEvent(acc, FPGA_EVENT_ERROR, eh));
	REQUIRE_OK(fpgaDestroyEventHandle(&eh));
	REQUIRE_OK(fpgaClose(device));
	REQUIRE_OK(fpgaClose(acc));
}

static void an_injected_fme_error_fires_the_device_handles_error_event_until_unregistered(void)
{
	fpga_handle device = open_device();
	fpga_event_handle eh = NULL;
	int fd = -1;

	REQUIRE_OK(fpgaCreateEventHandle(&eh));
	REQUIRE_OK(fpgaRegisterEvent(device, FPGA_EVENT_ERROR, eh, 0));
	REQUIRE_OK(fpgaGetOSObjectFromEventHandle(eh, &fd));
	CHECK_U64(0, wait_event(fd, 0));

	inject(device, 2);
	CHECK_U64(1, wait_event(fd, 10000));
	inject(device, 0);
	CHECK_U64(0, wait_event(fd, 100));

	REQUIRE_OK(fpgaUnregisterEvent(device, FPGA_EVENT_ERROR, eh));
	inject(device, 2);
	CHECK_U64(0, wait_event(fd, 200));
	inject(device, 0);
	REQUIRE_OK(fpgaDestroyEventHandle(&eh));
	REQUIRE_OK(fpgaClose(device));
}

static void the_fme_error_interrupt_takes_one_event_handle_and_destroying_it_frees_the_interrupt(void)
{
	fpga_handle device = open_device();
	fpga_event_handle first = NULL, second = NULL;
	int fd = -1;

	REQUIRE_OK(fpgaCreateEventHandle(&first));
	REQUIRE_OK(fpgaCreateEventHandle(&second));
	REQUIRE_OK(fpgaRegisterEvent(device, FPGA_EVENT_ERROR, first, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaRegisterEvent(device, FPGA_EVENT_ERROR, first, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaRegisterEvent(device, FPGA_EVENT_ERROR, second, 0));

	/* Destroyed while registered: unregistered on the way, so the interrupt is free again. */
	REQUIRE_OK(fpgaDestroyEventHandle(&first));
	REQUIRE_OK(fpgaRegisterEvent(device, FPGA_EVENT_ERROR, second, 0));
	REQUIRE_OK(fpgaGetOSObjectFromEventHandle(second, &fd));
	inject(device, 2);
	CHECK_U64(1, wait_event(fd, 10000));
	inject(device, 0);
	REQUIRE_OK(fpgaUnregisterEvent(device, FPGA_EVENT_ERROR, second));
	REQUIRE_OK(fpgaDestroyEventHandle(&second));
	REQUIRE_OK(fpgaClose(device));
}

static void closing_the_handle_ends_its_registrations_and_the_event_handle_stays_usable(void)
{
	fpga_handle device = open_device();
	fpga_handle other = NULL;
	fpga_event_handle eh = NULL;

	REQUIRE_OK(fpgaCreateEventHandle(&eh));
	REQUIRE_OK(fpgaRegisterEvent(device, FPGA_EVENT_ERROR, eh, 0));
	REQUIRE_OK(fpgaClose(device));

	other = open_device();
	REQUIRE_OK(fpgaRegisterEvent(other, FPGA_EVENT_ERROR, eh, 0));
	REQUIRE_OK(fpgaUnregisterEvent(other, FPGA_EVENT_ERROR, eh));
	REQUIRE_OK(fpgaDestroyEventHandle(&eh));
	REQUIRE_OK(fpgaClose(other));
}

/* The simulator's HE-LPBK (OPAESHARP_SIM_CONFIG, set by CTest): its interrupt test mode raises the vector in INTERRUPT0[31:16]. */
static void an_afu_raising_vector_3_fires_the_event_handle_registered_for_it(void)
{
	fpga_token token = fixture_token(FPGA_ACCELERATOR, HE_LPBK_AFU_ID);
	fpga_handle h = NULL;
	fpga_event_handle eh = NULL, other = NULL;
	uint64_t wsid[3] = { 0 }, io[3] = { 0 };
	void *buffer[3] = { NULL };
	int fd = -1, other_fd = -1;

	REQUIRE_OK(fpgaOpen(token, &h, 0));
	REQUIRE_OK(fpgaDestroyToken(&token));
	for (int i = 0; i < 3; ++i) {
		REQUIRE_OK(fpgaPrepareBuffer(h, 4096, &buffer[i], &wsid[i], 0));
		REQUIRE_OK(fpgaGetIOAddress(h, wsid[i], &io[i]));
	}
	REQUIRE_OK(fpgaCreateEventHandle(&eh));
	REQUIRE_OK(fpgaCreateEventHandle(&other));
	REQUIRE_OK(fpgaRegisterEvent(h, FPGA_EVENT_INTERRUPT, eh, 3));
	REQUIRE_OK(fpgaRegisterEvent(h, FPGA_EVENT_INTERRUPT, other, 1));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaRegisterEvent(h, FPGA_EVENT_INTERRUPT, other, 3));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaRegisterEvent(h, FPGA_EVENT_INTERRUPT, other, 4));
	REQUIRE_OK(fpgaGetOSObjectFromEventHandle(eh, &fd));
	REQUIRE_OK(fpgaGetOSObjectFromEventHandle(other, &other_fd));

	REQUIRE_OK(fpgaWriteMMIO32(h, 0, 0x138, 0));
	REQUIRE_OK(fpgaWriteMMIO32(h, 0, 0x138, 1));
	REQUIRE_OK(fpgaWriteMMIO64(h, 0, 0x120, io[0] >> 6));
	REQUIRE_OK(fpgaWriteMMIO64(h, 0, 0x128, io[1] >> 6));
	REQUIRE_OK(fpgaWriteMMIO64(h, 0, 0x110, io[2] >> 6));
	REQUIRE_OK(fpgaWriteMMIO64(h, 0, 0x130, 63));
	REQUIRE_OK(fpgaWriteMMIO64(h, 0, 0x140, 1ULL << 29));
	REQUIRE_OK(fpgaWriteMMIO32(h, 0, 0x150, 3u << 16));
	REQUIRE_OK(fpgaWriteMMIO32(h, 0, 0x138, 3));

	CHECK_U64(1, wait_event(fd, 30000));
	CHECK_U64(0, wait_event(other_fd, 0));

	REQUIRE_OK(fpgaUnregisterEvent(h, FPGA_EVENT_INTERRUPT, eh));
	REQUIRE_OK(fpgaUnregisterEvent(h, FPGA_EVENT_INTERRUPT, other));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaUnregisterEvent(h, FPGA_EVENT_INTERRUPT, eh));
	REQUIRE_OK(fpgaDestroyEventHandle(&eh));
	REQUIRE_OK(fpgaDestroyEventHandle(&other));
	for (int i = 0; i < 3; ++i)
		REQUIRE_OK(fpgaReleaseBuffer(h, wsid[i]));
	REQUIRE_OK(fpgaClose(h));
}

static void a_512_bit_write_reaches_the_simulated_afu_as_eight_registers(void)
{
	fpga_handle h = fixture_open(0);
	uint64_t value[8], back = 0;

	for (int i = 0; i < 8; ++i)
		value[i] = 0xabcd000000000000ULL + (uint64_t)i;
	REQUIRE_OK(fpgaWriteMMIO512(h, 0, 0x200, value));
	for (int i = 0; i < 8; ++i) {
		REQUIRE_OK(fpgaReadMMIO64(h, 0, 0x200 + 8 * (uint64_t)i, &back));
		CHECK_U64(value[i], back);
	}
	REQUIRE_OK(fpgaClose(h));
}

static void a_512_bit_write_refuses_bad_arguments(void)
{
	fpga_handle h = fixture_open(0);
	uint64_t value[8] = { 0 };

	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaWriteMMIO512(NULL, 0, 0x200, value));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaWriteMMIO512(h, 0, 0x208, value));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaWriteMMIO512(h, 0, 0x200, NULL));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaWriteMMIO512(h, 1, 0x200, value));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaWriteMMIO512(h, 0, 0x40000, value));
	REQUIRE_OK(fpgaClose(h));
}

static void umsg_calls_are_not_supported_as_in_opae(void)
{
	fpga_handle h = fixture_open(0);
	uint64_t count = 7, *umsg = NULL;

	CHECK_RESULT(FPGA_NOT_SUPPORTED, fpgaGetNumUmsg(h, &count));
	CHECK_RESULT(FPGA_NOT_SUPPORTED, fpgaSetUmsgAttributes(h, 1));
	CHECK_RESULT(FPGA_NOT_SUPPORTED, fpgaTriggerUmsg(h, 1));
	CHECK_RESULT(FPGA_NOT_SUPPORTED, fpgaGetUmsgPtr(h, &umsg));
	CHECK_U64(7, count);
	CHECK(umsg == NULL);
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaGetNumUmsg(NULL, &count));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaGetNumUmsg(h, NULL));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaGetUmsgPtr(h, NULL));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaTriggerUmsg(NULL, 1));
	REQUIRE_OK(fpgaClose(h));
}

static void an_afu_that_names_no_children_has_none(void)
{
	fpga_handle h = fixture_open(0);
	fpga_handle device = open_device();
	fpga_handle children[2] = { NULL, NULL };
	uint32_t count = 99;

	REQUIRE_OK(fpgaGetChildren(h, 2, children, &count));
	CHECK_U64(0, count);
	CHECK(children[0] == NULL);
	count = 99;
	REQUIRE_OK(fpgaGetChildren(h, 0, NULL, &count));
	CHECK_U64(0, count);
	count = 99;
	REQUIRE_OK(fpgaGetChildren(device, 0, NULL, &count));
	CHECK_U64(0, count);
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaGetChildren(h, 2, NULL, &count));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaGetChildren(h, 0, NULL, NULL));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaGetChildren(NULL, 0, NULL, &count));
	REQUIRE_OK(fpgaClose(device));
	REQUIRE_OK(fpgaClose(h));
}

static void shared_virtual_addressing_is_not_supported_by_the_simulator(void)
{
	fpga_handle h = fixture_open(0);
	uint32_t pasid = 5;

	CHECK_RESULT(FPGA_NOT_SUPPORTED, fpgaBindSVA(h, &pasid));
	CHECK_RESULT(FPGA_NOT_SUPPORTED, fpgaBindSVA(h, NULL));
	CHECK_U64(5, pasid);
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaBindSVA(NULL, &pasid));
	REQUIRE_OK(fpgaClose(h));
}

CHECK_CASES("events",
	    CASE(an_event_handle_is_a_blocking_eventfd_until_destroyed),
	    CASE(event_handle_calls_refuse_null_stale_and_foreign_values),
	    CASE(registration_answers_opae_s_codes_for_what_the_simulator_cannot_signal),
	    CASE(an_injected_fme_error_fires_the_device_handles_error_event_until_unregistered),
	    CASE(the_fme_error_interrupt_takes_one_event_handle_and_destroying_it_frees_the_interrupt),
	    CASE(closing_the_handle_ends_its_registrations_and_the_event_handle_stays_usable),
	    CASE_ENV(an_afu_raising_vector_3_fires_the_event_handle_registered_for_it, "OPAESHARP_SIM_CONFIG=" HE_LPBK_CONFIG),
	    CASE(a_512_bit_write_reaches_the_simulated_afu_as_eight_registers),
	    CASE(a_512_bit_write_refuses_bad_arguments),
	    CASE(umsg_calls_are_not_supported_as_in_opae),
	    CASE(an_afu_that_names_no_children_has_none),
	    CASE(shared_virtual_addressing_is_not_supported_by_the_simulator))
