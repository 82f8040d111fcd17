using System.Runtime.InteropServices;

namespace OpaeSharp.Interop;

internal static partial class Libc
{
    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int close_raw(int fd);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    private static unsafe partial nint pread_raw(SafeFileDescriptor fd, byte* buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    private static unsafe partial nint pwrite_raw(SafeFileDescriptor fd, byte* buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint read_raw(SafeFileDescriptor fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint write_raw(SafeFileDescriptor fd, byte* buffer, nuint count);

    /// <summary><c>read</c>.</summary>
    internal static unsafe Errno Read(SafeFileDescriptor fd, Span<byte> buffer, out int count)
    {
        fixed (byte* p = buffer)
        {
            var n = read_raw(fd, p, (nuint)buffer.Length);
            count = n < 0 ? 0 : (int)n;
            return n < 0 ? LastErrno : Errno.None;
        }
    }

    /// <summary><c>write</c>.</summary>
    internal static unsafe Errno Write(SafeFileDescriptor fd, ReadOnlySpan<byte> buffer, out int count)
    {
        fixed (byte* p = buffer)
        {
            var n = write_raw(fd, p, (nuint)buffer.Length);
            count = n < 0 ? 0 : (int)n;
            return n < 0 ? LastErrno : Errno.None;
        }
    }

    /// <summary><c>close(fd)</c>. Only <see cref="SafeFileDescriptor"/> calls it.</summary>
    internal static Errno Close(int fd) => close_raw(fd) == 0 ? Errno.None : LastErrno;

    /// <summary><c>pread</c>: reads at <paramref name="offset"/> without moving the file position (device regions).</summary>
    internal static unsafe Errno Pread(SafeFileDescriptor fd, Span<byte> buffer, long offset, out int count)
    {
        fixed (byte* p = buffer)
        {
            var n = pread_raw(fd, p, (nuint)buffer.Length, offset);
            count = n < 0 ? 0 : (int)n;
            return n < 0 ? LastErrno : Errno.None;
        }
    }

    /// <summary><c>pwrite</c>: writes at <paramref name="offset"/> without moving the file position.</summary>
    internal static unsafe Errno Pwrite(SafeFileDescriptor fd, ReadOnlySpan<byte> buffer, long offset, out int count)
    {
        fixed (byte* p = buffer)
        {
            var n = pwrite_raw(fd, p, (nuint)buffer.Length, offset);
            count = n < 0 ? 0 : (int)n;
            return n < 0 ? LastErrno : Errno.None;
        }
    }
}
