using System.Runtime.InteropServices;

namespace OpaeSharp.Interop;

internal static partial class Libc
{
    internal const int PROT_READ = 1;
    internal const int PROT_WRITE = 2;

    internal const int MAP_SHARED = 0x01;
    internal const int MAP_PRIVATE = 0x02;
    internal const int MAP_FIXED = 0x10;
    internal const int MAP_ANONYMOUS = 0x20;
    internal const int MAP_POPULATE = 0x8000;
    internal const int MAP_HUGETLB = 0x40000;

    // The hugepage size is log2(size) in bits 26..31 of the flags; without it the kernel
    // uses the system default size, which is not what the caller asked for.
    internal const int MAP_HUGE_SHIFT = 26;
    internal const int MAP_HUGE_2MB = 21 << MAP_HUGE_SHIFT;
    internal const int MAP_HUGE_1GB = 30 << MAP_HUGE_SHIFT;

    internal const int MADV_DONTFORK = 10;
    internal const int MADV_POPULATE_WRITE = 23;
    internal const int MS_ASYNC = 1;

    // MAP_FAILED is (void*)-1, not NULL.
    internal static readonly nint MapFailed = -1;

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint mmap_raw(nint addr, nuint length, int prot, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int munmap_raw(nint addr, nuint length);

    [LibraryImport("libc", EntryPoint = "mlock", SetLastError = true)]
    private static partial int mlock_raw(nint addr, nuint length);

    [LibraryImport("libc", EntryPoint = "munlock", SetLastError = true)]
    private static partial int munlock_raw(nint addr, nuint length);

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int madvise_raw(nint addr, nuint length, int advice);

    [LibraryImport("libc", EntryPoint = "msync", SetLastError = true)]
    private static partial int msync_raw(nint addr, nuint length, int flags);

    /// <summary><c>mmap</c>; returns <see cref="MapFailed"/> and the errno on failure.</summary>
    internal static nint Mmap(nint addr, nuint length, int prot, int flags, int fd, nint offset, out Errno errno)
    {
        var result = mmap_raw(addr, length, prot, flags, fd, offset);
        errno = result == MapFailed ? LastErrno : Errno.None;
        return result;
    }

    internal static Errno Munmap(nint addr, nuint length) => munmap_raw(addr, length) == 0 ? Errno.None : LastErrno;

    internal static Errno Mlock(nint addr, nuint length) => mlock_raw(addr, length) == 0 ? Errno.None : LastErrno;

    internal static Errno Munlock(nint addr, nuint length) => munlock_raw(addr, length) == 0 ? Errno.None : LastErrno;

    internal static Errno Madvise(nint addr, nuint length, int advice) => madvise_raw(addr, length, advice) == 0 ? Errno.None : LastErrno;

    internal static Errno Msync(nint addr, nuint length, int flags) => msync_raw(addr, length, flags) == 0 ? Errno.None : LastErrno;
}
