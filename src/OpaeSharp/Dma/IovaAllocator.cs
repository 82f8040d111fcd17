namespace OpaeSharp.Dma;

/// <summary>
/// Hands out device (IO) address ranges from a window: page aligned (aligned to the buffer's page
/// size, so a hugepage maps with one IOTLB entry), disjoint, and reused after release. A guard gap
/// can be kept after each range so that a DMA running off the end of one buffer hits unmapped
/// space instead of the next buffer. Thread-safe; the lock is never held across a syscall.
/// </summary>
internal sealed class IovaAllocator
{
    private readonly Lock _lock = new();

    // Free ranges sorted by start; adjacent ones are merged on free.
    private readonly SortedList<ulong, ulong> _free = [];
    private readonly ulong _guard;

    /// <param name="start">First usable IO address (page aligned).</param>
    /// <param name="end">One past the last usable IO address, e.g. 1 &lt;&lt; addressWidth.</param>
    /// <param name="guard">Bytes left unmapped after each range.</param>
    internal IovaAllocator(ulong start, ulong end, ulong guard = 0)
    {
        if (end <= start || (start & 0xFFF) != 0 || (guard & 0xFFF) != 0)
        {
            throw new ArgumentException($"bad IO address window 0x{start:x}..0x{end:x}");
        }

        Start = start;
        End = end;
        _guard = guard;
        _free.Add(start, end - start);
    }

    internal ulong Start { get; }

    internal ulong End { get; }

    /// <summary>Allocates <paramref name="length"/> bytes aligned to <paramref name="alignment"/>; false when the window is full.</summary>
    internal bool TryAllocate(ulong length, ulong alignment, out ulong iova)
    {
        var need = length + _guard;
        lock (_lock)
        {
            for (var i = 0; i < _free.Count; i++)
            {
                var start = _free.Keys[i];
                var size = _free.Values[i];
                var aligned = (start + alignment - 1) & ~(alignment - 1);
                var lead = aligned - start;
                if (aligned < start || lead > size || size - lead < need)
                {
                    continue;
                }

                _free.RemoveAt(i);
                if (lead > 0)
                {
                    _free.Add(start, lead);
                }

                var tail = size - lead - need;
                if (tail > 0)
                {
                    _free.Add(aligned + need, tail);
                }

                iova = aligned;
                return true;
            }
        }

        iova = 0;
        return false;
    }

    /// <summary>Returns a range from <see cref="TryAllocate"/> to the window.</summary>
    internal void Free(ulong iova, ulong length)
    {
        var start = iova;
        var size = length + _guard;
        lock (_lock)
        {
            var index = _free.IndexOfKey(start);
            if (index >= 0)
            {
                throw new InvalidOperationException($"IO address 0x{iova:x} freed twice");
            }

            // Merge with the free neighbour before and after.
            var before = LastBefore(start);
            if (before >= 0 && _free.Keys[before] + _free.Values[before] == start)
            {
                start = _free.Keys[before];
                size += _free.Values[before];
                _free.RemoveAt(before);
            }

            if (_free.TryGetValue(start + size, out var afterSize))
            {
                _free.Remove(start + size);
                size += afterSize;
            }

            _free.Add(start, size);
        }
    }

    /// <summary>Free bytes left in the window.</summary>
    internal ulong FreeBytes
    {
        get
        {
            lock (_lock)
            {
                ulong sum = 0;
                foreach (var size in _free.Values)
                {
                    sum += size;
                }

                return sum;
            }
        }
    }

    private int LastBefore(ulong address)
    {
        int lo = 0, hi = _free.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (_free.Keys[mid] < address)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }
}
