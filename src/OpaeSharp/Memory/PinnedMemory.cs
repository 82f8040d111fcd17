using System.Runtime.InteropServices;
using OpaeSharp.Interop;

namespace OpaeSharp.Memory;

/// <summary>
/// Host memory prepared for DMA. Owns either a mapping the library made (released with munmap of
/// its full, page-rounded size) or the use of the caller's memory (released by unlocking only what
/// the library locked). Locked by the library only where the device's driver does not pin.
/// </summary>
internal sealed class PinnedMemory : SafeHandle
{
    private readonly IKernel _kernel;

    private PinnedMemory(IKernel kernel, nint address, long length, long mappedLength, long pageSize, bool owned, bool locked)
        : base(invalidHandleValue: 0, ownsHandle: true)
    {
        _kernel = kernel;
        SetHandle(address);
        Length = length;
        MappedLength = mappedLength;
        PageSize = pageSize;
        OwnsMemory = owned;
        IsLocked = locked;
    }

    public override bool IsInvalid => handle == 0;

    internal nint Address => handle;

    /// <summary>The usable length: the request rounded up to 4 KiB.</summary>
    internal long Length { get; }

    /// <summary>What was mapped: the request rounded up to <see cref="PageSize"/>.</summary>
    internal long MappedLength { get; }

    internal long PageSize { get; }

    /// <summary>True when the library allocated the memory and frees it on release.</summary>
    internal bool OwnsMemory { get; }

    /// <summary>True when the library mlocked it (the driver does not pin).</summary>
    internal bool IsLocked { get; }

    /// <summary>Wraps a fresh mapping (locked when <paramref name="locked"/>).</summary>
    internal static PinnedMemory ForAllocation(IKernel kernel, nint address, long length, long mappedLength, long pageSize, bool locked) =>
        new(kernel, address, length, mappedLength, pageSize, owned: true, locked);

    /// <summary>Wraps the caller's memory (locked when <paramref name="locked"/>).</summary>
    internal static PinnedMemory ForCallerMemory(IKernel kernel, nint address, long length, bool locked) =>
        new(kernel, address, length, length, PageSizes.Small, owned: false, locked);

    protected override bool ReleaseHandle()
    {
        // munmap drops the lock with the mapping; caller memory stays mapped, only unlocked.
        if (IsLocked)
        {
            PinRegistry.Unpin(_kernel, handle, MappedLength, unlock: !OwnsMemory);
        }

        return !OwnsMemory || _kernel.Munmap(handle, (nuint)MappedLength) == Errno.None;
    }
}
