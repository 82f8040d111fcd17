/*
 * Misusing handles, tokens and properties: NULL, made-up, closed, destroyed, and one kind passed
 * as another all return FPGA_INVALID_PARAM; the library never follows such a value.
 */
#include "fixture.h"

#define GARBAGE ((void *)(uintptr_t)0x00007fffdeadbee0u)

static void null_handle_is_invalid_everywhere(void)
{
	uint32_t v32 = 0;
	uint64_t v64 = 0;
	uint64_t *mmio = NULL;
	fpga_properties prop = NULL;
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaClose(NULL));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReset(NULL));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReadMMIO32(NULL, 0, 0, &v32));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReadMMIO64(NULL, 0, 0, &v64));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaWriteMMIO32(NULL, 0, 0x120, 1));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaWriteMMIO64(NULL, 0, 0x120, 1));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaMapMMIO(NULL, 0, &mmio));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaUnmapMMIO(NULL, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaGetPropertiesFromHandle(NULL, &prop));
	CHECK(prop == NULL);
}

/* A pointer-looking value that was never a handle: refused without being dereferenced. */
static void made_up_handle_is_invalid_param(void)
{
	uint64_t v64 = 0;
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReset(GARBAGE));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReadMMIO64(GARBAGE, 0, 0, &v64));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaClose(GARBAGE));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaClose((fpga_handle)(uintptr_t)1));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaClose((fpga_handle)(uintptr_t)UINTPTR_MAX));
}

static void closed_handle_is_invalid_param(void)
{
	fpga_handle h = fixture_open(0);
	uint64_t v64 = 0;
	REQUIRE_OK(fpgaClose(h));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReset(h));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReadMMIO64(h, 0, 0, &v64));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaClose(h));
}

/* Values are tagged by kind: a token is not a handle and a handle is not a token. */
static void kinds_are_not_interchangeable(void)
{
	fpga_token token = fixture_token(FPGA_ACCELERATOR, NLB0_AFU_ID);
	fpga_handle handle = NULL, other = NULL;
	fpga_properties prop = NULL;
	REQUIRE_OK(fpgaOpen(token, &handle, FPGA_OPEN_SHARED));
	REQUIRE_OK(fpgaGetProperties(token, &prop));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReset((fpga_handle)token));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReset((fpga_handle)prop));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaOpen((fpga_token)handle, &other, FPGA_OPEN_SHARED));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaOpen((fpga_token)prop, &other, FPGA_OPEN_SHARED));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaClearProperties((fpga_properties)token));
	CHECK(other == NULL);
	REQUIRE_OK(fpgaDestroyProperties(&prop));
	REQUIRE_OK(fpgaClose(handle));
	REQUIRE_OK(fpgaDestroyToken(&token));
}

static void open_checks_token_handle_pointer_and_flags(void)
{
	fpga_token token = fixture_token(FPGA_ACCELERATOR, NLB0_AFU_ID);
	fpga_handle handle = NULL;
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaOpen(NULL, &handle, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaOpen(GARBAGE, &handle, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaOpen(token, NULL, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaOpen(token, &handle, 1 << 5));
	CHECK(handle == NULL);
	REQUIRE_OK(fpgaDestroyToken(&token));
}

/* Exclusive means exclusive: a second open is BUSY until the first handle closes. */
static void exclusive_open_makes_others_busy(void)
{
	fpga_token token = fixture_token(FPGA_ACCELERATOR, NLB0_AFU_ID);
	fpga_handle first = NULL, second = NULL;
	REQUIRE_OK(fpgaOpen(token, &first, 0));
	CHECK_RESULT(FPGA_BUSY, fpgaOpen(token, &second, 0));
	CHECK_RESULT(FPGA_BUSY, fpgaOpen(token, &second, FPGA_OPEN_SHARED));
	CHECK(second == NULL);
	REQUIRE_OK(fpgaClose(first));
	CHECK_RESULT(FPGA_OK, fpgaOpen(token, &second, 0));
	REQUIRE_OK(fpgaClose(second));
	REQUIRE_OK(fpgaDestroyToken(&token));
}

/* A destroyed token is dead, its clone is not; handles opened from it outlive it. */
static void destroyed_token_is_invalid_param(void)
{
	fpga_token token = fixture_token(FPGA_ACCELERATOR, NLB0_AFU_ID);
	fpga_token clone = NULL, dead;
	fpga_handle handle = NULL;
	REQUIRE_OK(fpgaCloneToken(token, &clone));
	REQUIRE_OK(fpgaOpen(token, &handle, 0));
	dead = token;
	CHECK_RESULT(FPGA_OK, fpgaDestroyToken(&token));
	CHECK(token == NULL);
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaDestroyToken(&dead));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaCloneToken(dead, &token));
	CHECK_RESULT(FPGA_OK, fpgaReset(handle));
	REQUIRE_OK(fpgaClose(handle));
	CHECK_RESULT(FPGA_OK, fpgaOpen(clone, &handle, 0));
	REQUIRE_OK(fpgaClose(handle));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaDestroyToken(NULL));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaCloneToken(clone, NULL));
	REQUIRE_OK(fpgaDestroyToken(&clone));
}

static void destroyed_properties_are_invalid_param(void)
{
	fpga_properties prop = NULL, dead;
	REQUIRE_OK(fpgaGetProperties(NULL, &prop));
	dead = prop;
	CHECK_RESULT(FPGA_OK, fpgaDestroyProperties(&prop));
	CHECK(prop == NULL);
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaDestroyProperties(&dead));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaPropertiesSetBus(dead, 1));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaDestroyProperties(NULL));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaGetProperties(NULL, NULL));
}

/* MMIO arguments: NULL outputs, unaligned or out-of-range offsets, missing regions. */
static void mmio_arguments_are_checked(void)
{
	fpga_handle h = fixture_open(0);
	uint32_t v32 = 0;
	uint64_t v64 = 0;
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReadMMIO32(h, 0, 0, NULL));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReadMMIO64(h, 0, 0, NULL));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReadMMIO64(h, 0, 4, &v64));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReadMMIO32(h, 0, 2, &v32));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReadMMIO64(h, 0, UINT64_C(1) << 40, &v64));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReadMMIO64(h, 7, 0, &v64));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaWriteMMIO64(h, 0, 3, 1));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaMapMMIO(h, 7, NULL));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaUnmapMMIO(h, 7));
	REQUIRE_OK(fpgaClose(h));
}

/* An FPGA_DEVICE handle has no AFU registers and no DMA. */
static void device_handle_has_no_mmio_or_buffers(void)
{
	fpga_token token = fixture_token(FPGA_DEVICE, NULL);
	fpga_handle h = NULL;
	uint64_t v64 = 0, wsid = 0;
	void *buf = NULL;
	REQUIRE_OK(fpgaOpen(token, &h, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReadMMIO64(h, 0, 0, &v64));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaPrepareBuffer(h, 4096, &buf, &wsid, FPGA_BUF_QUIET));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReconfigureSlot(h, 0, NULL, 0, 0));
	CHECK_RESULT(FPGA_NOT_SUPPORTED, fpgaAssignPortToInterface(h, 0, 0, 0));
	REQUIRE_OK(fpgaClose(h));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReconfigureSlot(h, 0, NULL, 0, 0));
	REQUIRE_OK(fpgaDestroyToken(&token));
}

CHECK_CASES("handles",
	    CASE(null_handle_is_invalid_everywhere),
	    CASE(made_up_handle_is_invalid_param),
	    CASE(closed_handle_is_invalid_param),
	    CASE(kinds_are_not_interchangeable),
	    CASE(open_checks_token_handle_pointer_and_flags),
	    CASE(exclusive_open_makes_others_busy),
	    CASE(destroyed_token_is_invalid_param),
	    CASE(destroyed_properties_are_invalid_param),
	    CASE(mmio_arguments_are_checked),
	    CASE(device_handle_has_no_mmio_or_buffers))
