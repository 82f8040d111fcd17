namespace OpaeSharp.Pooling;

/// <summary>
/// The idle buffers of one length, newest last. Rent takes the newest (its pages are the most
/// likely to still be in cache); trimming takes the oldest. The lock covers list operations only,
/// never a release, which is a syscall.
/// </summary>
internal sealed class SizeClass(long length)
{
    private readonly Lock _lock = new();
    private readonly List<(SharedBuffer Buffer, long ReturnedAt)> _idle = [];

    internal long Length { get; } = length;

    internal int Count
    {
        get
        {
            lock (_lock)
            {
                return _idle.Count;
            }
        }
    }

    internal bool TryTake(out SharedBuffer buffer)
    {
        lock (_lock)
        {
            if (_idle.Count > 0)
            {
                buffer = _idle[^1].Buffer;
                _idle.RemoveAt(_idle.Count - 1);
                return true;
            }
        }

        buffer = null!;
        return false;
    }

    internal void Put(SharedBuffer buffer, long returnedAt)
    {
        lock (_lock)
        {
            _idle.Add((buffer, returnedAt));
        }
    }

    /// <summary>Moves every buffer returned at or before <paramref name="cutoff"/> into <paramref name="into"/>.</summary>
    internal void TakeIdleSince(long cutoff, List<SharedBuffer> into)
    {
        lock (_lock)
        {
            var old = 0;
            while (old < _idle.Count && _idle[old].ReturnedAt <= cutoff)
            {
                into.Add(_idle[old].Buffer);
                old++;
            }

            _idle.RemoveRange(0, old);
        }
    }
}
