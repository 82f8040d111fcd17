using System.Buffers;

namespace OpaeSharp.Pooling;

/// <summary>
/// A <see cref="SharedBufferPool"/> where .NET expects a <see cref="MemoryPool{T}"/>
/// (<c>new PipeOptions(pool: pool.AsMemoryPool())</c>): every block it rents is a pinned,
/// device-mapped buffer.
/// </summary>
internal sealed class SharedBufferMemoryPool(SharedBufferPool pool) : MemoryPool<byte>
{
    private const int DefaultBlock = 4096;

    /// <summary>The largest block the pool keeps for reuse; larger rents work, prepared and released each time.</summary>
    public override int MaxBufferSize => (int)Math.Min(pool.Options.MaxPooledLength, int.MaxValue);

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minBufferSize, -1);
        return pool.Rent(minBufferSize <= 0 ? DefaultBlock : minBufferSize);
    }

    protected override void Dispose(bool disposing)
    {
        // The SharedBufferPool owns the buffers; this is only a view of it.
    }
}
