using System.Runtime.InteropServices;

namespace OpaeSharp.Interop;

internal static partial class Libc
{
    [StructLayout(LayoutKind.Sequential)]
    internal struct iovec
    {
        public nint iov_base;
        public nuint iov_len;
    }

    [LibraryImport("libc", EntryPoint = "process_vm_readv", SetLastError = true)]
    private static unsafe partial nint process_vm_readv_raw(int pid, iovec* local, nuint localCount, iovec* remote, nuint remoteCount, nuint flags);

    [LibraryImport("libc", EntryPoint = "process_vm_writev", SetLastError = true)]
    private static unsafe partial nint process_vm_writev_raw(int pid, iovec* local, nuint localCount, iovec* remote, nuint remoteCount, nuint flags);

    [LibraryImport("libc", EntryPoint = "getpid")]
    private static partial int getpid_raw();

    /// <summary>
    /// <c>getpid()</c>, asked of the kernel every time: <see cref="Environment.ProcessId"/> is cached,
    /// so a forked child would see its parent's id.
    /// </summary>
    internal static int GetPid() => getpid_raw();

    /// <summary>
    /// Copies from <paramref name="address"/> in process <paramref name="pid"/> into <paramref name="destination"/>:
    /// an unmapped or unreadable page is EFAULT, never a signal.
    /// </summary>
    internal static unsafe Errno ProcessVmRead(int pid, nint address, Span<byte> destination, out int count)
    {
        fixed (byte* p = destination)
        {
            var local = new iovec { iov_base = (nint)p, iov_len = (nuint)destination.Length };
            var remote = new iovec { iov_base = address, iov_len = (nuint)destination.Length };
            var n = process_vm_readv_raw(pid, &local, 1, &remote, 1, 0);
            count = n < 0 ? 0 : (int)n;
            return n < 0 ? LastErrno : Errno.None;
        }
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="address"/> in process <paramref name="pid"/>; EFAULT instead of a signal.</summary>
    internal static unsafe Errno ProcessVmWrite(int pid, nint address, ReadOnlySpan<byte> source, out int count)
    {
        fixed (byte* p = source)
        {
            var local = new iovec { iov_base = (nint)p, iov_len = (nuint)source.Length };
            var remote = new iovec { iov_base = address, iov_len = (nuint)source.Length };
            var n = process_vm_writev_raw(pid, &local, 1, &remote, 1, 0);
            count = n < 0 ? 0 : (int)n;
            return n < 0 ? LastErrno : Errno.None;
        }
    }
}
