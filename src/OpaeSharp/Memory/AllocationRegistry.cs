using OpaeSharp.Collections;

namespace OpaeSharp.Memory;

/// <summary>
/// The buffer memory the library has mapped and not yet unmapped, by address, process-wide (an
/// address is the process's, whichever handle prepared it). A PREALLOCATED buffer made of memory
/// inside one of these takes a reference on it, so releasing the allocated buffer leaves its mapping
/// in place until the buffer inside it is released too.
/// </summary>
/// <remarks>
/// A page table over virtual addresses: adding and removing an allocation writes its slots (one for
/// a 4 KiB buffer) and allocates nothing once the levels exist; nothing takes a lock, because live
/// mappings never overlap (the kernel gives each its own range, and an allocation leaves the table
/// before its munmap), so no two writes touch the same slot. The lookup, which only PREALLOCATED
/// prepares make, is a table walk. A sorted set here cost an eighth of the library's own
/// instructions in a 4 KiB prepare+release (bench/RESULTS.md). Memory above 2^48 (five-level paging
/// only) is not recorded: a PREALLOCATED buffer there is pinned like any caller memory.
/// </remarks>
internal static class AllocationRegistry
{
    private static readonly PageTable<PinnedMemory> s_live = new();
    private static int s_count;

    internal static int Count => Volatile.Read(ref s_count);

    internal static void Add(PinnedMemory allocation)
    {
        if (!PageTableLevel.Covers((ulong)allocation.Address, (ulong)allocation.MappedLength))
        {
            return;
        }

        s_live.Set((ulong)allocation.Address, (ulong)allocation.MappedLength, allocation);
        Interlocked.Increment(ref s_count);
    }

    internal static void Remove(PinnedMemory allocation)
    {
        if (!PageTableLevel.Covers((ulong)allocation.Address, (ulong)allocation.MappedLength))
        {
            return;
        }

        s_live.Set((ulong)allocation.Address, (ulong)allocation.MappedLength, null);
        Interlocked.Decrement(ref s_count);
    }

    /// <summary>
    /// The live allocation that holds all of <paramref name="address"/>..+<paramref name="length"/>,
    /// with a reference taken on it for the caller to release; null when there is none.
    /// </summary>
    internal static PinnedMemory? AcquireContaining(nint address, long length)
    {
        var candidate = s_live.Find((ulong)address);
        if (candidate is null || length > candidate.MappedLength - (address - candidate.Address))
        {
            return null;
        }

        // Released while we looked: its pages are on their way out, so it holds nothing.
        return candidate.TryAddRef() ? candidate : null;
    }
}
