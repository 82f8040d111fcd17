using System.Runtime.CompilerServices;

namespace OpaeSharp.Collections;

/// <summary>
/// A map from page-aligned ranges of a 48-bit address space to values, shaped like a hardware page
/// table: four levels of 512 slots (9 bits per level above the 4 KiB page), where a slot holds the
/// next level, or the value of its whole range (a 4 KiB page, or a 2 MiB or 1 GiB "large page").
/// </summary>
/// <remarks>
/// <para>Finding the value at an address takes no lock and allocates nothing: at most four
/// dependent reads. A write stores one slot per large aligned piece of the range and one per
/// remaining 4 KiB page, so a range costs about its number of 2 MiB pieces plus its unaligned
/// 4 KiB pages at each end. Levels are installed with a compare-and-swap, so writes of ranges that
/// no other running write overlaps need no lock (the registry of allocations relies on it: live
/// mappings never overlap); a caller that must check for overlap first serializes its writes.</para>
/// <para>A level, once made, stays when its slots are cleared (a 4 KiB range prepared and released
/// in a loop must not allocate a level per round), except under a large slot written whole; so the
/// table's size follows the address ranges ever used at 4 KiB granularity, which stay few because
/// the kernel (mmap) and the IO address allocator both reuse freed ranges first: 4 KiB of table per
/// 2 MiB of such ranges.</para>
/// <para>Used by the simulated IOMMU (IO address to mapping) and by the registry of the library's
/// own allocations (virtual address to memory).</para>
/// </remarks>
/// <typeparam name="T">The value type; never <see cref="PageTableLevel"/>.</typeparam>
internal sealed class PageTable<T>
    where T : class
{
    private readonly PageTableLevel _root = new(PageTableLevel.NoChunk);

    // The 4 KiB level the last 4 KiB write went to: a buffer prepared and released in a loop
    // writes the same one, and skips the walk down to it.
    private PageTableLevel? _lastLeaf;

    /// <summary>The value whose range holds <paramref name="address"/>, or null. Lock-free.</summary>
    internal T? Find(ulong address) =>
        Descend(address, out var leaf, out var whole)
            ? Unsafe.As<T>(Volatile.Read(ref leaf.Slots[PageTableLevel.Index(address, 0)].Value))
            : whole;

    /// <summary>
    /// The value at <paramref name="address"/>, or else the nearest one at a lower address inside
    /// the same 2 MiB slot; null when there is none. Lock-free; reads at most 512 slots.
    /// </summary>
    internal T? FindAtOrBelow(ulong address)
    {
        if (!Descend(address, out var leaf, out var whole))
        {
            return whole;
        }

        for (var i = PageTableLevel.Index(address, 0); i >= 0; i--)
        {
            if (Volatile.Read(ref leaf.Slots[i].Value) is { } found)
            {
                return Unsafe.As<T>(found);
            }
        }

        return null;
    }

    /// <summary>
    /// The first value in <paramref name="start"/>..+<paramref name="length"/> that
    /// <paramref name="match"/> accepts, or null. The range must be <see cref="PageTableLevel.Covers">covered</see>.
    /// </summary>
    internal T? FirstMatch(ulong start, ulong length, Func<T, bool> match)
    {
        var end = start + length;
        for (var at = start; at < end;)
        {
            var target = PageTableLevel.LevelFor(at, end);
            if (FirstMatchInSlot(at, target, match) is { } found)
            {
                return found;
            }

            at += PageTableLevel.SlotSpan(target);
        }

        return null;
    }

    /// <summary>
    /// Makes every address of <paramref name="start"/>..+<paramref name="length"/> hold
    /// <paramref name="value"/> (null: nothing), whatever it held; addresses around the range keep
    /// theirs. The range must be <see cref="PageTableLevel.Covers">covered</see>.
    /// </summary>
    internal void Set(ulong start, ulong length, T? value)
    {
        var end = start + length;
        for (var at = start; at < end;)
        {
            var target = PageTableLevel.LevelFor(at, end);
            SetSlot(at, target, value);
            at += PageTableLevel.SlotSpan(target);
        }
    }

    /// <summary>
    /// Walks to the level of 4 KiB slots that holds <paramref name="address"/> (true), or stops
    /// where a slot above holds the address's whole range or nothing, with that value or null (false).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Descend(ulong address, out PageTableLevel leaf, out T? whole)
    {
        leaf = _root;
        whole = null;
        if (address >= PageTableLevel.Limit)
        {
            return false;
        }

        for (var l = PageTableLevel.Levels - 1; l > 0; l--)
        {
            var value = Volatile.Read(ref leaf.Slots[PageTableLevel.Index(address, l)].Value);
            if (value is not PageTableLevel next)
            {
                // Only values and levels are stored, so anything else is a T.
                whole = value is null ? null : Unsafe.As<T>(value);
                return false;
            }

            leaf = next;
        }

        return true;
    }

    private static T? FirstMatchIn(PageTableLevel level, Func<T, bool> match)
    {
        foreach (var slot in level.Slots)
        {
            var found = slot.Value switch
            {
                null => null,
                PageTableLevel next => FirstMatchIn(next, match),
                var value => match(Unsafe.As<T>(value)) ? Unsafe.As<T>(value) : null,
            };

            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }

    private T? FirstMatchInSlot(ulong at, int target, Func<T, bool> match)
    {
        var level = _root;
        for (var l = PageTableLevel.Levels - 1; ; l--)
        {
            var value = Volatile.Read(ref level.Slots[PageTableLevel.Index(at, l)].Value);
            if (value is null)
            {
                return null;
            }

            if (value is not PageTableLevel next)
            {
                // Held whole, above or at the slot's level: it covers the slot.
                var whole = Unsafe.As<T>(value);
                return match(whole) ? whole : null;
            }

            if (l == target)
            {
                return FirstMatchIn(next, match);
            }

            level = next;
        }
    }

    private void SetSlot(ulong at, int target, T? value)
    {
        if (target == 0)
        {
            // A leaf stays linked until a whole slot above it is written, which clears the cache
            // first; writes into one 2 MiB never race such a write (their ranges would overlap).
            var cached = Volatile.Read(ref _lastLeaf);
            if (cached is not null && cached.Chunk == at >> PageTableLevel.ChunkShift)
            {
                Volatile.Write(ref cached.Slots[PageTableLevel.Index(at, 0)].Value, value);
                return;
            }
        }
        else
        {
            Volatile.Write(ref _lastLeaf, null);
        }

        var level = _root;
        for (var l = PageTableLevel.Levels - 1; l > target;)
        {
            ref var slot = ref level.Slots[PageTableLevel.Index(at, l)];
            var current = Volatile.Read(ref slot.Value);
            if (current is PageTableLevel next)
            {
                level = next;
                l--;
                continue;
            }

            if (current is null && value is null)
            {
                return;
            }

            // Nothing here yet, or a larger slot held whole whose value stays on the rest of it.
            var deeper = new PageTableLevel(l == 1 ? at >> PageTableLevel.ChunkShift : PageTableLevel.NoChunk);
            if (current is not null)
            {
                Array.Fill(deeper.Slots, new PageTableLevel.Slot { Value = current });
            }

            // Another write of a disjoint range may install this level first: then go down its level.
            Interlocked.CompareExchange(ref slot.Value, deeper, current);
        }

        Volatile.Write(ref level.Slots[PageTableLevel.Index(at, target)].Value, value);
        if (target == 0)
        {
            Volatile.Write(ref _lastLeaf, level);
        }
    }
}

/// <summary>
/// One level of a <see cref="PageTable{T}"/>: 512 slots, each a deeper level, a value, or null;
/// and the table's geometry. Not generic, so telling a level from a value is one type compare and
/// the geometry is plain arithmetic.
/// </summary>
internal sealed class PageTableLevel
{
    /// <summary>Slots per level.</summary>
    internal const int Size = 1 << BitsPerLevel;

    internal const int Levels = 4;

    /// <summary>One past the highest address a table covers (2^48).</summary>
    internal const ulong Limit = 1UL << (PageShift + (BitsPerLevel * Levels));

    private const int PageShift = 12;
    private const int BitsPerLevel = 9;

    /// <summary>The largest slot a value may hold whole: 1 GiB (level 2), as an IOMMU's largest page.</summary>
    private const int LargestLevel = 2;

    /// <summary>What <see cref="Chunk"/> is for a level that holds no 4 KiB slots.</summary>
    internal const ulong NoChunk = ulong.MaxValue;

    /// <summary>Shift from an address to the number of its 2 MiB slot.</summary>
    internal const int ChunkShift = PageShift + BitsPerLevel;

    internal readonly Slot[] Slots = new Slot[Size];

    internal PageTableLevel(ulong chunk) => Chunk = chunk;

    /// <summary>For a level of 4 KiB slots, the number of the 2 MiB it covers (address &gt;&gt; 21); else <see cref="NoChunk"/>.</summary>
    internal ulong Chunk { get; }

    /// <summary>True when <paramref name="start"/>..+<paramref name="length"/> is a non-empty page-aligned range a table covers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool Covers(ulong start, ulong length) =>
        length != 0 && start < Limit && length <= Limit - start && ((start | length) & ((1UL << PageShift) - 1)) == 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Index(ulong address, int level) => (int)((address >> (PageShift + (BitsPerLevel * level))) & (Size - 1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong SlotSpan(int level) => 1UL << (PageShift + (BitsPerLevel * level));

    /// <summary>The largest level whose slot at <paramref name="at"/> lies wholly inside [at, end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int LevelFor(ulong at, ulong end)
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

    /// <summary>A struct around the reference, so slot reads and writes need no array covariance check.</summary>
    internal struct Slot
    {
        public object? Value;
    }
}
