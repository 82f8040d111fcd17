namespace OpaeSharp.Memory;

/// <summary>
/// The buffer memory the library has mapped and not yet unmapped, by address, process-wide (an
/// address is the process's, whichever handle prepared it). A PREALLOCATED buffer made of memory
/// inside one of these takes a reference on it, so releasing the allocated buffer leaves its mapping
/// in place until the buffer inside it is released too.
/// </summary>
/// <remarks>
/// A sorted tree under a lock: one node per live allocation and no garbage per change (prepare and
/// release are the frequent calls; the lookup only runs for PREALLOCATED prepares). Nothing blocking
/// runs under the lock.
/// </remarks>
internal static class AllocationRegistry
{
    private static readonly Lock s_lock = new();
    private static readonly SortedSet<Entry> s_live = new(Comparer<Entry>.Create((a, b) => a.Address.CompareTo(b.Address)));

    internal static int Count
    {
        get
        {
            lock (s_lock)
            {
                return s_live.Count;
            }
        }
    }

    internal static void Add(PinnedMemory allocation)
    {
        lock (s_lock)
        {
            s_live.Add(new Entry(allocation.Address, allocation));
        }
    }

    internal static void Remove(PinnedMemory allocation)
    {
        lock (s_lock)
        {
            s_live.Remove(new Entry(allocation.Address, null));
        }
    }

    /// <summary>
    /// The live allocation that holds all of <paramref name="address"/>..+<paramref name="length"/>,
    /// with a reference taken on it for the caller to release; null when there is none.
    /// </summary>
    internal static PinnedMemory? AcquireContaining(nint address, long length)
    {
        PinnedMemory? candidate;
        lock (s_lock)
        {
            if (s_live.Count == 0 || address < s_live.Min!.Address)
            {
                return null;
            }

            candidate = s_live.GetViewBetween(s_live.Min, new Entry(address, null)).Max?.Memory;
        }

        if (candidate is null || length > candidate.MappedLength - (address - candidate.Address))
        {
            return null;
        }

        // Released while we looked: its pages are on their way out, so it holds nothing.
        return candidate.TryAddRef() ? candidate : null;
    }

    private sealed record Entry(nint Address, PinnedMemory? Memory);
}
