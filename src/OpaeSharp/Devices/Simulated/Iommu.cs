using OpaeSharp.Dma;
using OpaeSharp.Simulation;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// The simulated IOMMU: IO address ranges to host memory with read/write permission. Every device
/// access is translated here; one that is unmapped, runs past its mapping, lacks permission or hits
/// a released buffer is recorded as a <see cref="DmaFault"/> and never reaches host memory.
/// </summary>
/// <remarks>
/// Like a hardware IOMMU it is a page table: four levels of 512 slots over 48-bit IO addresses
/// (9 bits per level above the 4 KiB page), where a slot holds the next level, or the mapping that
/// covers its whole range (a 2 MiB or 1 GiB "large page"), or a 4 KiB page's mapping. Translation
/// takes no lock and allocates nothing: four dependent reads. Programming writes the slots of the
/// range (one per 4 KiB page, fewer where the range covers aligned large pages) under a lock;
/// clearing kills the mapping and leaves it in its slots as the record that those addresses were
/// released, until a later mapping takes them — so an access after release is told apart from one
/// to an address that was never mapped, for as long as the addresses are not reused.
/// </remarks>
internal sealed class Iommu(DmaFaultLog faults) : IIommuTable
{
    private const int PageShift = 12;
    private const int BitsPerLevel = 9;
    private const int Levels = 4;
    private const int Slots = 1 << BitsPerLevel;

    /// <summary>The largest page a slot may hold whole: 1 GiB (level 2), as an IOMMU's largest page.</summary>
    private const int LargestLevel = 2;

    /// <summary>IO addresses at or above this are never mapped (the table covers 48 bits).</summary>
    private const ulong Limit = 1UL << (PageShift + (BitsPerLevel * Levels));

    private readonly Lock _writeLock = new();
    private readonly Table _root = new();
    private int _count;

    internal DmaFaultLog Faults { get; } = faults;

    /// <summary>Live mappings.</summary>
    internal int Count => Volatile.Read(ref _count);

    public Status Program(ulong iova, nint address, ulong length, DmaAccess access)
    {
        if (length == 0 || iova >= Limit || length > Limit - iova || ((iova | length) & ((1UL << PageShift) - 1)) != 0)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"IO range 0x{iova:x}+{length} is not a page-aligned range below 2^48");
        }

        var mapping = new IommuMapping(iova, address, length, access);
        var end = iova + length;
        lock (_writeLock)
        {
            for (var at = iova; at < end; at += SlotSpan(LevelFor(at, end)))
            {
                if (LiveAt(at, LevelFor(at, end)) is { } other)
                {
                    return Status.Fail(FpgaResult.InvalidParam, $"IO range 0x{iova:x}+{length} overlaps the mapping at 0x{other.Iova:x}+{other.Length}");
                }
            }

            for (var at = iova; at < end; at += SlotSpan(LevelFor(at, end)))
            {
                Set(at, LevelFor(at, end), mapping);
            }

            Interlocked.Increment(ref _count);
        }

        return Status.Ok;
    }

    public Status Clear(ulong iova, ulong length)
    {
        // No lock: the slots stay as they are (the dead mapping records the release), and its
        // addresses cannot be programmed again before the caller frees them, after this returns.
        var mapping = Translate(iova);
        if (mapping is null || mapping.Iova != iova || !mapping.TryMarkDead())
        {
            return Status.Fail(FpgaResult.InvalidParam, $"no IOMMU mapping at IO address 0x{iova:x}");
        }

        Interlocked.Decrement(ref _count);
        mapping.WaitForAccesses();
        return Status.Ok;
    }

    /// <summary>
    /// Translates a device access. On success the caller owns one entry of the returned mapping and
    /// must <see cref="IommuMapping.Exit"/> it; on failure the fault is recorded and null returned.
    /// </summary>
    internal IommuMapping? Enter(ulong iova, ulong length, DmaAccess access, string initiator)
    {
        var mapping = Translate(iova);
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

    /// <summary>The mapping (live or released) whose range holds <paramref name="iova"/>, or null.</summary>
    private IommuMapping? Translate(ulong iova)
    {
        if (iova >= Limit)
        {
            return null;
        }

        var table = _root;
        for (var level = Levels - 1; level >= 0; level--)
        {
            switch (Volatile.Read(ref table.Slots[Index(iova, level)].Value))
            {
                case IommuMapping mapping:
                    return mapping;
                case Table next:
                    table = next;
                    break;
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary>The largest level whose slot at <paramref name="at"/> lies wholly inside [at, end).</summary>
    private static int LevelFor(ulong at, ulong end)
    {
        for (var level = LargestLevel; level > 0; level--)
        {
            var span = SlotSpan(level);
            if ((at & (span - 1)) == 0 && end - at >= span)
            {
                return level;
            }
        }

        return 0;
    }

    /// <summary>A live mapping anywhere in the slot of <paramref name="level"/> at <paramref name="at"/>. Caller holds the lock.</summary>
    private IommuMapping? LiveAt(ulong at, int level)
    {
        var table = _root;
        for (var l = Levels - 1; ; l--)
        {
            var value = table.Slots[Index(at, l)].Value;
            if (value is IommuMapping mapping)
            {
                // Held whole, above or at this level: it covers the slot.
                return mapping.IsDead ? null : mapping;
            }

            if (value is not Table next)
            {
                return null;
            }

            if (l == level)
            {
                return AnyLive(next);
            }

            table = next;
        }
    }

    private static IommuMapping? AnyLive(Table table)
    {
        foreach (var slot in table.Slots)
        {
            switch (slot.Value)
            {
                case IommuMapping { IsDead: false } live:
                    return live;
                case Table next when AnyLive(next) is { } found:
                    return found;
            }
        }

        return null;
    }

    /// <summary>Points the slot of <paramref name="level"/> at <paramref name="at"/> to <paramref name="mapping"/>. Caller holds the lock.</summary>
    private void Set(ulong at, int level, IommuMapping mapping)
    {
        var table = _root;
        for (var l = Levels - 1; l > level; l--)
        {
            ref var slot = ref table.Slots[Index(at, l)];
            switch (slot.Value)
            {
                case Table next:
                    table = next;
                    continue;
                case IommuMapping released:
                    // A larger slot held whole by a released mapping: keep that record for the rest of it.
                    var split = new Table();
                    Array.Fill(split.Slots, new Entry { Value = released });
                    Volatile.Write(ref slot.Value, split);
                    table = split;
                    continue;
                default:
                    var fresh = new Table();
                    Volatile.Write(ref slot.Value, fresh);
                    table = fresh;
                    continue;
            }
        }

        Volatile.Write(ref table.Slots[Index(at, level)].Value, mapping);
    }

    private static int Index(ulong iova, int level) => (int)((iova >> (PageShift + (BitsPerLevel * level))) & (Slots - 1));

    private static ulong SlotSpan(int level) => 1UL << (PageShift + (BitsPerLevel * level));

    /// <summary>One slot: a <see cref="Table"/> of the next level, an <see cref="IommuMapping"/>, or null. A struct, so reads and writes need no array covariance check.</summary>
    private struct Entry
    {
        public object? Value;
    }

    private sealed class Table
    {
        public readonly Entry[] Slots = new Entry[Iommu.Slots];
    }
}
