using System.Runtime.InteropServices;

namespace OpaeSharp.Interop;

internal static partial class Libc
{
    internal const int RLIMIT_MEMLOCK = 8;

    // RLIM_INFINITY is (rlim_t)-1 on Linux.
    internal const ulong RLIM_INFINITY = ulong.MaxValue;

    [StructLayout(LayoutKind.Sequential)]
    internal struct rlimit
    {
        public ulong rlim_cur;
        public ulong rlim_max;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int getrlimit_raw(int resource, out rlimit rlim);

    internal static Errno GetRlimit(int resource, out rlimit limit)
    {
        var rc = getrlimit_raw(resource, out limit);
        return rc == 0 ? Errno.None : LastErrno;
    }
}
