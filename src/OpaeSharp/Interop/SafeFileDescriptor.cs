using System.Runtime.InteropServices;

namespace OpaeSharp.Interop;

/// <summary>
/// Owns one file descriptor (a device node, a VFIO container, group or device). Closing is done by
/// <c>close(2)</c>, or by the kernel seam that produced it, so a fake kernel sees its descriptors closed.
/// </summary>
internal sealed class SafeFileDescriptor : SafeHandle
{
    private readonly Func<int, Errno>? _close;

    internal SafeFileDescriptor(int fd, Func<int, Errno>? close = null)
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
        SetHandle(fd);
        _close = close;
    }

    public override bool IsInvalid => handle < 0;

    /// <summary>The descriptor number, for ioctls that take a descriptor as their argument.</summary>
    internal int Value => (int)handle;

    protected override bool ReleaseHandle() => (_close ?? Libc.Close)((int)handle) == Errno.None;
}
