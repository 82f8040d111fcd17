using System.Collections.Immutable;

namespace OpaeSharp.Memory;

/// <summary>
/// The buffer memory the library has mapped and not yet unmapped, by address, process-wide (an
/// address is the process's, whichever handle prepared it). A PREALLOCATED buffer made of memory
/// inside one of these takes a reference on it, so releasing the allocated buffer leaves its mapping
/// in place until the buffer inside it is released too.
/// </summary>
/// <remarks>Lookups take no lock: they read an immutable sorted set that adds and removes replace.</remarks>
internal static class AllocationRegistry
{
    private static readonly Comparer<Entry> s_byAddress = Comparer<Entry>.Create((a, b) => a.Address.CompareTo(b.Address));
    private static readonly Lock s_write = new();
    private static ImmutableSortedSet<Entry> s_live = ImmutableSortedSet.Create<Entry>(s_byAddress);

    internal static int Count => Volatile.Read(ref s_live).Count;

    internal static void Add(PinnedMemory allocation)
    {
        lock (s_write)
        {
            Volatile.Write(ref s_live, s_live.Add(new Entry(allocation.Address, allocation)));
        }
    }

    internal static void Remove(PinnedMemory allocation)
    {
        lock (s_write)
        {
            Volatile.Write(ref s_live, s_live.Remove(new Entry(allocation.Address, null)));
        }
    }

    /// <summary>
    /// The live allocation that holds all of <paramref name="address"/>..+<paramref name="length"/>,
    /// with a reference taken on it for the caller to release; null when there is none.
    /// </summary>
    internal static PinnedMemory? AcquireContaining(nint address, long length)
    {
        var live = Volatile.Read(ref s_live);
        if (live.Count == 0)
        {
            return null;
        }

        var index = live.IndexOf(new Entry(address, null));
        index = index >= 0 ? index : ~index - 1;
        if (index < 0)
        {
            return null;
        }

        var candidate = live[index].Memory!;
        if (address < candidate.Address || length > candidate.MappedLength - (address - candidate.Address))
        {
            return null;
        }

        // Released while we looked: its pages are on their way out, so it holds nothing.
        return candidate.TryAddRef() ? candidate : null;
    }

    private sealed record Entry(nint Address, PinnedMemory? Memory);
}
