using System.Runtime.InteropServices;

namespace OpaeSharp.Interop;

internal static partial class Libc
{
    internal const int O_NONBLOCK = 0x800;

    // linux/fcntl.h: F_LINUX_SPECIFIC_BASE (1024) + 7 and + 8.
    internal const int F_SETPIPE_SZ = 1031;
    internal const int F_GETPIPE_SZ = 1032;

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static unsafe partial int pipe2_raw(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int fcntl_raw(SafeFileDescriptor fd, int command, int argument);

    /// <summary><c>pipe2(fds, flags)</c>: the read end and the write end, each owned by its handle.</summary>
    internal static unsafe Errno Pipe(int flags, out SafeFileDescriptor? readEnd, out SafeFileDescriptor? writeEnd)
    {
        var fds = stackalloc int[2];
        if (pipe2_raw(fds, flags) != 0)
        {
            readEnd = writeEnd = null;
            return LastErrno;
        }

        readEnd = new SafeFileDescriptor(fds[0]);
        writeEnd = new SafeFileDescriptor(fds[1]);
        return Errno.None;
    }

    /// <summary><c>fcntl(fd, F_SETPIPE_SZ, size)</c>; gives the capacity the kernel chose.</summary>
    internal static Errno SetPipeSize(SafeFileDescriptor fd, int size, out int capacity)
    {
        capacity = fcntl_raw(fd, F_SETPIPE_SZ, size);
        if (capacity >= 0)
        {
            return Errno.None;
        }

        var errno = LastErrno;
        capacity = fcntl_raw(fd, F_GETPIPE_SZ, 0);
        return capacity < 0 ? LastErrno : errno;
    }
}
