/*
 * <opae/fpga.h> in strict C99 (no GNU extensions) with -Wall -Wextra -pedantic -Werror: the headers are
 * self-contained and warning-free, and the ABI's numbers are what OPAE's are.
 */
#include <opae/fpga.h>

#include "check.h"

/* Compile-time checks, C99 style: a negative array size fails the build. */
typedef char check_result_size[sizeof(fpga_result) == 4 ? 1 : -1];
typedef char check_guid_size[sizeof(fpga_guid) == 16 ? 1 : -1];
typedef char check_version_size[sizeof(fpga_version) == 4 ? 1 : -1];
typedef char check_handle_size[sizeof(fpga_handle) == sizeof(void *) ? 1 : -1];
typedef char check_metric_size[sizeof(fpga_metric) == 24 ? 1 : -1];
typedef char check_metric_info_size[sizeof(fpga_metric_info) == 1056 ? 1 : -1];
typedef char check_threshold_size[sizeof(metric_threshold) == 2160 ? 1 : -1];
typedef char check_error_info_size[sizeof(struct fpga_error_info) == 65 ? 1 : -1];

static void numeric_values_match_opae(void)
{
	CHECK(FPGA_OK == 0 && FPGA_INVALID_PARAM == 1 && FPGA_BUSY == 2 && FPGA_EXCEPTION == 3);
	CHECK(FPGA_NOT_FOUND == 4 && FPGA_NO_MEMORY == 5 && FPGA_NOT_SUPPORTED == 6);
	CHECK(FPGA_NO_DRIVER == 7 && FPGA_NO_DAEMON == 8 && FPGA_NO_ACCESS == 9 && FPGA_RECONF_ERROR == 10);
	CHECK(FPGA_BUF_PREALLOCATED == 1 && FPGA_BUF_QUIET == 2 && FPGA_BUF_READ_ONLY == 4);
	CHECK(FPGA_OPEN_SHARED == 1 && FPGA_DEVICE == 0 && FPGA_ACCELERATOR == 1);
	CHECK(OPAE_LOG_ERROR == 0 && OPAE_LOG_MESSAGE == 1 && OPAE_LOG_DEBUG == 2);
	CHECK(FPGA_OBJECT_SYNC == 1 && FPGA_OBJECT_RECURSE_ALL == 16 && FPGA_OBJECT_ATTRIBUTE == 2);
	CHECK(FPGA_METRIC_TYPE_UNKNOWN == 4 && FPGA_METRIC_DATATYPE_BOOL == 3);
	CHECK(FPGA_EVENT_POWER_THERMAL == 2 && FPGA_ACCELERATOR_UNASSIGNED == 1);
	CHECK(FPGA_IFC_UIO == 4 && FPGA_OPEN_HAS_PARENT_AFU == 2 && FPGA_RECONF_SKIP_USRCLK == 2);
}

static void c99_program_links_and_calls(void)
{
	uint32_t matches = 0;
	CHECK_RESULT(FPGA_OK, fpgaEnumerate(NULL, 0, NULL, 0, &matches));
	CHECK(matches > 0);
}

static void check_typedefs_used(void)
{
	check_result_size a;
	check_guid_size b;
	check_version_size c;
	check_handle_size d;
	check_metric_size e;
	check_metric_info_size f;
	check_threshold_size g;
	check_error_info_size h;
	(void)a; (void)b; (void)c; (void)d; (void)e; (void)f; (void)g; (void)h;
	CHECK(sizeof(a) == 1);
}

CHECK_CASES("header_c99",
	    CASE(numeric_values_match_opae),
	    CASE(c99_program_links_and_calls),
	    CASE(check_typedefs_used))
