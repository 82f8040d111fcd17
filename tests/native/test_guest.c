/*
 * The library as a guest in a C program (issue #12, classes 3 and 4): the host's signal
 * dispositions stay the host's, a write to a closed stderr never kills it, a forked child's calls
 * on inherited handles neither hang nor touch the parent's device state, and with no descriptor
 * left logging changes no result and close still gives the port back.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture.h"
#include "nlb0.h"

#define BAD_HANDLE ((fpga_handle)(uintptr_t)0x1234)

static volatile sig_atomic_t host_got;

static void host_handler(int signum)
{
	host_got = signum;
}

/* The signals a host may own; the runtime's own (SIGSEGV, SIGFPE, SIGILL, SIGBUS and its thread
 * suspension signal) are documented in docs/semantics.md and not asserted here. */
static const int host_signals[] = { SIGPIPE, SIGINT, SIGQUIT, SIGCONT, SIGCHLD, SIGWINCH, SIGTTOU,
				     SIGTTIN, SIGTSTP, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGALRM };
#define HOST_SIGNALS (sizeof(host_signals) / sizeof(host_signals[0]))

static void signal_dispositions_stay_the_hosts(void)
{
	struct sigaction mine, before[HOST_SIGNALS], after;
	size_t i;

	/* Before the library's runtime starts (the first call starts it). */
	memset(&mine, 0, sizeof(mine));
	mine.sa_handler = host_handler;
	sigaction(SIGINT, &mine, NULL);
	sigaction(SIGCONT, &mine, NULL);
	for (i = 0; i < HOST_SIGNALS; ++i)
		sigaction(host_signals[i], NULL, &before[i]);

	setenv("LIBOPAE_LOG", "1", 1);
	setenv("OPAESHARP_BACKEND", "sim", 1);
	fpga_handle h = fixture_open(0);
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReset(BAD_HANDLE)); /* logs a line */
	REQUIRE_OK(fpgaClose(h));

	for (i = 0; i < HOST_SIGNALS; ++i) {
		sigaction(host_signals[i], NULL, &after);
		if (after.sa_handler != before[i].sa_handler) {
			fprintf(stderr, "signal %d: disposition changed\n", host_signals[i]);
			check_failures++;
		}
	}

	/* The host's handler runs at once, not after a runtime thread passes the signal on. */
	host_got = 0;
	raise(SIGINT);
	CHECK(host_got == SIGINT);
}

static void a_log_line_to_a_closed_stderr_pipe_does_not_kill_the_host(void)
{
	int fds[2], saved;
	signal(SIGPIPE, SIG_DFL);
	setenv("LIBOPAE_LOG", "1", 1);
	CHECK(pipe(fds) == 0);
	close(fds[0]);
	saved = dup(2);
	dup2(fds[1], 2);
	close(fds[1]);

	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReset(BAD_HANDLE));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaClose(BAD_HANDLE));

	dup2(saved, 2);
	close(saved);
}

struct buffers {
	volatile uint64_t *dsm;
	uint8_t *src, *dst;
	uint64_t dsm_io, src_io, dst_io;
	uint64_t wsid[3];
};

static void prepare_three(fpga_handle h, struct buffers *b)
{
	void *p[3] = { NULL, NULL, NULL };
	int i;
	for (i = 0; i < 3; ++i)
		REQUIRE_OK(fpgaPrepareBuffer(h, 64 << 10, &p[i], &b->wsid[i], 0));
	b->dsm = p[0];
	b->src = p[1];
	b->dst = p[2];
	REQUIRE_OK(fpgaGetIOAddress(h, b->wsid[0], &b->dsm_io));
	REQUIRE_OK(fpgaGetIOAddress(h, b->wsid[1], &b->src_io));
	REQUIRE_OK(fpgaGetIOAddress(h, b->wsid[2], &b->dst_io));
}

static int copy_once(fpga_handle h, struct buffers *b, uint8_t fill)
{
	memset(b->src, fill, 64 << 10);
	memset(b->dst, 0, 64 << 10);
	if (nlb0_start(h, b->dsm, b->dsm_io, b->src_io, b->dst_io, (64 << 10) / 64) != FPGA_OK)
		return 0;
	if (nlb0_wait(b->dsm, 10000) != 1)
		return 0;
	nlb0_stop(h);
	return memcmp(b->src, b->dst, 64 << 10) == 0;
}

static void a_forked_child_closes_inherited_handles_without_hanging_or_touching_the_parent(void)
{
	setenv("OPAESHARP_BACKEND", "sim", 1);
	fpga_handle h = fixture_open(0);
	struct buffers b;
	int status = 0;
	pid_t child;

	prepare_three(h, &b);
	CHECK(copy_once(h, &b, 0x11));

	child = fork();
	if (child == 0) {
		void *addr = NULL;
		uint64_t wsid = 0, value = 0;
		int bad = 0;
		alarm(20); /* a hang fails the test instead of stalling it */
		bad |= fpgaPrepareBuffer(h, 4096, &addr, &wsid, 0) != FPGA_INVALID_PARAM;
		bad |= fpgaReadMMIO64(h, 0, 0x8, &value) != FPGA_INVALID_PARAM;
		bad |= fpgaWriteMMIO32(h, 0, NLB0_CTL, 0) != FPGA_INVALID_PARAM;
		bad |= fpgaReleaseBuffer(h, b.wsid[1]) != FPGA_INVALID_PARAM;
		bad |= fpgaClose(h) != FPGA_OK;
		bad |= fpgaClose(h) != FPGA_INVALID_PARAM;
		_exit(bad ? 1 : 0);
	}
	CHECK(child > 0);
	CHECK(waitpid(child, &status, 0) == child);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	/* The parent's handle, buffers, mappings and AFU worker are as they were. */
	CHECK(copy_once(h, &b, 0x22));
	REQUIRE_OK(fpgaClose(h));
}

static int fill_descriptor_table(int *fds, int max)
{
	int n = 0;
	while (n < max) {
		int fd = dup(0);
		if (fd < 0)
			break;
		fds[n++] = fd;
	}
	return n;
}

static void with_no_descriptor_left_logging_changes_no_result_and_close_frees_the_port(void)
{
	static int fds[4096];
	struct rlimit few;
	void *addr = NULL;
	uint64_t wsid = 0;
	int n, i;

	setenv("LIBOPAE_LOG", "1", 1);
	setenv("OPAESHARP_BACKEND", "sim", 1);
	fpga_handle h = fixture_open(0);
	REQUIRE_OK(fpgaPrepareBuffer(h, 4096, &addr, &wsid, 0)); /* left for close, which logs it */

	getrlimit(RLIMIT_NOFILE, &few);
	few.rlim_cur = 256;
	setrlimit(RLIMIT_NOFILE, &few);
	n = fill_descriptor_table(fds, 4096);
	CHECK(n > 0);

	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReleaseBuffer(h, wsid + 1000));
	CHECK_RESULT(FPGA_NOT_FOUND, fpgaGetIOAddress(h, wsid + 1000, &wsid));
	CHECK_RESULT(FPGA_OK, fpgaClose(h));

	for (i = 0; i < n; ++i)
		close(fds[i]);

	/* Released, so it opens exclusively again. */
	h = fixture_open(0);
	REQUIRE_OK(fpgaClose(h));
}

/* Without CAP_IPC_LOCK, so RLIMIT_MEMLOCK applies even to root. */
static void drop_ipc_lock(void)
{
	struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	if (syscall(SYS_capget, &header, data) != 0)
		return;
	data[CAP_IPC_LOCK / 32].effective &= ~(1u << (CAP_IPC_LOCK % 32));
	syscall(SYS_capset, &header, data);
}

static void a_no_memory_message_needs_no_descriptor(void)
{
	static int fds[4096];
	struct rlimit lock = { 64 << 10, 64 << 10 }, few;
	void *addr = NULL;
	uint64_t wsid = 0;
	int n, i;

	setenv("LIBOPAE_LOG", "1", 1);
	setenv("OPAESHARP_BACKEND", "sim", 1);
	fpga_handle h = fixture_open(0);
	drop_ipc_lock();
	CHECK(setrlimit(RLIMIT_MEMLOCK, &lock) == 0);

	getrlimit(RLIMIT_NOFILE, &few);
	few.rlim_cur = 256;
	setrlimit(RLIMIT_NOFILE, &few);
	n = fill_descriptor_table(fds, 4096);

	CHECK_RESULT(FPGA_NO_MEMORY, fpgaPrepareBuffer(h, 1 << 20, &addr, &wsid, 0));

	for (i = 0; i < n; ++i)
		close(fds[i]);
	REQUIRE_OK(fpgaClose(h));
}

/* The largest anonymous reservation the process can still make (to 1 MiB). */
static size_t largest_mapping(void)
{
	size_t lo = 0, hi = (size_t)4 << 30;
	while (hi - lo > (1u << 20)) {
		size_t mid = lo + (hi - lo) / 2;
		void *p = mmap(NULL, mid, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED) {
			hi = mid;
		} else {
			munmap(p, mid);
			lo = mid;
		}
	}
	return lo;
}

static void the_runtime_leaves_the_host_most_of_a_1_GiB_address_space(void)
{
	struct rlimit as = { (rlim_t)1 << 30, (rlim_t)1 << 30 };
	size_t before, after;
	void *addr = NULL;
	uint64_t wsid = 0;

	setenv("OPAESHARP_BACKEND", "sim", 1);
	CHECK(setrlimit(RLIMIT_AS, &as) == 0);
	before = largest_mapping();
	fpga_handle h = fixture_open(0);
	REQUIRE_OK(fpgaPrepareBuffer(h, 4096, &addr, &wsid, 0));
	after = largest_mapping();
	REQUIRE_OK(fpgaClose(h));
	fprintf(stderr, "largest mapping under a 1 GiB RLIMIT_AS: %zu MiB before the library started, %zu MiB after\n",
		before >> 20, after >> 20);

	/* The runtime's defaults reserve half the limit for the managed heap (~415-480 MiB left). */
	CHECK(after >= (size_t)600 << 20);
}

CHECK_CASES("guest",
	    CASE(the_runtime_leaves_the_host_most_of_a_1_GiB_address_space),
	    CASE(signal_dispositions_stay_the_hosts),
	    CASE(a_log_line_to_a_closed_stderr_pipe_does_not_kill_the_host),
	    CASE(a_forked_child_closes_inherited_handles_without_hanging_or_touching_the_parent),
	    CASE(with_no_descriptor_left_logging_changes_no_result_and_close_frees_the_port),
	    CASE(a_no_memory_message_needs_no_descriptor))
