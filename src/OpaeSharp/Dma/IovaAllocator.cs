using OpaeSharp.Collections;

namespace OpaeSharp.Dma;

/// <summary>
/// Hands out device (IO) address ranges from a window: page aligned (aligned to the buffer's page
/// size, so a hugepage maps with one IOTLB entry), disjoint, and reused after release. A guard gap
/// can be kept after each range so that a DMA running off the end of one buffer hits unmapped
/// space instead of the next buffer. Thread-safe; the lock is never held across a syscall.
/// </summary>
/// <remarks>
/// The free ranges are two sorted arrays edited in place: taking the front of a free range or
/// merging a freed one into a neighbour moves nothing, so the common prepare and release cost one
/// binary search and no allocation (a SortedList spent a quarter of the library's own time on a
/// 4 KiB prepare+release on key shuffling: bench/RESULTS.md).
/// </remarks>
internal sealed class IovaAllocator
{
    // Not readonly: a SpinLock is a mutable struct.
    private SpinLock _lock = new(enableThreadOwnerTracking: false);
    private readonly ulong _guard;

    // Free ranges sorted by start, disjoint and never adjacent (adjacent ones are merged).
    private ulong[] _starts = new ulong[8];
    private ulong[] _sizes = new ulong[8];
    private int _count;

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
        _starts[0] = start;
        _sizes[0] = end - start;
        _count = 1;
    }

    internal ulong Start { get; }

    internal ulong End { get; }

    /// <summary>Free bytes left in the window.</summary>
    internal ulong FreeBytes
    {
        get
        {
            using (new SpinLockScope(ref _lock))
            {
                ulong sum = 0;
                for (var i = 0; i < _count; i++)
                {
                    sum += _sizes[i];
                }

                return sum;
            }
        }
    }

    /// <summary>Allocates <paramref name="length"/> bytes aligned to <paramref name="alignment"/>; false when the window is full.</summary>
    internal bool TryAllocate(ulong length, ulong alignment, out ulong iova)
    {
        var need = length + _guard;
        using (new SpinLockScope(ref _lock))
        {
            for (var i = 0; i < _count; i++)
            {
                var start = _starts[i];
                var size = _sizes[i];
                var aligned = (start + alignment - 1) & ~(alignment - 1);
                var lead = aligned - start;
                if (aligned < start || lead > size || size - lead < need)
                {
                    continue;
                }

                var tail = size - lead - need;
                if (lead == 0 && tail == 0)
                {
                    RemoveAt(i);
                }
                else if (lead == 0)
                {
                    _starts[i] = aligned + need;
                    _sizes[i] = tail;
                }
                else
                {
                    _sizes[i] = lead;
                    if (tail > 0)
                    {
                        InsertAt(i + 1, aligned + need, tail);
                    }
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
        var size = length + _guard;
        using (new SpinLockScope(ref _lock))
        {
            // The first free range starting above iova; the one before it must end at or below iova.
            var next = UpperBound(iova);
            var previous = next - 1;
            if ((previous >= 0 && _starts[previous] + _sizes[previous] > iova) || (next < _count && _starts[next] < iova + size))
            {
                throw new InvalidOperationException($"IO address 0x{iova:x}+{length} freed twice");
            }

            var joinsPrevious = previous >= 0 && _starts[previous] + _sizes[previous] == iova;
            var joinsNext = next < _count && iova + size == _starts[next];
            if (joinsPrevious && joinsNext)
            {
                _sizes[previous] += size + _sizes[next];
                RemoveAt(next);
            }
            else if (joinsPrevious)
            {
                _sizes[previous] += size;
            }
            else if (joinsNext)
            {
                _starts[next] = iova;
                _sizes[next] += size;
            }
            else
            {
                InsertAt(next, iova, size);
            }
        }
    }

    /// <summary>Index of the first free range starting above <paramref name="address"/> (the count when none does).</summary>
    private int UpperBound(ulong address)
    {
        int lo = 0, hi = _count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_starts[mid] <= address)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private void InsertAt(int index, ulong start, ulong size)
    {
        if (_count == _starts.Length)
        {
            Array.Resize(ref _starts, _count * 2);
            Array.Resize(ref _sizes, _count * 2);
        }

        Array.Copy(_starts, index, _starts, index + 1, _count - index);
        Array.Copy(_sizes, index, _sizes, index + 1, _count - index);
        _starts[index] = start;
        _sizes[index] = size;
        _count++;
    }

    private void RemoveAt(int index)
    {
        _count--;
        Array.Copy(_starts, index + 1, _starts, index, _count - index);
        Array.Copy(_sizes, index + 1, _sizes, index, _count - index);
    }
}
