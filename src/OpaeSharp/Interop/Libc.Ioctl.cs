using System.Runtime.InteropServices;

namespace OpaeSharp.Interop;

internal static partial class Libc
{
    // asm-generic/ioctl.h: nr in bits 0..7, type in 8..15, size in 16..29, direction in 30..31.
    internal const int _IOC_NRSHIFT = 0;
    internal const int _IOC_TYPESHIFT = 8;
    internal const int _IOC_SIZESHIFT = 16;
    internal const int _IOC_DIRSHIFT = 30;

    internal const uint _IOC_NONE = 0;
    internal const uint _IOC_WRITE = 1;
    internal const uint _IOC_READ = 2;

    internal static uint _IOC(uint dir, uint type, uint nr, uint size) =>
        (dir << _IOC_DIRSHIFT) | (type << _IOC_TYPESHIFT) | (nr << _IOC_NRSHIFT) | (size << _IOC_SIZESHIFT);

    internal static uint _IO(uint type, uint nr) => _IOC(_IOC_NONE, type, nr, 0);

    internal static uint _IOR(uint type, uint nr, uint size) => _IOC(_IOC_READ, type, nr, size);

    internal static uint _IOW(uint type, uint nr, uint size) => _IOC(_IOC_WRITE, type, nr, size);

    internal static uint _IOWR(uint type, uint nr, uint size) => _IOC(_IOC_READ | _IOC_WRITE, type, nr, size);

    // ioctl is variadic in C; on x86-64 and arm64 Linux one integer/pointer argument is passed
    // exactly like a fixed one, so a fixed three-argument import is sound.
    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int ioctl_raw(SafeFileDescriptor fd, nuint request, nint arg);

    /// <summary><c>ioctl(fd, request, arg)</c>: <paramref name="arg"/> is a pointer or an integer, as the request defines.</summary>
    internal static int Ioctl(SafeFileDescriptor fd, uint request, nint arg, out Errno errno)
    {
        var result = ioctl_raw(fd, request, arg);
        errno = result < 0 ? LastErrno : Errno.None;
        return result;
    }
}
