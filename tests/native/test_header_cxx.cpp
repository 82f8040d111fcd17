// <opae/fpga.h> from C++ (-Wall -Wextra -Werror): extern "C" linkage, and the API usable from a
// C++ program the way OPAE's C++ users call it.
#include <opae/fpga.h>

#include "opae_functions.h"

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>

static_assert(sizeof(fpga_result) == 4, "fpga_result is a C enum");
static_assert(sizeof(fpga_guid) == 16, "fpga_guid is 16 bytes");
static_assert(std::is_same<fpga_handle, void *>::value, "handles are opaque pointers");
static_assert(FPGA_RECONF_ERROR == 10, "result codes match OPAE");
static_assert(sizeof(fpga_metric_info) == 1056 && sizeof(metric_threshold) == 2160,
	      "metric structures have OPAE's layout in C++ too");
static_assert(sizeof(fpga_token_header) == 64 && sizeof(fpga_error_info) == 65,
	      "token header and error info have OPAE's layout in C++ too");
static_assert(std::is_same<decltype(fpga_metric::value), metric_value>::value,
	      "fpga_metric holds a metric_value");

// Every function of OPAE's libopae-c headers, with OPAE's exact type (opae_functions.h): C++ has
// no implicit conversion between function pointer types, so the static_cast only compiles for the
// very type. sizeof does not evaluate its operand, so none of them is referenced.
#define DECLARED_AS(header, ret, name, params)                                    \
	static_assert(sizeof(static_cast<ret (*) params>(&name)) == sizeof(void (*)()), \
		      "opae/" #header ".h declares " #name " as " #ret " " #name #params);
OPAE_FUNCTIONS(DECLARED_AS)
#undef DECLARED_AS

namespace {

int failures = 0;

void expect(bool ok, const char *what)
{
	if (!ok) {
		std::fprintf(stderr, "CHECK failed: %s\n", what);
		++failures;
	}
}

// RAII around a properties object, as a C++ wrapper would do it.
struct properties_deleter {
	void operator()(fpga_properties *p) const
	{
		fpgaDestroyProperties(p);
		delete p;
	}
};

void enumerate_from_cxx()
{
	std::unique_ptr<fpga_properties, properties_deleter> filter(new fpga_properties(nullptr));
	expect(fpgaGetProperties(nullptr, filter.get()) == FPGA_OK, "fpgaGetProperties");
	expect(fpgaPropertiesSetObjectType(*filter, FPGA_ACCELERATOR) == FPGA_OK, "set object type");
	fpga_token token = nullptr;
	uint32_t matches = 0;
	expect(fpgaEnumerate(filter.get(), 1, &token, 1, &matches) == FPGA_OK && matches >= 1, "enumerate");
	fpga_handle handle = nullptr;
	expect(fpgaOpen(token, &handle, FPGA_OPEN_SHARED) == FPGA_OK, "open");
	void *buffer = nullptr;
	uint64_t wsid = 0;
	expect(fpgaPrepareBuffer(handle, 4096, &buffer, &wsid, 0) == FPGA_OK, "prepare");
	expect(fpgaReleaseBuffer(handle, wsid) == FPGA_OK, "release");
	expect(fpgaClose(handle) == FPGA_OK, "close");
	expect(fpgaDestroyToken(&token) == FPGA_OK, "destroy token");
}

void err_str_from_cxx()
{
	expect(std::string(fpgaErrStr(FPGA_NOT_FOUND)) == "not found", "fpgaErrStr");
}

} // namespace

int main(int argc, char **argv)
{
	if (argc == 3 && std::strcmp(argv[1], "--ctest") == 0) {
		std::printf("add_test([=[header_cxx.enumerate_from_cxx]=] [=[%s]=] enumerate_from_cxx)\n", argv[2]);
		std::printf("add_test([=[header_cxx.err_str_from_cxx]=] [=[%s]=] err_str_from_cxx)\n", argv[2]);
		return 0;
	}
	if (argc == 2 && std::strcmp(argv[1], "enumerate_from_cxx") == 0)
		enumerate_from_cxx();
	else if (argc == 2 && std::strcmp(argv[1], "err_str_from_cxx") == 0)
		err_str_from_cxx();
	else
		return 2;
	return failures ? 1 : 0;
}
