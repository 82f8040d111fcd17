using OpaeSharp.Interop;

namespace OpaeSharp.Memory;

/// <summary>
/// The ranges this process has pinned for DMA. mlock does not count: one munlock undoes any number
/// of mlocks of a page. When two buffers share pages (a caller attaches the same memory twice, or
/// attaches part of a buffer we allocated) the registry unlocks only the pages no other live buffer
/// still needs.
/// </summary>
internal static class PinRegistry
{
    private static readonly Lock s_lock = new();
    private static readonly List<(nint Start, nint End)> s_ranges = [];

    internal static Errno Pin(nint start, long length)
    {
        // mlock can block while it faults pages in: never under the registry lock.
        var errno = Libc.Mlock(start, (nuint)length);
        if (errno == Errno.None)
        {
            lock (s_lock)
            {
                s_ranges.Add((start, start + (nint)length));
            }
        }

        return errno;
    }

    /// <summary>Forgets a range and unlocks the parts of it that no other pinned range covers.</summary>
    internal static void Unpin(nint start, long length, bool unlock)
    {
        List<(nint Start, nint End)> uncovered;
        lock (s_lock)
        {
            var index = s_ranges.IndexOf((start, start + (nint)length));
            if (index < 0)
            {
                return;
            }

            s_ranges.RemoveAt(index);
            if (!unlock)
            {
                return;
            }

            uncovered = Subtract(start, start + (nint)length, s_ranges);
        }

        foreach (var (s, e) in uncovered)
        {
            Libc.Munlock(s, (nuint)(e - s));
        }
    }

    private static List<(nint Start, nint End)> Subtract(nint start, nint end, List<(nint Start, nint End)> others)
    {
        var pieces = new List<(nint Start, nint End)> { (start, end) };
        foreach (var (os, oe) in others)
        {
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
}
