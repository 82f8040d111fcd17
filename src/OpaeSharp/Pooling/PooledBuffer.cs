using System.Buffers;

namespace OpaeSharp.Pooling;

/// <summary>
/// A buffer rented from a <see cref="SharedBufferPool"/>: pinned, mapped for device DMA and
/// all zero when rented. Dispose gives it back; it must not be used, nor its IO address given to
/// the device, afterwards.
/// </summary>
public sealed class PooledBuffer : IMemoryOwner<byte>
{
    private readonly SharedBufferPool _pool;
    private SharedBuffer? _buffer;

    internal PooledBuffer(SharedBufferPool pool, SharedBuffer buffer, long requestedLength)
    {
        _pool = pool;
        _buffer = buffer;
        RequestedLength = requestedLength;
    }

    /// <summary>The prepared buffer underneath (its length is the size class, at least the request).</summary>
    public SharedBuffer Buffer => Volatile.Read(ref _buffer) ?? throw new ObjectDisposedException(nameof(PooledBuffer), "the buffer was returned to its pool");

    /// <summary>The whole buffer, at least as long as requested.</summary>
    public Memory<byte> Memory => Buffer.Memory;

    /// <summary>The whole buffer, at least as long as requested.</summary>
    public Span<byte> Span => Buffer.Span;

    /// <summary>The address the accelerator uses for the first byte.</summary>
    public ulong IoAddress => Buffer.IoAddress;

    /// <summary>The underlying buffer's workspace id.</summary>
    public ulong WorkspaceId => Buffer.WorkspaceId;

    /// <summary>Usable length in bytes: the request rounded up to the pool's size class.</summary>
    public long Length => Buffer.Length;

    /// <summary>What the caller asked for.</summary>
    public long RequestedLength { get; }

    /// <summary>True once returned.</summary>
    public bool IsReturned => Volatile.Read(ref _buffer) is null;

    /// <summary>Returns the buffer to its pool. Idempotent.</summary>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            _pool.Return(buffer);
        }
    }
}
