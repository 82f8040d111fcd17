namespace OpaeSharp.Pooling;

/// <summary>A snapshot of what a <see cref="SharedBufferPool"/> has done and holds.</summary>
/// <param name="Hits">Rents served from an idle buffer.</param>
/// <param name="Misses">Rents that had to prepare a buffer.</param>
/// <param name="Rented">Buffers rented and not yet returned.</param>
/// <param name="RetainedBuffers">Idle buffers held for reuse.</param>
/// <param name="RetainedBytes">Bytes of the idle buffers.</param>
/// <param name="Trimmed">Idle buffers released by trimming.</param>
public readonly record struct SharedBufferPoolStatistics(
    long Hits,
    long Misses,
    long Rented,
    long RetainedBuffers,
    long RetainedBytes,
    long Trimmed)
{
    /// <summary>Hits over all rents; 0 before the first rent.</summary>
    public double HitRate => Hits + Misses == 0 ? 0 : (double)Hits / (Hits + Misses);
}
