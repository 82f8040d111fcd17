using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OpaeSharp.Interop;

namespace OpaeSharp.Memory;

/// <summary>
/// The ranges this process has mlocked for DMA. mlock does not count: one munlock undoes any number
/// of mlocks of a page. When two buffers share pages (a caller attaches the same memory twice, or
/// attaches part of a buffer we allocated) the registry unlocks only the pages no other live buffer
/// still needs. Process-wide, as locks are; only buffers of devices whose driver does not pin
/// (the simulator) come here.
/// </summary>
/// <remarks>
/// Pin and forget are O(1); only unlocking caller memory walks the live ranges, to find overlaps.
/// No system call runs under the lock.
/// </remarks>
internal static class PinRegistry
{
    private static readonly Lock s_lock = new();

    // Range -> how many live buffers pinned exactly that range.
    private static readonly Dictionary<(nint Start, nint End), int> s_ranges = new(RangeComparer.Instance);

    internal static Errno Pin(IKernel kernel, nint start, long length)
    {
        var errno = kernel.Mlock(start, (nuint)length);
        if (errno == Errno.None)
        {
            lock (s_lock)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(s_ranges, (start, start + (nint)length), out _)++;
            }
        }

        return errno;
    }

    /// <summary>Forgets a range and, when <paramref name="unlock"/>, unlocks the parts no other pinned range covers.</summary>
    internal static void Unpin(IKernel kernel, nint start, long length, bool unlock)
    {
        var key = (start, start + (nint)length);
        List<(nint Start, nint End)> uncovered;
        lock (s_lock)
        {
            ref var count = ref CollectionsMarshal.GetValueRefOrNullRef(s_ranges, key);
            if (Unsafe.IsNullRef(ref count))
            {
                return;
            }

            if (count > 1)
            {
                // The same range is still pinned by another buffer: nothing to unlock.
                count--;
                return;
            }

            s_ranges.Remove(key);
            if (!unlock)
            {
                return;
            }

            uncovered = Subtract(key.Item1, key.Item2, s_ranges.Keys);
        }

        foreach (var (s, e) in uncovered)
        {
            kernel.Munlock(s, (nuint)(e - s));
        }
    }

    private static List<(nint Start, nint End)> Subtract(nint start, nint end, IEnumerable<(nint Start, nint End)> others)
    {
        var pieces = new List<(nint Start, nint End)> { (start, end) };
        foreach (var (os, oe) in others)
        {
            if (oe <= start || os >= end)
            {
                continue;
            }

            var next = new List<(nint Start, nint End)>(pieces.Count + 1);
            foreach (var (ps, pe) in pieces)
            {
                if (oe <= ps || os >= pe)
                {
                    next.Add((ps, pe));
                    continue;
                }

                if (os > ps)
                {
                    next.Add((ps, os));
                }

                if (oe < pe)
                {
                    next.Add((oe, pe));
                }
            }

            pieces = next;
        }

        return pieces;
    }

    /// <summary>
    /// Page numbers hash well as they are; ValueTuple's default hash (HashCode.Combine with a
    /// per-process seed) cost more than the rest of the registry's work on a prepare.
    /// </summary>
    private sealed class RangeComparer : IEqualityComparer<(nint Start, nint End)>
    {
        internal static readonly RangeComparer Instance = new();

        public bool Equals((nint Start, nint End) x, (nint Start, nint End) y) => x.Start == y.Start && x.End == y.End;

        public int GetHashCode((nint Start, nint End) range) => (int)((ulong)range.Start >> 12) ^ ((int)((ulong)range.End >> 12) * 31);
    }
}
