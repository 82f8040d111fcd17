/*
 * The rest of the surface: fpgaErrStr texts, version and build strings, fpgaMapMMIO on the
 * simulator, fpgaReset, fpgaInitialize/fpgaFinalize, and LIBOPAE_LOG.
 */
#define _GNU_SOURCE
#include <unistd.h>

#include "capture.h"
#include "fixture.h"

#ifndef OPAE_C_PKG_VERSION
#define OPAE_C_PKG_VERSION "unknown"
#endif

static void err_str_texts_match_opae(void)
{
	static const char *const expected[] = {
		"success", "invalid parameter", "resource busy", "exception", "not found",
		"no memory", "not supported", "no driver available", "no fpga daemon running",
		"insufficient privileges", "reconfiguration error",
	};
	int i;
	for (i = 0; i <= FPGA_RECONF_ERROR; ++i)
		CHECK(strcmp(expected[i], fpgaErrStr((fpga_result)i)) == 0);
	CHECK(strcmp("unknown error", fpgaErrStr((fpga_result)11)) == 0);
	CHECK(strcmp("unknown error", fpgaErrStr((fpga_result)-1)) == 0);
	/* The same pointer every time: a constant owned by the library. */
	CHECK(fpgaErrStr(FPGA_BUSY) == fpgaErrStr(FPGA_BUSY));
}

static void version_matches_the_installed_package(void)
{
	fpga_version v = { 0, 0, 0 };
	char text[FPGA_VERSION_STR_MAX], formatted[32];
	CHECK_RESULT(FPGA_OK, fpgaGetOPAECVersion(&v));
	CHECK(v.major == 2);
	CHECK_RESULT(FPGA_OK, fpgaGetOPAECVersionString(text, sizeof(text)));
	snprintf(formatted, sizeof(formatted), "%u.%u.%u", v.major, v.minor, v.patch);
	CHECK(strcmp(text, formatted) == 0);
	CHECK(strcmp(text, OPAE_C_PKG_VERSION) == 0);
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaGetOPAECVersion(NULL));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaGetOPAECVersionString(NULL, 10));
	CHECK_RESULT(FPGA_EXCEPTION, fpgaGetOPAECVersionString(text, 2));
	CHECK_RESULT(FPGA_EXCEPTION, fpgaGetOPAECVersionString(text, 0));
}

static void build_string_fits_the_documented_size(void)
{
	char build[FPGA_BUILD_STR_MAX];
	CHECK_RESULT(FPGA_OK, fpgaGetOPAECBuildString(build, sizeof(build)));
	CHECK(strlen(build) > 0);
	/* OPAE's C++ core (opae::fpga::types::version::build) reads it into char[32]. */
	CHECK(strlen(build) < 32);
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaGetOPAECBuildString(NULL, sizeof(build)));
	CHECK_RESULT(FPGA_EXCEPTION, fpgaGetOPAECBuildString(build, 1));
}

/* hello_fpga's call: no pointer asked for, so FPGA_OK even on the simulator. */
static void map_mmio_without_pointer_is_ok(void)
{
	fpga_handle h = fixture_open(0);
	CHECK_RESULT(FPGA_OK, fpgaMapMMIO(h, 0, NULL));
	CHECK_RESULT(FPGA_OK, fpgaUnmapMMIO(h, 0));
	REQUIRE_OK(fpgaClose(h));
}

/* The simulator maps its register file: the pointer and the MMIO calls see the same registers. */
static void map_mmio_pointer_on_simulator_is_the_register_file(void)
{
	fpga_handle h = fixture_open(0);
	uint64_t *mmio = NULL, value = 0;
	CHECK_RESULT(FPGA_OK, fpgaMapMMIO(h, 0, &mmio));
	CHECK(mmio != NULL);
	CHECK_U64(UINT64_C(0xD8424DC4A4A3C413), mmio[0x10 / 8]);
	mmio[0x120 / 8] = 0x4321;
	CHECK_RESULT(FPGA_OK, fpgaReadMMIO64(h, 0, 0x120, &value));
	CHECK_U64(UINT64_C(0x4321), value);
	REQUIRE_OK(fpgaClose(h));
}

static void reset_clears_the_afu_registers(void)
{
	fpga_handle h = fixture_open(0);
	uint64_t value = 0;
	REQUIRE_OK(fpgaWriteMMIO64(h, 0, 0x120, 0x1234));
	REQUIRE_OK(fpgaReadMMIO64(h, 0, 0x120, &value));
	CHECK_U64(0x1234, value);
	CHECK_RESULT(FPGA_OK, fpgaReset(h));
	REQUIRE_OK(fpgaReadMMIO64(h, 0, 0x120, &value));
	CHECK_U64(0, value);
	REQUIRE_OK(fpgaClose(h));
}

static void mmio32_halves_of_a_64bit_register(void)
{
	fpga_handle h = fixture_open(0);
	uint32_t low = 0, high = 0;
	REQUIRE_OK(fpgaWriteMMIO64(h, 0, 0x128, UINT64_C(0x1122334455667788)));
	CHECK_RESULT(FPGA_OK, fpgaReadMMIO32(h, 0, 0x128, &low));
	CHECK_RESULT(FPGA_OK, fpgaReadMMIO32(h, 0, 0x12c, &high));
	CHECK_U64(0x55667788, low);
	CHECK_U64(0x11223344, high);
	REQUIRE_OK(fpgaClose(h));
}

static void initialize_and_finalize_are_accepted(void)
{
	CHECK_RESULT(FPGA_OK, fpgaInitialize(NULL));
	CHECK_RESULT(FPGA_OK, fpgaFinalize());
}

static void refuse_a_null_handle(void)
{
	fpgaReset(NULL);
}

static void print_an_error(void)
{
	OPAE_ERR("disk %s is on fire", "sda");
}

static void log_level_1_explains_failures(void)
{
	char *text = capture_stderr(refuse_a_null_handle);
	CHECK(strstr(text, "fpgaReset") != NULL);
	CHECK(strstr(text, "invalid parameter") != NULL);
	free(text);
}

static void default_log_level_is_silent_about_refusals(void)
{
	char *text = capture_stderr(refuse_a_null_handle);
	CHECK(strlen(text) == 0);
	free(text);
}

static void opae_err_always_prints_with_location(void)
{
	char *text = capture_stderr(print_an_error);
	CHECK(strstr(text, "disk sda is on fire") != NULL);
	CHECK(strstr(text, "test_api.c") != NULL);
	CHECK(strstr(text, "print_an_error") != NULL);
	free(text);
}

CHECK_CASES("api",
	    CASE(err_str_texts_match_opae),
	    CASE(version_matches_the_installed_package),
	    CASE(build_string_fits_the_documented_size),
	    CASE(map_mmio_without_pointer_is_ok),
	    CASE(map_mmio_pointer_on_simulator_is_the_register_file),
	    CASE(reset_clears_the_afu_registers),
	    CASE(mmio32_halves_of_a_64bit_register),
	    CASE(initialize_and_finalize_are_accepted),
	    CASE_ENV(log_level_1_explains_failures, "LIBOPAE_LOG=1"),
	    CASE_ENV(default_log_level_is_silent_about_refusals, "LIBOPAE_LOG=0"),
	    CASE_ENV(opae_err_always_prints_with_location, "LIBOPAE_LOG=0"))
