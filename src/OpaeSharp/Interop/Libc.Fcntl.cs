using System.Runtime.InteropServices;

namespace OpaeSharp.Interop;

internal static partial class Libc
{
    internal const int O_RDONLY = 0x0;
    internal const int O_WRONLY = 0x1;
    internal const int O_RDWR = 0x2;
    internal const int O_EXCL = 0x80;
    internal const int O_CLOEXEC = 0x80000;

    internal const int F_OK = 0;
    internal const int W_OK = 2;
    internal const int R_OK = 4;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open_raw(string path, int flags);

    [LibraryImport("libc", EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int access_raw(string path, int mode);

    /// <summary><c>open(path, flags)</c>; the descriptor is owned by the returned handle.</summary>
    internal static Errno Open(string path, int flags, out SafeFileDescriptor? fd)
    {
        var raw = open_raw(path, flags);
        if (raw < 0)
        {
            fd = null;
            return LastErrno;
        }

        fd = new SafeFileDescriptor(raw);
        return Errno.None;
    }

    /// <summary><c>access(path, mode)</c>: whether this process may open <paramref name="path"/> that way.</summary>
    internal static Errno Access(string path, int mode) => access_raw(path, mode) == 0 ? Errno.None : LastErrno;
}
