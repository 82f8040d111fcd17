using System.Runtime.InteropServices;

namespace OpaeSharp.Interop;

/// <summary>One readiness report of <c>epoll_wait</c>: what happened, and the cookie the descriptor was added with.</summary>
internal readonly record struct EpollEvent(uint Events, ulong Data);

internal static partial class Libc
{
    // sys/epoll.h.
    internal const int EPOLL_CLOEXEC = 0x80000;
    internal const int EPOLL_CTL_ADD = 1;
    internal const int EPOLL_CTL_DEL = 2;
    internal const int EPOLL_CTL_MOD = 3;
    internal const uint EPOLLIN = 0x1;
    internal const uint EPOLLERR = 0x8;
    internal const uint EPOLLHUP = 0x10;
    internal const uint EPOLLONESHOT = 1u << 30;

    // struct epoll_event { uint32_t events; epoll_data_t data; }: packed on x86-64 (12 bytes,
    // data at 4), naturally aligned elsewhere (16 bytes, data at 8).
    private static readonly int s_eventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int s_dataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int epoll_create1_raw(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static unsafe partial int epoll_ctl_raw(SafeFileDescriptor epfd, int op, SafeFileDescriptor fd, byte* ev);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static unsafe partial int epoll_wait_raw(SafeFileDescriptor epfd, byte* events, int maxevents, int timeout);

    /// <summary><c>epoll_create1(EPOLL_CLOEXEC)</c>.</summary>
    internal static Errno EpollCreate(out SafeFileDescriptor? epoll)
    {
        var raw = epoll_create1_raw(EPOLL_CLOEXEC);
        epoll = raw < 0 ? null : new SafeFileDescriptor(raw);
        return raw < 0 ? LastErrno : Errno.None;
    }

    /// <summary><c>epoll_ctl(epoll, op, fd, {events, data})</c>.</summary>
    internal static unsafe Errno EpollCtl(SafeFileDescriptor epoll, int op, SafeFileDescriptor fd, uint events, ulong data)
    {
        var ev = stackalloc byte[16];
        *(uint*)ev = events;
        *(ulong*)(ev + s_dataOffset) = data;
        return epoll_ctl_raw(epoll, op, fd, ev) == 0 ? Errno.None : LastErrno;
    }

    /// <summary><c>epoll_wait</c> for up to <paramref name="events"/>.Length reports; <paramref name="timeoutMs"/> -1 waits for ever.</summary>
    internal static unsafe Errno EpollWait(SafeFileDescriptor epoll, Span<EpollEvent> events, int timeoutMs, out int count)
    {
        var max = Math.Min(events.Length, 64);
        var raw = stackalloc byte[64 * 16];
        var n = epoll_wait_raw(epoll, raw, max, timeoutMs);
        if (n < 0)
        {
            count = 0;
            return LastErrno;
        }

        for (var i = 0; i < n; i++)
        {
            var ev = raw + (i * s_eventSize);
            events[i] = new EpollEvent(*(uint*)ev, *(ulong*)(ev + s_dataOffset));
        }

        count = n;
        return Errno.None;
    }
}
