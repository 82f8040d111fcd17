using OpaeSharp.Interop;

namespace OpaeSharp.Devices.Kernel;

/// <summary>Turns a driver's errno into OPAE's result code and an exception that says what failed.</summary>
internal static class KernelErrors
{
    internal static FpgaResult ToResult(Errno errno) => errno switch
    {
        Errno.EINVAL or Errno.EFAULT or Errno.ENOTTY or Errno.E2BIG or Errno.ERANGE or Errno.EEXIST or Errno.EBADF => FpgaResult.InvalidParam,
        Errno.ENOMEM or Errno.ENOSPC => FpgaResult.NoMemory,
        Errno.EBUSY or Errno.EAGAIN => FpgaResult.Busy,
        Errno.EACCES or Errno.EPERM => FpgaResult.NoAccess,
        Errno.ENODEV or Errno.ENXIO => FpgaResult.NoDriver,
        Errno.ENOENT => FpgaResult.NotFound,
        Errno.EOPNOTSUPP or Errno.ENOSYS => FpgaResult.NotSupported,
        _ => FpgaResult.Exception,
    };

    /// <summary>"open /dev/dfl-port.0: Device or resource busy (EBUSY)"; <paramref name="hint"/> says what to do.</summary>
    internal static OpaeException Exception(string what, Errno errno, string? hint = null) =>
        new(ToResult(errno), $"{what}: {Libc.StrError(errno)} ({errno}){(hint is null ? "" : "; " + hint)}");

    /// <summary>The same failure as <see cref="Exception"/>, returned instead of thrown.</summary>
    internal static Status Failure(string what, Errno errno, string? hint = null) =>
        Status.Fail(ToResult(errno), $"{what}: {Libc.StrError(errno)} ({errno}){(hint is null ? "" : "; " + hint)}");

    /// <summary>The usual advice for a failed open of a device node.</summary>
    internal static string? OpenHint(string path, Errno errno) => errno switch
    {
        Errno.EBUSY => "another handle or process holds it exclusively (open it shared, or close the other)",
        Errno.EACCES or Errno.EPERM => $"this user may not open {path}: run as root or grant access with a udev rule (docs/hardware.md)",
        Errno.ENOENT or Errno.ENODEV or Errno.ENXIO => "the device node is gone: is the driver loaded and the card present?",
        _ => null,
    };
}
