using OpaeSharp.Collections;
using OpaeSharp.Dma;
using OpaeSharp.Memory;
using OpaeSharp.Simulation;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// The simulated IOMMU: IO address ranges to host memory with read/write permission. Every device
/// access is translated here; one that is unmapped, runs past its mapping, lacks permission or hits
/// a released buffer is recorded as a <see cref="DmaFault"/> and never reaches host memory.
/// </summary>
/// <remarks>
/// Like a hardware IOMMU it is a page table (<see cref="PageTable{T}"/>) over 48-bit IO addresses:
/// translation takes no lock and allocates nothing. Programming writes the slots of the range under
/// a lock; clearing kills the mapping and leaves it in its slots as the record that those addresses
/// were released, until a later mapping takes them — so an access after release is told apart from
/// one to an address that was never mapped, for as long as the addresses are not reused.
/// </remarks>
internal sealed class Iommu(DmaFaultLog faults) : IIommuTable
{
    private static readonly Func<IommuMapping, bool> s_isLive = static mapping => !mapping.IsDead;

    // Not readonly: a SpinLock is a mutable struct.
    private SpinLock _writeLock = new(enableThreadOwnerTracking: false);
    private readonly PageTable<IommuMapping> _table = new();
    private int _count;

    internal DmaFaultLog Faults { get; } = faults;

    /// <summary>Live mappings.</summary>
    internal int Count => Volatile.Read(ref _count);

    public Status Program(ulong iova, PinnedMemory memory, DmaAccess access)
    {
        var length = (ulong)memory.Length;
        if (!PageTableLevel.Covers(iova, length))
        {
            return Status.Fail(FpgaResult.InvalidParam, $"IO range 0x{iova:x}+{length} is not a page-aligned range below 2^48");
        }

        // The entry's reference: the pages stay the device's until the entry is cleared.
        if (!memory.TryAddRef())
        {
            return Status.Fail(FpgaResult.InvalidParam, $"the memory for IO range 0x{iova:x}+{length} was already released");
        }

        var mapping = new IommuMapping(iova, memory, length, access);
        IommuMapping? other;
        using (new SpinLockScope(ref _writeLock))
        {
            other = _table.FirstMatch(iova, length, s_isLive);
            if (other is null)
            {
                _table.Set(iova, length, mapping);
                Interlocked.Increment(ref _count);
                return Status.Ok;
            }
        }

        memory.ReleaseRef();
        return Status.Fail(FpgaResult.InvalidParam, $"IO range 0x{iova:x}+{length} overlaps the mapping at 0x{other.Iova:x}+{other.Length}");
    }

    public Status Clear(ulong iova, ulong length)
    {
        // No lock: the slots stay as they are (the dead mapping records the release), and its
        // addresses cannot be programmed again before the caller frees them, after this returns.
        var mapping = _table.Find(iova);
        if (mapping is null || mapping.Iova != iova || !mapping.TryMarkDead())
        {
            return Status.Fail(FpgaResult.InvalidParam, $"no IOMMU mapping at IO address 0x{iova:x}");
        }

        Interlocked.Decrement(ref _count);

        // Letting go of the memory may unmap it: only once no access is inside.
        mapping.WaitForAccessesAndRelease();
        return Status.Ok;
    }

    /// <summary>Records a device access that was translated but could not reach its pages (the caller unmapped memory the device reaches by address).</summary>
    internal void RecordUnreachable(ulong iova, ulong length, bool isWrite, string initiator) =>
        Faults.Record(new DmaFault(DmaFaultKind.Unreachable, iova, length, isWrite, initiator));

    /// <summary>
    /// Translates a device access. On success the caller owns one entry of the returned mapping and
    /// must <see cref="IommuMapping.Exit"/> it; on failure the fault is recorded and null returned.
    /// </summary>
    internal IommuMapping? Enter(ulong iova, ulong length, DmaAccess access, string initiator)
    {
        var mapping = _table.Find(iova);
        var kind = mapping switch
        {
            null => DmaFaultKind.Unmapped,
            _ when mapping.IsDead => DmaFaultKind.AfterRelease,
            _ when length > mapping.End - iova => DmaFaultKind.PastEnd,
            _ when (mapping.Access & access) != access => DmaFaultKind.PermissionDenied,

            // Unmapped while we looked: exactly a use after release.
            _ => mapping.TryEnter() ? (DmaFaultKind?)null : DmaFaultKind.AfterRelease,
        };

        if (kind is { } fault)
        {
            Faults.Record(new DmaFault(fault, iova, length, access == DmaAccess.Write, initiator));
            return null;
        }

        return mapping;
    }
}
