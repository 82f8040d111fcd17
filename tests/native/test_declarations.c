/*
 * Every function of OPAE 2.x's libopae-c headers is declared by <opae/fpga.h> with OPAE's exact
 * type (opae_functions.h). The checks are _Generic selections on each function's address, which
 * C never evaluates: the program names every function but calls and references none, so it
 * builds and runs before the library exports them all.
 */
#include "check.h"
#include "opae_functions.h"

#define DECLARED_AS(header, ret, name, params)                                   \
	_Static_assert(_Generic(&name, ret (*) params: 1, default: 0),           \
		       "opae/" #header ".h declares " #name " as " #ret " " #name #params);

OPAE_FUNCTIONS(DECLARED_AS)

#define ONE(header, ret, name, params) +1
_Static_assert(0 OPAE_FUNCTIONS(ONE) == OPAE_FUNCTION_COUNT, "OPAE_FUNCTIONS has them all");

/* Names every function in an unevaluated context: compiles, links nothing. */
static void every_function_is_declared(void)
{
	size_t named = 0;
#define NAME(header, ret, name, params) named += sizeof(&name) == sizeof(void (*)(void));
	OPAE_FUNCTIONS(NAME)
#undef NAME
	CHECK(named == OPAE_FUNCTION_COUNT);
}

CHECK_CASES("declarations",
	    CASE(every_function_is_declared))
