/*
 * Sysobjects (opae/sysobject.h) and error registers (opae/error.h) over the simulated card's
 * DFL-shaped attribute tree: names, globs, containers, SYNC/RAW, writes through handles only,
 * and every argument check.
 */
#include "fixture.h"

static fpga_object object_of(fpga_token token, const char *name, int flags)
{
	fpga_object obj = NULL;
	REQUIRE_OK(fpgaTokenGetObject(token, name, &obj, flags));
	return obj;
}

static void an_attribute_reads_what_the_properties_report(void)
{
	fpga_token fme = fixture_token(FPGA_DEVICE, NULL);
	fpga_properties prop = NULL;
	uint64_t bbs = 0, value = 0;
	enum fpga_sysobject_type type;
	fpga_object obj = object_of(fme, "bitstream_id", 0);
	REQUIRE_OK(fpgaGetProperties(fme, &prop));
	REQUIRE_OK(fpgaPropertiesGetBBSID(prop, &bbs));
	CHECK_RESULT(FPGA_OK, fpgaObjectRead64(obj, &value, 0));
	CHECK_U64(bbs, value);
	CHECK_RESULT(FPGA_OK, fpgaObjectGetType(obj, &type));
	CHECK(type == FPGA_OBJECT_ATTRIBUTE);
	CHECK_RESULT(FPGA_OK, fpgaDestroyObject(&obj));
	CHECK(obj == NULL);
	REQUIRE_OK(fpgaDestroyProperties(&prop));
	REQUIRE_OK(fpgaDestroyToken(&fme));
}

static void read_copies_the_text_and_size_counts_its_newline(void)
{
	fpga_token fme = fixture_token(FPGA_DEVICE, NULL);
	fpga_object obj = object_of(fme, "ports_num", 0);
	uint32_t size = 0;
	char text[8] = { 0 };
	CHECK_RESULT(FPGA_OK, fpgaObjectGetSize(obj, &size, FPGA_OBJECT_SYNC));
	CHECK_U64(2, size);
	CHECK_RESULT(FPGA_OK, fpgaObjectRead(obj, (uint8_t *)text, 0, size, 0));
	CHECK(strcmp(text, "1\n") == 0);
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaObjectRead(obj, (uint8_t *)text, 1, size, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaObjectRead(obj, NULL, 0, 1, 0));
	REQUIRE_OK(fpgaDestroyObject(&obj));
	REQUIRE_OK(fpgaDestroyToken(&fme));
}

static void a_glob_of_several_matches_is_a_container_of_them(void)
{
	fpga_token fme = fixture_token(FPGA_DEVICE, NULL);
	fpga_object group = object_of(fme, "errors/pcie*_errors", FPGA_OBJECT_GLOB);
	fpga_object child = NULL;
	enum fpga_sysobject_type type;
	uint32_t count = 0;
	uint64_t value = 1;
	CHECK_RESULT(FPGA_OK, fpgaObjectGetType(group, &type));
	CHECK(type == FPGA_OBJECT_CONTAINER);
	CHECK_RESULT(FPGA_OK, fpgaObjectGetSize(group, &count, 0));
	CHECK_U64(2, count);
	CHECK_RESULT(FPGA_OK, fpgaObjectGetObjectAt(group, 1, &child));
	CHECK_RESULT(FPGA_OK, fpgaObjectRead64(child, &value, FPGA_OBJECT_SYNC));
	CHECK_U64(0, value);
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaObjectGetObjectAt(group, 2, &child));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaObjectRead64(group, &value, 0));
	REQUIRE_OK(fpgaDestroyObject(&child));
	REQUIRE_OK(fpgaDestroyObject(&group));
	REQUIRE_OK(fpgaDestroyToken(&fme));
}

static void a_directory_is_a_container_its_names_are_relative_to(void)
{
	fpga_token fme = fixture_token(FPGA_DEVICE, NULL);
	fpga_object errors = object_of(fme, "errors", 0);
	fpga_object recursed = object_of(fme, "errors", FPGA_OBJECT_RECURSE_ONE);
	fpga_object pcie0 = NULL, clock = NULL;
	uint32_t count = 1;
	uint64_t value = 1;
	CHECK_RESULT(FPGA_OK, fpgaObjectGetSize(errors, &count, 0));
	CHECK_U64(0, count);
	CHECK_RESULT(FPGA_OK, fpgaObjectGetSize(recursed, &count, 0));
	CHECK_U64(8, count);
	CHECK_RESULT(FPGA_OK, fpgaObjectGetObject(errors, "pcie0_errors", &pcie0, 0));
	CHECK_RESULT(FPGA_OK, fpgaObjectRead64(pcie0, &value, 0));
	CHECK_U64(0, value);
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaObjectGetObject(pcie0, "x", &clock, 0));
	/* object_api's names: the FME's perf clock and fabric counters. */
	CHECK_RESULT(FPGA_OK, fpgaTokenGetObject(fme, "*perf/clock", &clock, FPGA_OBJECT_GLOB));
	CHECK_RESULT(FPGA_OK, fpgaObjectRead64(clock, &value, FPGA_OBJECT_SYNC));
	CHECK(value > 0);
	REQUIRE_OK(fpgaDestroyObject(&clock));
	REQUIRE_OK(fpgaDestroyObject(&pcie0));
	REQUIRE_OK(fpgaDestroyObject(&recursed));
	REQUIRE_OK(fpgaDestroyObject(&errors));
	REQUIRE_OK(fpgaDestroyToken(&fme));
}

static void names_leaving_the_object_or_missing_are_refused(void)
{
	fpga_token fme = fixture_token(FPGA_DEVICE, NULL);
	fpga_object obj = NULL;
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaTokenGetObject(fme, "../dfl-port.0/afu_id", &obj, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaTokenGetObject(fme, "/etc/passwd", &obj, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaTokenGetObject(fme, ".hidden", &obj, 0));
	CHECK_RESULT(FPGA_NOT_FOUND, fpgaTokenGetObject(fme, "no_such_attribute", &obj, 0));
	CHECK_RESULT(FPGA_NOT_FOUND, fpgaTokenGetObject(fme, "nothing*", &obj, FPGA_OBJECT_GLOB));
	CHECK(obj == NULL);
	REQUIRE_OK(fpgaDestroyToken(&fme));
}

static void bad_arguments_are_invalid_param(void)
{
	fpga_token fme = fixture_token(FPGA_DEVICE, NULL);
	fpga_object obj = NULL;
	fpga_object made_up = (fpga_object)(uintptr_t)0x506f00000000dead;
	uint64_t value;
	uint32_t size;
	enum fpga_sysobject_type type;
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaTokenGetObject(NULL, "bitstream_id", &obj, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaTokenGetObject(fme, NULL, &obj, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaTokenGetObject(fme, "bitstream_id", NULL, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaTokenGetObject(fme, "bitstream_id", &obj, 1 << 9));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaHandleGetObject(NULL, "bitstream_id", &obj, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaObjectRead64(made_up, &value, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaObjectGetSize(made_up, &size, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaObjectGetType(made_up, &type));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaObjectWrite64(made_up, 0, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaDestroyObject(&made_up));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaDestroyObject(NULL));
	obj = object_of(fme, "bitstream_id", 0);
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaObjectRead64(obj, NULL, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaObjectGetSize(obj, NULL, 0));
	REQUIRE_OK(fpgaDestroyObject(&obj));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaObjectRead64(obj, &value, 0));
	REQUIRE_OK(fpgaDestroyToken(&fme));
}

/* hello_events' injection: fpgaHandleGetObject + fpgaObjectWrite64 on the FME's inject_errors. */
static void writing_through_a_handle_injects_an_fme_error(void)
{
	fpga_token fme = fixture_token(FPGA_DEVICE, NULL);
	fpga_handle h = NULL;
	fpga_object obj = NULL, token_obj = NULL;
	uint64_t value = 0;
	REQUIRE_OK(fpgaOpen(fme, &h, FPGA_OPEN_SHARED));
	REQUIRE_OK(fpgaHandleGetObject(h, "errors/inject_errors", &obj, 0));
	CHECK_RESULT(FPGA_OK, fpgaObjectWrite64(obj, 0x1, 0));
	token_obj = object_of(fme, "errors/inject_errors", 0);
	CHECK_RESULT(FPGA_OK, fpgaObjectRead64(token_obj, &value, 0));
	CHECK_U64(0x1, value);
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaObjectWrite64(token_obj, 0, 0));
	CHECK_RESULT(FPGA_EXCEPTION, fpgaObjectWrite64(obj, 0x10, 0));
	CHECK_RESULT(FPGA_OK, fpgaObjectWrite64(obj, 0, 0));
	REQUIRE_OK(fpgaClose(h));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaObjectWrite64(obj, 0x1, 0));
	REQUIRE_OK(fpgaDestroyObject(&token_obj));
	REQUIRE_OK(fpgaDestroyObject(&obj));
	REQUIRE_OK(fpgaDestroyToken(&fme));
}

static int find_error(fpga_token token, const char *name, struct fpga_error_info *info)
{
	uint32_t i;
	for (i = 0; i < 64; ++i) {
		if (fpgaGetErrorInfo(token, i, info) != FPGA_OK)
			return -1;
		if (strcmp(info->name, name) == 0)
			return (int)i;
	}
	return -1;
}

static void error_registers_are_numbered_named_and_read(void)
{
	fpga_token fme = fixture_token(FPGA_DEVICE, NULL);
	fpga_properties prop = NULL;
	struct fpga_error_info info;
	uint32_t count = 0;
	uint64_t value = 1;
	int pcie0;
	REQUIRE_OK(fpgaGetProperties(fme, &prop));
	REQUIRE_OK(fpgaPropertiesGetNumErrors(prop, &count));
	CHECK_U64(8, count);
	pcie0 = find_error(fme, "pcie0_errors", &info);
	CHECK(pcie0 >= 0);
	CHECK(info.can_clear);
	CHECK_RESULT(FPGA_OK, fpgaReadError(fme, (uint32_t)pcie0, &value));
	CHECK_U64(0, value);
	CHECK(find_error(fme, "catfatal_errors", &info) >= 0);
	CHECK(!info.can_clear);
	CHECK_RESULT(FPGA_NOT_FOUND, fpgaReadError(fme, count, &value));
	CHECK_RESULT(FPGA_NOT_FOUND, fpgaGetErrorInfo(fme, count, &info));
	CHECK_RESULT(FPGA_NOT_FOUND, fpgaClearError(fme, count));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReadError(fme, 0, NULL));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaGetErrorInfo(fme, 0, NULL));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReadError(NULL, 0, &value));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaClearAllErrors(NULL));
	REQUIRE_OK(fpgaDestroyProperties(&prop));
	REQUIRE_OK(fpgaDestroyToken(&fme));
}

static void clearing_clears_what_can_be_and_refuses_the_rest(void)
{
	fpga_token fme = fixture_token(FPGA_DEVICE, NULL);
	fpga_token port = fixture_token(FPGA_ACCELERATOR, NLB0_AFU_ID);
	struct fpga_error_info info;
	int catfatal = find_error(fme, "catfatal_errors", &info);
	int errors = find_error(port, "errors", &info);
	CHECK(catfatal >= 0 && errors >= 0);
	CHECK(info.can_clear);
	CHECK_RESULT(FPGA_NOT_SUPPORTED, fpgaClearError(fme, (uint32_t)catfatal));
	CHECK_RESULT(FPGA_OK, fpgaClearError(port, (uint32_t)errors));
	CHECK_RESULT(FPGA_OK, fpgaClearAllErrors(fme));
	CHECK_RESULT(FPGA_OK, fpgaClearAllErrors(port));
	REQUIRE_OK(fpgaDestroyToken(&port));
	REQUIRE_OK(fpgaDestroyToken(&fme));
}

CHECK_CASES("sysobject",
	    CASE(an_attribute_reads_what_the_properties_report),
	    CASE(read_copies_the_text_and_size_counts_its_newline),
	    CASE(a_glob_of_several_matches_is_a_container_of_them),
	    CASE(a_directory_is_a_container_its_names_are_relative_to),
	    CASE(names_leaving_the_object_or_missing_are_refused),
	    CASE(bad_arguments_are_invalid_param),
	    CASE(writing_through_a_handle_injects_an_fme_error),
	    CASE(error_registers_are_numbered_named_and_read),
	    CASE(clearing_clears_what_can_be_and_refuses_the_rest))
