using System.Runtime.InteropServices;
using OpaeSharp.Interop;

namespace OpaeSharp.Memory;

/// <summary>
/// Host memory pinned for DMA. Owns either a mapping the library made (released with munmap of its
/// full, page-rounded size) or a pin on the caller's memory (released with munlock only).
/// </summary>
internal sealed class PinnedMemory : SafeHandle
{
    private PinnedMemory(nint address, long length, long mappedLength, long pageSize, bool owned)
        : base(invalidHandleValue: 0, ownsHandle: true)
    {
        SetHandle(address);
        Length = length;
        MappedLength = mappedLength;
        PageSize = pageSize;
        OwnsMemory = owned;
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

    /// <summary>Wraps a fresh, locked mapping.</summary>
    internal static PinnedMemory ForAllocation(nint address, long length, long mappedLength, long pageSize) =>
        new(address, length, mappedLength, pageSize, owned: true);

    /// <summary>Wraps a pin on the caller's memory.</summary>
    internal static PinnedMemory ForCallerMemory(nint address, long length) =>
        new(address, length, length, PageSizes.Small, owned: false);

    protected override bool ReleaseHandle()
    {
        // munmap drops the lock with the mapping; caller memory stays mapped, only unlocked.
        PinRegistry.Unpin(handle, MappedLength, unlock: !OwnsMemory);
        if (OwnsMemory)
        {
            return Libc.Munmap(handle, (nuint)MappedLength) == Errno.None;
        }

        return true;
    }
}
