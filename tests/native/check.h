/*
 * A very small test harness for the C tests. Each test program holds a table of named cases;
 * `prog CASE` runs one, `prog --ctest PROG` prints the add_test() lines CTest includes (so every
 * case is its own CTest test, counted by tests/native/run.sh). A failed CHECK prints where and
 * why and fails the case; exit code 77 means skipped (it must say why).
 */
#ifndef OPAESHARP_TESTS_CHECK_H
#define OPAESHARP_TESTS_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <opae/fpga.h>

#define CHECK_SKIP 77

typedef void (*check_case_fn)(void);

struct check_case {
	const char *name;
	check_case_fn run;
	const char *environment; /* "NAME=value" CTest sets for this case, or NULL */
};

static int check_failures;

#define CHECK(cond)                                                              \
	do {                                                                     \
		if (!(cond)) {                                                   \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__,   \
				__LINE__, #cond);                                \
			check_failures++;                                        \
		}                                                                \
	} while (0)

/* Compares two fpga_result values and prints both by name when they differ. */
#define CHECK_RESULT(expected, actual)                                           \
	do {                                                                     \
		fpga_result check_e_ = (expected), check_a_ = (actual);          \
		if (check_e_ != check_a_) {                                      \
			fprintf(stderr, "%s:%d: %s: expected %d (%s), got %d (%s)\n", \
				__FILE__, __LINE__, #actual, (int)check_e_,      \
				fpgaErrStr(check_e_), (int)check_a_,             \
				fpgaErrStr(check_a_));                           \
			check_failures++;                                        \
		}                                                                \
	} while (0)

#define CHECK_U64(expected, actual)                                              \
	do {                                                                     \
		uint64_t check_e_ = (uint64_t)(expected), check_a_ = (uint64_t)(actual); \
		if (check_e_ != check_a_) {                                      \
			fprintf(stderr, "%s:%d: %s: expected 0x%" PRIx64 ", got 0x%" PRIx64 "\n", \
				__FILE__, __LINE__, #actual, check_e_, check_a_); \
			check_failures++;                                        \
		}                                                                \
	} while (0)

/* Stops the case when a precondition fails (later checks would only add noise). */
#define REQUIRE_OK(call)                                                         \
	do {                                                                     \
		fpga_result check_r_ = (call);                                   \
		if (check_r_ != FPGA_OK) {                                       \
			fprintf(stderr, "%s:%d: %s failed: %s\n", __FILE__,      \
				__LINE__, #call, fpgaErrStr(check_r_));          \
			exit(1);                                                 \
		}                                                                \
	} while (0)

static inline int check_main(int argc, char **argv, const char *suite,
			     const struct check_case *cases, size_t count)
{
	size_t i;

	if (argc == 3 && strcmp(argv[1], "--ctest") == 0) {
		for (i = 0; i < count; ++i) {
			printf("add_test([=[%s.%s]=] [=[%s]=] [=[%s]=])\n"
			       "set_tests_properties([=[%s.%s]=] PROPERTIES SKIP_RETURN_CODE %d)\n",
			       suite, cases[i].name, argv[2], cases[i].name,
			       suite, cases[i].name, CHECK_SKIP);
			if (cases[i].environment)
				printf("set_tests_properties([=[%s.%s]=] PROPERTIES ENVIRONMENT [=[%s]=])\n",
				       suite, cases[i].name, cases[i].environment);
		}
		return 0;
	}

	if (argc != 2) {
		fprintf(stderr, "usage: %s CASE | --ctest PATH\n", argv[0]);
		return 2;
	}

	for (i = 0; i < count; ++i) {
		if (strcmp(argv[1], cases[i].name) == 0) {
			cases[i].run();
			if (check_failures)
				fprintf(stderr, "%s.%s: %d check(s) failed\n", suite,
					cases[i].name, check_failures);
			return check_failures ? 1 : 0;
		}
	}

	fprintf(stderr, "%s: no case named %s\n", suite, argv[1]);
	return 2;
}

#define CHECK_CASES(suite, ...)                                                  \
	int main(int argc, char **argv)                                          \
	{                                                                        \
		static const struct check_case cases[] = { __VA_ARGS__ };        \
		return check_main(argc, argv, suite, cases,                      \
				  sizeof(cases) / sizeof(cases[0]));             \
	}

#define CASE(fn) { #fn, fn, NULL }
#define CASE_ENV(fn, environment) { #fn, fn, environment }

#endif /* OPAESHARP_TESTS_CHECK_H */
