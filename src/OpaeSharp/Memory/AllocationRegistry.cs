using OpaeSharp.Collections;

namespace OpaeSharp.Memory;

/// <summary>
/// The buffer memory the library has mapped and not yet unmapped, by address, process-wide (an
/// address is the process's, whichever handle prepared it). A PREALLOCATED buffer made of memory
/// inside one of these takes a reference on it, so releasing the allocated buffer leaves its mapping
/// in place until the buffer inside it is released too.
/// </summary>
/// <remarks>
/// <para>A page table over virtual addresses that records each allocation sparsely: at the 4 KiB
/// slot of its first page, and in the whole 2 MiB and 1 GiB slots it covers. Adding or removing a
/// 4 KiB or an unaligned 2 MiB buffer writes one slot, and allocates nothing once the levels exist
/// (a sorted set here cost an eighth of the library's own instructions in a 4 KiB prepare+release,
/// and a slot per 4 KiB page cost a 2 MiB one 130,000 instructions: bench/RESULTS.md). Nothing
/// takes a lock: live mappings never overlap (the kernel gives each its own range, and an
/// allocation leaves the table before its munmap), so no two writes touch the same slot.</para>
/// <para>The lookup, which only PREALLOCATED prepares make, finds the nearest first page at or
/// below the address within its 2 MiB, or else what holds the 2 MiB below: no other allocation can
/// start between an allocation's first page and an address inside it. Memory above 2^48 (five-level
/// paging only) is not recorded: a PREALLOCATED buffer there is pinned like any caller memory.</para>
/// </remarks>
internal static class AllocationRegistry
{
    // The span of one whole slot above the 4 KiB ones (2 MiB), which FindAtOrBelow does not leave.
    private const ulong Chunk = 1UL << PageTableLevel.ChunkShift;

    private static readonly PageTable<PinnedMemory> s_live = new();
    private static int s_count;

    internal static int Count => Volatile.Read(ref s_count);

    internal static void Add(PinnedMemory allocation)
    {
        if (Record(allocation, allocation))
        {
            Interlocked.Increment(ref s_count);
        }
    }

    internal static void Remove(PinnedMemory allocation)
    {
        if (Record(allocation, null))
        {
            Interlocked.Decrement(ref s_count);
        }
    }

    /// <summary>
    /// The live allocation that holds all of <paramref name="address"/>..+<paramref name="length"/>,
    /// with a reference taken on it for the caller to release; null when there is none.
    /// </summary>
    internal static PinnedMemory? AcquireContaining(nint address, long length)
    {
        var at = (ulong)address;
        var candidate = s_live.FindAtOrBelow(at);
        if (candidate is null && at >= Chunk)
        {
            // Its first page is below this 2 MiB: it holds the 2 MiB below whole, or starts in it.
            candidate = s_live.FindAtOrBelow((at & ~(Chunk - 1)) - 1);
        }

        if (candidate is null || address < candidate.Address || length > candidate.MappedLength - (address - candidate.Address))
        {
            return null;
        }

        // Released while we looked: its pages are on their way out, so it holds nothing.
        return candidate.TryAddRef() ? candidate : null;
    }

    /// <summary>Writes <paramref name="value"/> where <paramref name="allocation"/> is recorded; false when it is out of the table's reach.</summary>
    private static bool Record(PinnedMemory allocation, PinnedMemory? value)
    {
        var start = (ulong)allocation.Address;
        var length = (ulong)allocation.MappedLength;
        if (!PageTableLevel.Covers(start, length))
        {
            return false;
        }

        var end = start + length;
        var wholeStart = (start + Chunk - 1) & ~(Chunk - 1);
        var wholeEnd = end & ~(Chunk - 1);
        if (start != wholeStart || wholeStart >= wholeEnd)
        {
            // The first page, where no whole 2 MiB slot records it.
            s_live.Set(start, PageSizes.Small, value);
        }

        if (wholeStart < wholeEnd)
        {
            s_live.Set(wholeStart, wholeEnd - wholeStart, value);
        }

        return true;
    }
}
