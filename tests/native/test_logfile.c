/*
 * LIBOPAE_LOGFILE: the library logs to the file it names (opened once when the library starts,
 * appended to), errors stay on stderr too, OPAE's path rule applies (relative, or under /tmp/), a
 * file that cannot be opened leaves logging on stderr, and a failing write changes no result.
 * Each case is its own process (CTest), so the library starts inside the case, after the case has
 * prepared the file and the environment.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>

#include "capture.h"
#include "fixture.h"

/* The whole file, or an empty string when it does not exist (caller frees). */
static char *read_file(const char *path)
{
	char *text = calloc(1, 65536);
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? 0 : read(fd, text, 65535);
	if (fd >= 0)
		close(fd);
	text[n < 0 ? 0 : n] = '\0';
	return text;
}

static fpga_result last_result;

/* A refusal (an OPAE "message": LIBOPAE_LOG=1 explains it) and an error (always printed). */
static void refuse_then_fail(void)
{
	last_result = fpgaReset(NULL);
	OPAE_ERR("disk %s is on fire", "sda");
}

static void messages_go_to_the_file_and_errors_also_to_stderr(void)
{
	const char *path = "logfile-messages.log";
	char *err, *log;
	unlink(path);

	err = capture_stderr(refuse_then_fail);
	log = read_file(path);

	CHECK_RESULT(FPGA_INVALID_PARAM, last_result);
	CHECK(strstr(log, "libopae-c : fpgaReset") != NULL);
	CHECK(strstr(log, "invalid parameter") != NULL);
	CHECK(strstr(log, "disk sda is on fire") != NULL);
	CHECK(strstr(err, "disk sda is on fire") != NULL);
	CHECK(strstr(err, "fpgaReset") == NULL);
	free(err);
	free(log);
	unlink(path);
}

static void the_file_is_appended_to(void)
{
	const char *path = "logfile-append.log";
	const char *earlier = "a line from an earlier run\n";
	FILE *f = fopen(path, "w");
	char *log;
	REQUIRE_OK(f ? FPGA_OK : FPGA_EXCEPTION);
	fputs(earlier, f);
	fclose(f);

	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReset(NULL));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaClose(NULL));

	log = read_file(path);
	CHECK(strncmp(log, earlier, strlen(earlier)) == 0);
	CHECK(strstr(log, "fpgaReset") != NULL);
	CHECK(strstr(log, "fpgaClose") != NULL);
	CHECK(strstr(log, "fpgaReset") < strstr(log, "fpgaClose"));
	free(log);
	unlink(path);
}

static void refuse_a_null_handle(void)
{
	last_result = fpgaReset(NULL);
}

static void a_file_that_cannot_be_opened_leaves_logging_on_stderr(void)
{
	char *err = capture_stderr(refuse_a_null_handle);

	CHECK_RESULT(FPGA_INVALID_PARAM, last_result);
	CHECK(strstr(err, "could not open LIBOPAE_LOGFILE=no-such-directory/opae.log") != NULL);
	CHECK(strstr(err, "libopae-c : fpgaReset") != NULL);
	free(err);
}

/* OPAE accepts absolute paths only under /tmp/; this one names the working directory another way. */
static void an_absolute_path_outside_tmp_is_refused(void)
{
	char *err = capture_stderr(refuse_a_null_handle);

	CHECK_RESULT(FPGA_INVALID_PARAM, last_result);
	CHECK(strstr(err, "LIBOPAE_LOGFILE=/proc/self/cwd/logfile-refused.log ignored") != NULL);
	CHECK(strstr(err, "libopae-c : fpgaReset") != NULL);
	CHECK(access("logfile-refused.log", F_OK) != 0);
	free(err);
}

static void an_absolute_path_under_tmp_is_accepted(void)
{
	char path[64], *log;
	snprintf(path, sizeof(path), "/tmp/opaesharp-logfile-%ld.log", (long)getpid());
	unlink(path);
	/* Read when the library starts, which is at its first call below. */
	setenv("LIBOPAE_LOG", "1", 1);
	setenv("LIBOPAE_LOGFILE", path, 1);

	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReset(NULL));

	log = read_file(path);
	CHECK(strstr(log, "fpgaReset") != NULL);
	free(log);
	unlink(path);
}

/* Everything a program does with a buffer, and an error of its own. */
static void prepare_use_release(void)
{
	fpga_handle h;
	uint64_t wsid = 0, iova = 0;
	void *buf = NULL;

	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReset(NULL));
	h = fixture_open(0);
	CHECK_RESULT(FPGA_OK, fpgaPrepareBuffer(h, 4096, &buf, &wsid, 0));
	CHECK_RESULT(FPGA_OK, fpgaGetIOAddress(h, wsid, &iova));
	CHECK_RESULT(FPGA_NOT_FOUND, fpgaGetIOAddress(h, wsid + 1000, &iova));
	CHECK_RESULT(FPGA_OK, fpgaReleaseBuffer(h, wsid));
	CHECK_RESULT(FPGA_OK, fpgaClose(h));
	OPAE_ERR("still %s", "reported");
}

/*
 * A relative path to /dev/full: it opens, and every write fails with ENOSPC. Results are those of
 * a run without logging, nothing crashes, and errors still reach stderr.
 */
static void failing_writes_change_no_result(void)
{
	char *err = capture_stderr(prepare_use_release);

	CHECK(strstr(err, "still reported") != NULL);
	/* The file did open: no complaint about it, and the refusals went to it (and were lost). */
	CHECK(strstr(err, "LIBOPAE_LOGFILE") == NULL);
	CHECK(strstr(err, "fpgaReset") == NULL);
	free(err);
}

CHECK_CASES("logfile",
	    CASE_ENV(messages_go_to_the_file_and_errors_also_to_stderr, "LIBOPAE_LOG=1;LIBOPAE_LOGFILE=logfile-messages.log"),
	    CASE_ENV(the_file_is_appended_to, "LIBOPAE_LOG=1;LIBOPAE_LOGFILE=logfile-append.log"),
	    CASE_ENV(a_file_that_cannot_be_opened_leaves_logging_on_stderr, "LIBOPAE_LOG=1;LIBOPAE_LOGFILE=no-such-directory/opae.log"),
	    CASE_ENV(an_absolute_path_outside_tmp_is_refused, "LIBOPAE_LOG=1;LIBOPAE_LOGFILE=/proc/self/cwd/logfile-refused.log"),
	    CASE(an_absolute_path_under_tmp_is_accepted),
	    CASE_ENV(failing_writes_change_no_result, "LIBOPAE_LOG=2;LIBOPAE_LOGFILE=../../../../../../../../../../../../../../../../dev/full"))
