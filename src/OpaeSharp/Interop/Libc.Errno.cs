using System.Runtime.InteropServices;

namespace OpaeSharp.Interop;

/// <summary>Linux errno values the library acts on (asm-generic/errno-base.h, asm-generic/errno.h).</summary>
internal enum Errno
{
    None = 0,
    EPERM = 1,
    ENOENT = 2,
    EINTR = 4,
    EIO = 5,
    ENXIO = 6,
    E2BIG = 7,
    EBADF = 9,
    EAGAIN = 11,
    ENOMEM = 12,
    EACCES = 13,
    EFAULT = 14,
    EBUSY = 16,
    EEXIST = 17,
    ENODEV = 19,
    EISDIR = 21,
    EINVAL = 22,
    ENFILE = 23,
    EMFILE = 24,
    ENOTTY = 25,
    ENOSPC = 28,
    ERANGE = 34,
    ENOSYS = 38,
    EMSGSIZE = 90,
    EOPNOTSUPP = 95,
}

internal static partial class Libc
{
    internal static Errno LastErrno => (Errno)Marshal.GetLastPInvokeError();

    [LibraryImport("libc", EntryPoint = "strerror")]
    private static partial nint strerror_raw(int errnum);

    /// <summary>The C library's text for an errno ("Cannot allocate memory").</summary>
    internal static string StrError(Errno errno)
    {
        var text = Marshal.PtrToStringUTF8(strerror_raw((int)errno));
        return text ?? ((int)errno).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
