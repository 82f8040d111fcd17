using System.Buffers;

namespace OpaeSharp.Pooling;

/// <summary>
/// A buffer rented from a <see cref="SharedBufferPool"/>: pinned, mapped for device DMA and
/// all zero when rented. Dispose gives it back; it must not be used, nor its IO address given to
/// the device, afterwards.
/// </summary>
/// <remarks>
/// <see cref="Memory"/> belongs to this rental, not to the buffer underneath: once the rental is
/// returned it throws <see cref="ObjectDisposedException"/>, so a stale <see cref="Memory{T}"/> can
/// never write into the buffer's next renter. A <c>Memory.Pin()</c> handle still held when the
/// rental is returned keeps the memory mapped, and the pool releases that buffer instead of
/// handing it out again. Thread-safe.
/// </remarks>
public sealed class PooledBuffer : IMemoryOwner<byte>
{
    private readonly SharedBufferPool _pool;
    private SharedBuffer? _buffer;
    private RentalMemory? _memory;
    private int _pins;

    internal PooledBuffer(SharedBufferPool pool, SharedBuffer buffer, long requestedLength)
    {
        _pool = pool;
        _buffer = buffer;
        RequestedLength = requestedLength;
    }

    /// <summary>The prepared buffer underneath (its length is the size class, at least the request).</summary>
    public SharedBuffer Buffer => Volatile.Read(ref _buffer) ?? throw new ObjectDisposedException(nameof(PooledBuffer), "the buffer was returned to its pool");

    /// <summary>The whole buffer (up to 2 GiB), at least as long as requested; unusable once returned.</summary>
    public Memory<byte> Memory
    {
        get
        {
            var buffer = Buffer;
            if (buffer.Length > int.MaxValue)
            {
                throw new InvalidOperationException($"buffer of {buffer.Length} bytes is larger than a Memory<byte>; use Buffer.GetSpan(offset, length)");
            }

            var memory = Volatile.Read(ref _memory);
            if (memory is null)
            {
                Interlocked.CompareExchange(ref _memory, new RentalMemory(this, buffer), null);
                memory = _memory;
            }

            return memory!.Memory;
        }
    }

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
            // Paired with Pin's increment-then-read: either the pin sees the rental gone, or we see the pin.
            _pool.Return(buffer, stillPinned: Volatile.Read(ref _pins) != 0);
        }
    }

    /// <summary>This rental's view of the buffer's memory.</summary>
    private sealed unsafe class RentalMemory(PooledBuffer rental, SharedBuffer buffer) : MemoryManager<byte>
    {
        public override Span<byte> GetSpan()
        {
            ObjectDisposedException.ThrowIf(rental.IsReturned, rental);
            return buffer.GetSpan(0, (int)buffer.Length);
        }

        public override MemoryHandle Pin(int elementIndex = 0)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, buffer.Length);
            Interlocked.Increment(ref rental._pins);
            if (rental.IsReturned || !buffer.TryAcquireMemory())
            {
                Interlocked.Decrement(ref rental._pins);
                throw new ObjectDisposedException(nameof(PooledBuffer), "the buffer was returned to its pool");
            }

            return new MemoryHandle((byte*)buffer.Address + elementIndex, pinnable: this);
        }

        public override void Unpin()
        {
            buffer.ReleaseMemory();
            Interlocked.Decrement(ref rental._pins);
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
