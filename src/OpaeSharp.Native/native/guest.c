/*
 * The library as a guest in someone else's process: what the C half does so that loading and
 * using libopae-c changes nothing the host owns.
 *
 *  - Signal dispositions. The .NET runtime ignores SIGPIPE when it starts (so writes to a closed
 *    pipe return EPIPE); in a host that is the host's decision, not ours. The link wraps the
 *    runtime's calls to signal() (-Wl,--wrap=signal) and drops exactly that one; our own writes
 *    to stderr block SIGPIPE around the write instead (opaesharp_stderr_write).
 *  - fork(). A child inherits the parent's handles but none of its threads and must not unmap the
 *    parent's DMA mappings; the flag opaesharp_fork_flag() points at tells the exports cheaply
 *    that a fork happened, and they then ask who owns each handle.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <time.h>
#include <unistd.h>

sighandler_t __real_signal(int signum, sighandler_t handler);
sighandler_t __wrap_signal(int signum, sighandler_t handler);
int opaesharp_stderr_write(const char *text, size_t length);
volatile int *opaesharp_fork_flag(void);

/* sig_atomic_t is int on Linux; the managed side reads it through the pointer. */
static volatile int forked;

static void on_fork_child(void)
{
	forked = 1;
}

__attribute__((constructor)) static void opaesharp_guest_init(void)
{
	pthread_atfork(NULL, NULL, on_fork_child);
}

/* Only the runtime's objects call signal() through this (the link wraps their references, not the
 * host's): the one call it makes is signal(SIGPIPE, SIG_IGN) at start-up. */
sighandler_t __wrap_signal(int signum, sighandler_t handler)
{
	if (signum == SIGPIPE && handler == SIG_IGN) {
		struct sigaction current;
		if (sigaction(SIGPIPE, NULL, &current) != 0)
			return SIG_ERR;
		return current.sa_handler;
	}
	return __real_signal(signum, handler);
}

volatile int *opaesharp_fork_flag(void)
{
	return &forked;
}

/* write(2) of the whole text to fd 2, never raising SIGPIPE in the host (stderr may be a closed
 * pipe): SIGPIPE is blocked on this thread for the write, and one it raised is consumed. Needs no
 * new descriptor and no memory. Returns 0, or -1 when the text could not be written. */
int opaesharp_stderr_write(const char *text, size_t length)
{
	sigset_t pipe_only, old, pending;
	int saved_errno = errno, result = 0, was_pending;
	size_t done = 0;

	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	sigpending(&pending);
	was_pending = sigismember(&pending, SIGPIPE);
	if (pthread_sigmask(SIG_BLOCK, &pipe_only, &old) != 0)
		return -1;

	while (done < length) {
		ssize_t n = write(2, text + done, length - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			result = -1;
			if (n < 0 && errno == EPIPE && !was_pending) {
				/* The SIGPIPE this write raised is ours: take it off the thread. */
				struct timespec none = { 0, 0 };
				while (sigtimedwait(&pipe_only, NULL, &none) < 0 && errno == EINTR)
					;
			}
			break;
		}
		done += (size_t)n;
	}

	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = saved_errno;
	return result;
}
