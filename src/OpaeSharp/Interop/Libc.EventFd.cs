using System.Runtime.InteropServices;

namespace OpaeSharp.Interop;

internal static partial class Libc
{
    // sys/eventfd.h: the flags are O_CLOEXEC and O_NONBLOCK's values.
    internal const int EFD_CLOEXEC = 0x80000;
    internal const int EFD_NONBLOCK = 0x800;

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int eventfd_raw(uint initval, int flags);

    /// <summary><c>eventfd(initval, flags)</c>; the descriptor is owned by the returned handle.</summary>
    internal static Errno EventFd(uint initialValue, int flags, out SafeFileDescriptor? fd)
    {
        var raw = eventfd_raw(initialValue, flags);
        if (raw < 0)
        {
            fd = null;
            return LastErrno;
        }

        fd = new SafeFileDescriptor(raw);
        return Errno.None;
    }
}
