using System.Runtime.InteropServices;

namespace OpaeSharp.Interop;

/// <summary>
/// Owns a device region mapped into the process with <c>mmap</c> (MMIO registers). Released with
/// <c>munmap</c> of its full length, or by the kernel seam that produced it.
/// </summary>
internal sealed class SafeMappedRegion : SafeHandle
{
    private readonly Func<nint, nuint, Errno>? _unmap;

    internal SafeMappedRegion(nint address, ulong length, Func<nint, nuint, Errno>? unmap = null)
        : base(invalidHandleValue: 0, ownsHandle: true)
    {
        SetHandle(address);
        Length = length;
        _unmap = unmap;
    }

    public override bool IsInvalid => handle == 0 || handle == Libc.MapFailed;

    internal nint Address => handle;

    internal ulong Length { get; }

    protected override bool ReleaseHandle() => (_unmap ?? Libc.Munmap)(handle, (nuint)Length) == Errno.None;
}
