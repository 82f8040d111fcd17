using System.Runtime.CompilerServices;
using OpaeSharp.Interop;

namespace OpaeSharp.Events;

/// <summary>
/// Waits for eventfds to become readable without holding a thread per wait: one background thread
/// per kernel seam blocks in <c>epoll_wait</c> with no timeout while any wait is pending, and
/// completes the waits' tasks when the kernel reports their descriptors ready (continuations run on
/// the thread pool, never on the poller). The thread exits when the last wait ends or is cancelled,
/// so an idle process has none; it never spins.
/// </summary>
/// <remarks>Thread-safe. The lock guards the table of waits; <c>epoll_wait</c> runs outside it.</remarks>
internal sealed class EventPoller
{
    private const ulong WakeCookie = 0;
    private static readonly ConditionalWeakTable<IKernel, EventPoller> s_pollers = [];

    private readonly IKernel _kernel;
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, Waiter> _waiters = [];
    private SafeFileDescriptor? _epoll;
    private SafeFileDescriptor? _wake;
    private ulong _nextCookie = WakeCookie;
    private bool _running;

    private EventPoller(IKernel kernel) => _kernel = kernel;

    /// <summary>Waits currently pending (for tests).</summary>
    internal int Pending
    {
        get
        {
            lock (_lock)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>True while the poller thread exists (for tests: none when idle).</summary>
    internal bool IsRunning
    {
        get
        {
            lock (_lock)
            {
                return _running;
            }
        }
    }

    internal static EventPoller For(IKernel kernel) => s_pollers.GetValue(kernel, k => new EventPoller(k));

    /// <summary>
    /// A task that completes when <paramref name="fd"/> is readable (or has hung up), or is cancelled
    /// by <paramref name="cancellation"/>. One wait per descriptor at a time. Reading is the caller's.
    /// </summary>
    internal Task WhenReadable(SafeFileDescriptor fd, CancellationToken cancellation)
    {
        if (cancellation.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellation);
        }

        var waiter = new Waiter(fd);
        var added = false;
        ulong cookie;
        lock (_lock)
        {
            var status = EnsureRunning();
            if (!status.IsOk)
            {
                return Task.FromException(status.ToException());
            }

            cookie = ++_nextCookie;
            fd.DangerousAddRef(ref added);
            var errno = _kernel.EpollCtl(_epoll!, Libc.EPOLL_CTL_ADD, fd, Libc.EPOLLIN | Libc.EPOLLONESHOT, cookie);
            if (errno != Errno.None)
            {
                fd.DangerousRelease();
                WakeIfIdle();
                return Task.FromException(new OpaeException(FpgaResult.Exception, $"epoll_ctl(EPOLL_CTL_ADD) of an event descriptor: {Libc.StrError(errno)} ({errno})"));
            }

            _waiters[cookie] = waiter;
        }

        if (cancellation.CanBeCanceled)
        {
            waiter.Cancellation = cancellation.Register(() => Cancel(cookie, cancellation));
        }

        return waiter.Completion.Task;
    }

    // Caller holds _lock.
    private Status EnsureRunning()
    {
        if (_running)
        {
            return Status.Ok;
        }

        var errno = _kernel.EpollCreate(out var epoll);
        if (errno != Errno.None || epoll is null)
        {
            return Status.Fail(FpgaResult.Exception, $"epoll_create1: {Libc.StrError(errno)} ({errno})");
        }

        errno = _kernel.EventFd(0, Libc.EFD_NONBLOCK, out var wake);
        if (errno != Errno.None || wake is null)
        {
            epoll.Dispose();
            return Status.Fail(errno == Errno.ENOMEM ? FpgaResult.NoMemory : FpgaResult.Exception, $"eventfd: {Libc.StrError(errno)} ({errno})");
        }

        errno = _kernel.EpollCtl(epoll, Libc.EPOLL_CTL_ADD, wake, Libc.EPOLLIN, WakeCookie);
        if (errno != Errno.None)
        {
            wake.Dispose();
            epoll.Dispose();
            return Status.Fail(FpgaResult.Exception, $"epoll_ctl of the poller's wake-up eventfd: {Libc.StrError(errno)} ({errno})");
        }

        _epoll = epoll;
        _wake = wake;
        _running = true;
        new Thread(Run) { IsBackground = true, Name = "OpaeSharp events" }.Start((epoll, wake));
        return Status.Ok;
    }

    private void Cancel(ulong cookie, CancellationToken cancellation)
    {
        Waiter? waiter;
        lock (_lock)
        {
            if (!_waiters.Remove(cookie, out waiter))
            {
                return;
            }

            _kernel.EpollCtl(_epoll!, Libc.EPOLL_CTL_DEL, waiter.Fd, 0, 0);
            waiter.Fd.DangerousRelease();
            WakeIfIdle();
        }

        waiter.Completion.TrySetCanceled(cancellation);
    }

    private void Run(object? state)
    {
        var (epoll, wake) = ((SafeFileDescriptor, SafeFileDescriptor))state!;
        Span<EpollEvent> events = stackalloc EpollEvent[16];
        Span<byte> drain = stackalloc byte[8];
        var ready = new List<Waiter>();
        while (true)
        {
            var errno = _kernel.EpollWait(epoll, events, -1, out var count);
            if (errno is not Errno.None and not Errno.EINTR)
            {
                Fail($"epoll_wait: {Libc.StrError(errno)} ({errno})");
                return;
            }

            lock (_lock)
            {
                for (var i = 0; i < count; i++)
                {
                    if (events[i].Data == WakeCookie)
                    {
                        _kernel.Read(wake, drain, out _);
                    }
                    else if (_waiters.Remove(events[i].Data, out var waiter))
                    {
                        _kernel.EpollCtl(epoll, Libc.EPOLL_CTL_DEL, waiter.Fd, 0, 0);
                        waiter.Fd.DangerousRelease();
                        ready.Add(waiter);
                    }
                }

                if (_waiters.Count == 0)
                {
                    StopIfIdle();
                }
            }

            foreach (var waiter in ready)
            {
                waiter.Cancellation.Dispose();
                waiter.Completion.TrySetResult();
            }

            ready.Clear();
            if (!ReferenceEquals(Volatile.Read(ref _epoll), epoll))
            {
                return;
            }
        }
    }

    /// <summary>The poller cannot wait any more: every pending wait fails, and the next one starts afresh.</summary>
    private void Fail(string why)
    {
        List<Waiter> failed;
        lock (_lock)
        {
            failed = [.. _waiters.Values];
            foreach (var waiter in failed)
            {
                _kernel.EpollCtl(_epoll!, Libc.EPOLL_CTL_DEL, waiter.Fd, 0, 0);
                waiter.Fd.DangerousRelease();
            }

            _waiters.Clear();
            StopIfIdle();
        }

        foreach (var waiter in failed)
        {
            waiter.Completion.TrySetException(new OpaeException(FpgaResult.Exception, why));
        }
    }

    // Caller holds _lock. The thread, blocked in epoll_wait, must see that nothing is left to wait for, and exit.
    private void WakeIfIdle()
    {
        if (_running && _waiters.Count == 0)
        {
            Span<byte> one = stackalloc byte[8];
            one[0] = 1;
            _kernel.Write(_wake!, one, out _);
        }
    }

    // Caller holds _lock; only the poller thread calls it, when it is not in epoll_wait. With no waits left the thread's descriptors are closed; it sees _epoll change and exits.
    private void StopIfIdle()
    {
        if (!_running || _waiters.Count > 0)
        {
            return;
        }

        _running = false;
        _epoll?.Dispose();
        _wake?.Dispose();
        _epoll = null;
        _wake = null;
    }

    private sealed class Waiter(SafeFileDescriptor fd)
    {
        internal SafeFileDescriptor Fd { get; } = fd;

        internal TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal CancellationTokenRegistration Cancellation { get; set; }
    }
}
