using System.Collections.Immutable;
using OpaeSharp.Dma;
using OpaeSharp.Memory;
using OpaeSharp.Simulation;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// The simulated IOMMU: IO address ranges to host memory with read/write permission. Every device
/// access is translated here; one that is unmapped, runs past its mapping, lacks permission or hits
/// a released buffer is recorded as a <see cref="DmaFault"/> and never reaches host memory.
/// Translation takes no lock: it reads an immutable sorted set (a balanced tree, so map and unmap
/// stay O(log n) with 100,000 live buffers) that map and unmap replace.
/// </summary>
internal sealed class Iommu(DmaFaultLog faults) : IIommuTable
{
    private const int ReleasedHistory = 4096;

    private readonly Lock _writeLock = new();
    private readonly Queue<(ulong Start, ulong End)> _released = new();
    private static readonly Comparer<IommuMapping> s_byIova = Comparer<IommuMapping>.Create((a, b) => a.Iova.CompareTo(b.Iova));

    private ImmutableSortedSet<IommuMapping> _mappings = ImmutableSortedSet.Create<IommuMapping>(s_byIova);

    internal DmaFaultLog Faults { get; } = faults;

    internal int Count => Volatile.Read(ref _mappings).Count;

    public Status Program(ulong iova, PinnedMemory memory, DmaAccess access)
    {
        var length = (ulong)memory.Length;

        // The entry's reference: the pages stay the device's until the entry is cleared.
        if (!memory.TryAddRef())
        {
            return Status.Fail(FpgaResult.InvalidParam, $"the memory for IO range 0x{iova:x}+{length} was already released");
        }

        var mapping = new IommuMapping(iova, memory, length, access);
        lock (_writeLock)
        {
            var current = _mappings;
            var index = Find(current, iova);
            if ((index >= 0 && current[index].End > iova) || (index + 1 < current.Count && current[index + 1].Iova < iova + length))
            {
                memory.DangerousRelease();
                return Status.Fail(FpgaResult.InvalidParam, $"IO range 0x{iova:x}+{length} overlaps an existing mapping");
            }

            Volatile.Write(ref _mappings, current.Add(mapping));
        }

        return Status.Ok;
    }

    public Status Clear(ulong iova, ulong length)
    {
        IommuMapping removed;
        lock (_writeLock)
        {
            var current = _mappings;
            var index = Find(current, iova);
            if (index < 0 || current[index].Iova != iova)
            {
                return Status.Fail(FpgaResult.InvalidParam, $"no IOMMU mapping at IO address 0x{iova:x}");
            }

            removed = current[index];
            Volatile.Write(ref _mappings, current.Remove(removed));

            if (_released.Count == ReleasedHistory)
            {
                _released.Dequeue();
            }

            _released.Enqueue((removed.Iova, removed.End));
        }

        // Outside the lock: waiting for in-flight accesses must not stall other maps, and letting go
        // of the memory may unmap it.
        removed.Kill();
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
        var current = Volatile.Read(ref _mappings);
        var index = Find(current, iova);
        var isWrite = access == DmaAccess.Write;
        if (index >= 0)
        {
            var mapping = current[index];
            if (iova < mapping.End)
            {
                if (length > mapping.End - iova)
                {
                    return Fail(DmaFaultKind.PastEnd);
                }

                if ((mapping.Access & access) != access)
                {
                    return Fail(DmaFaultKind.PermissionDenied);
                }

                if (mapping.TryEnter())
                {
                    return mapping;
                }

                // Unmapped while we looked: exactly a use after release.
                return Fail(DmaFaultKind.AfterRelease);
            }
        }

        return Fail(WasReleased(iova) ? DmaFaultKind.AfterRelease : DmaFaultKind.Unmapped);

        IommuMapping? Fail(DmaFaultKind kind)
        {
            Faults.Record(new DmaFault(kind, iova, length, isWrite, initiator));
            return null;
        }
    }

    private bool WasReleased(ulong iova)
    {
        lock (_writeLock)
        {
            foreach (var (start, end) in _released)
            {
                if (iova >= start && iova < end)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Index of the last mapping starting at or below <paramref name="iova"/>, or -1.</summary>
    private static int Find(ImmutableSortedSet<IommuMapping> mappings, ulong iova)
    {
        // IndexOf answers the exact index, or the complement of the first larger entry's index.
        var index = mappings.IndexOf(new IommuMapping(iova, null, 0, DmaAccess.Read));
        return index >= 0 ? index : ~index - 1;
    }
}
