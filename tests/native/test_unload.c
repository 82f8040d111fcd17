/*
 * dlopen/dlclose of libopae-c (issue #12, class 3). Built without linking the library, so dlclose
 * is the last reference: the library must stay loaded (its runtime's threads still run its code),
 * and a second dlopen finds the same, working instance.
 */
#include <dlfcn.h>
#include <time.h>

#include "check.h"

#ifndef OPAE_C_LIBRARY
#error OPAE_C_LIBRARY must name the installed libopae-c.so
#endif

typedef fpga_result (*enumerate_fn)(const fpga_properties *, uint32_t, fpga_token *, uint32_t, uint32_t *);
typedef fpga_result (*token_fn)(fpga_token *);

static int use(void *lib)
{
	enumerate_fn enumerate = (enumerate_fn)(uintptr_t)dlsym(lib, "fpgaEnumerate");
	token_fn destroy = (token_fn)(uintptr_t)dlsym(lib, "fpgaDestroyToken");
	fpga_token token = NULL;
	uint32_t matches = 0;
	if (!enumerate || !destroy || enumerate(NULL, 0, &token, 1, &matches) != FPGA_OK || matches == 0)
		return 0;
	return destroy(&token) == FPGA_OK;
}

static void dlclose_leaves_the_library_loaded_and_usable(void)
{
	struct timespec pause = { 0, 200 * 1000 * 1000 };
	void *lib = dlopen(OPAE_C_LIBRARY, RTLD_NOW | RTLD_LOCAL);
	CHECK(lib != NULL);
	if (!lib)
		return;
	CHECK(use(lib));
	CHECK(dlclose(lib) == 0);

	/* The runtime's threads (finalizer, GC) keep running: give them time to touch their code. */
	nanosleep(&pause, NULL);
	CHECK(dlopen(OPAE_C_LIBRARY, RTLD_NOW | RTLD_NOLOAD) != NULL);

	lib = dlopen(OPAE_C_LIBRARY, RTLD_NOW | RTLD_LOCAL);
	CHECK(lib != NULL && use(lib));
}

CHECK_CASES("unload", CASE_ENV(dlclose_leaves_the_library_loaded_and_usable, "OPAESHARP_BACKEND=sim"))
