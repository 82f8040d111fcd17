namespace OpaeSharp.Pooling;

/// <summary>How a <see cref="SharedBufferPool"/> sizes, bounds and trims what it keeps.</summary>
public sealed class SharedBufferPoolOptions
{
    /// <summary>Names the pool in the metrics (tag <c>opaesharp.pool.name</c>). Default "default".</summary>
    public string Name { get; init; } = "default";

    /// <summary>
    /// The largest buffer the pool keeps (default 64 MiB, at most 1 GiB). Larger requests are
    /// prepared and released directly, and count as misses.
    /// </summary>
    public long MaxPooledLength { get; init; } = 64L << 20;

    /// <summary>Idle bytes the pool may hold (default 256 MiB); a buffer returned past this is released.</summary>
    public long MaxRetainedBytes { get; init; } = 256L << 20;

    /// <summary>Idle buffers the pool may hold (default 1024); a buffer returned past this is released.</summary>
    public int MaxRetainedBuffers { get; init; } = 1024;

    /// <summary>
    /// How long a buffer may sit idle before a background trim releases it (default 30 s);
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns the background trim off. Trimming runs every
    /// <c>IdleTimeout</c>, so a buffer is released between one and two timeouts after its return.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Flags every buffer is prepared with: <see cref="BufferFlags.None"/> or <see cref="BufferFlags.ReadOnly"/>.</summary>
    public BufferFlags Flags { get; init; } = BufferFlags.None;

    /// <summary>The clock idle times are measured with (tests substitute their own).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
