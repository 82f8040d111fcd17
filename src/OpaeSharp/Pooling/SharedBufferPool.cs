using System.Buffers;
using System.Numerics;
using Microsoft.Extensions.Logging;
using OpaeSharp.Diagnostics;

namespace OpaeSharp.Pooling;

/// <summary>
/// Keeps prepared buffers for reuse, for programs that would otherwise prepare and release a
/// buffer per operation: pinning and mapping cost far more than zeroing a buffer that is already
/// pinned and mapped.
/// </summary>
/// <remarks>
/// <para>Requests are rounded up to a power-of-two size class (4 KiB, 8 KiB, … up to
/// <see cref="SharedBufferPoolOptions.MaxPooledLength"/>); a rent takes an idle buffer of that
/// class (a hit) or prepares a new one (a miss). A returned buffer is zeroed, so every rent sees
/// zeros as a fresh buffer would, and kept while the pool is under its bounds
/// (<see cref="SharedBufferPoolOptions.MaxRetainedBytes"/>, <see cref="SharedBufferPoolOptions.MaxRetainedBuffers"/>);
/// otherwise it is released. Buffers idle longer than <see cref="SharedBufferPoolOptions.IdleTimeout"/>
/// are released in the background, and <see cref="Trim()"/> releases every idle buffer at once.</para>
/// <para>All members are thread-safe. Hits and misses are counted in the <c>OpaeSharp</c> meter
/// (<c>opaesharp.pool.hits</c>, <c>opaesharp.pool.misses</c>, <c>opaesharp.pool.hit_ratio</c>).
/// Disposing the pool releases its idle buffers; buffers still rented are released when returned.</para>
/// </remarks>
public sealed class SharedBufferPool : IDisposable
{
    private const int SmallestClassShift = 12;
    private const long LargestPooledLength = 1L << 30;

    private readonly Accelerator _accelerator;
    private readonly SharedBufferPoolOptions _options;
    private readonly SizeClass[] _classes;
    private readonly KeyValuePair<string, object?> _tag;
    private readonly ITimer? _trimTimer;
    private SharedBufferMemoryPool? _memoryPool;
    private long _hits;
    private long _misses;
    private long _rented;
    private long _retainedBuffers;
    private long _retainedBytes;
    private long _trimmed;
    private int _disposed;

    /// <summary>Creates a pool of buffers prepared on <paramref name="accelerator"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public SharedBufferPool(Accelerator accelerator, SharedBufferPoolOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        options ??= new SharedBufferPoolOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxPooledLength, 1L << SmallestClassShift, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxPooledLength, LargestPooledLength, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRetainedBytes, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRetainedBuffers, nameof(options));
        if (options.IdleTimeout <= TimeSpan.Zero && options.IdleTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.IdleTimeout, "IdleTimeout must be positive or Timeout.InfiniteTimeSpan");
        }

        if ((options.Flags & ~BufferFlags.ReadOnly) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Flags, "a pool prepares its own buffers: only BufferFlags.ReadOnly applies");
        }

        _accelerator = accelerator;
        _options = options;
        _tag = new("opaesharp.pool.name", options.Name);
        var largest = BitOperations.Log2(BitOperations.RoundUpToPowerOf2((ulong)options.MaxPooledLength));
        _classes = new SizeClass[largest - SmallestClassShift + 1];
        for (var i = 0; i < _classes.Length; i++)
        {
            _classes[i] = new SizeClass(1L << (i + SmallestClassShift));
        }

        if (options.IdleTimeout != Timeout.InfiniteTimeSpan)
        {
            // A weak reference: the timer must not keep a forgotten pool (and its pinned memory) alive.
            var self = new WeakReference<SharedBufferPool>(this);
            _trimTimer = options.TimeProvider.CreateTimer(
                static state =>
                {
                    if (((WeakReference<SharedBufferPool>)state!).TryGetTarget(out var pool))
                    {
                        pool.Trim(pool._options.IdleTimeout);
                    }
                },
                self,
                options.IdleTimeout,
                options.IdleTimeout);
        }
    }

    /// <summary>The accelerator the buffers are prepared on.</summary>
    public Accelerator Accelerator => _accelerator;

    /// <summary>The options the pool was created with.</summary>
    public SharedBufferPoolOptions Options => _options;

    /// <summary>Counts of what the pool has done and holds now.</summary>
    public SharedBufferPoolStatistics Statistics => new(
        Interlocked.Read(ref _hits),
        Interlocked.Read(ref _misses),
        Interlocked.Read(ref _rented),
        Interlocked.Read(ref _retainedBuffers),
        Interlocked.Read(ref _retainedBytes),
        Interlocked.Read(ref _trimmed));

    /// <summary>
    /// A zero-filled buffer of at least <paramref name="minimumLength"/> bytes, pinned and mapped
    /// for device DMA: an idle one when the pool has one of that size class, else a new one.
    /// </summary>
    /// <exception cref="OpaeException">As <see cref="Accelerator.PrepareBuffer"/> when a new buffer cannot be prepared.</exception>
    /// <exception cref="ObjectDisposedException">The pool is disposed.</exception>
    public PooledBuffer Rent(long minimumLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minimumLength);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var sizeClass = ClassFor(minimumLength);
        if (sizeClass is not null)
        {
            while (sizeClass.TryTake(out var idle))
            {
                Unretain(idle.Length);

                // Closing the accelerator releases every buffer, idle ones included.
                if (idle.IsReleased)
                {
                    continue;
                }

                Interlocked.Increment(ref _hits);
                Interlocked.Increment(ref _rented);
                OpaeMetrics.RecordPoolRent(hit: true, _tag);
                return new PooledBuffer(this, idle, minimumLength);
            }
        }

        var buffer = _accelerator.PrepareBuffer(sizeClass?.Length ?? minimumLength, _options.Flags);
        Interlocked.Increment(ref _misses);
        Interlocked.Increment(ref _rented);
        OpaeMetrics.RecordPoolRent(hit: false, _tag);
        return new PooledBuffer(this, buffer, minimumLength);
    }

    /// <summary>
    /// This pool as a <see cref="MemoryPool{T}"/>, for APIs that take one (System.IO.Pipelines'
    /// <c>PipeOptions(pool: ...)</c>, …). Its blocks are this pool's rentals: pinned and mapped for
    /// the device, zero-filled, <see cref="MemoryPool{T}.MaxBufferSize"/> is
    /// <see cref="SharedBufferPoolOptions.MaxPooledLength"/>. Disposing the view does nothing; dispose this pool.
    /// </summary>
    public MemoryPool<byte> AsMemoryPool()
    {
        var view = Volatile.Read(ref _memoryPool);
        if (view is null)
        {
            Interlocked.CompareExchange(ref _memoryPool, new SharedBufferMemoryPool(this), null);
            view = _memoryPool!;
        }

        return view;
    }

    /// <summary>Releases every idle buffer now; returns how many.</summary>
    public int Trim() => Trim(TimeSpan.Zero);

    /// <summary>Releases the buffers idle for at least <paramref name="idleFor"/>; returns how many.</summary>
    public int Trim(TimeSpan idleFor)
    {
        var provider = _options.TimeProvider;
        var cutoff = provider.GetTimestamp() - (long)(idleFor.TotalSeconds * provider.TimestampFrequency);
        var expired = new List<SharedBuffer>();
        foreach (var sizeClass in _classes)
        {
            sizeClass.TakeIdleSince(cutoff, expired);
        }

        foreach (var buffer in expired)
        {
            Unretain(buffer.Length);
            buffer.Dispose();
        }

        if (expired.Count > 0)
        {
            Interlocked.Add(ref _trimmed, expired.Count);
            OpaeMetrics.PoolTrimmed.Add(expired.Count, _tag);
            OpaeLogging.Logger.LogDebug("pool {Pool} released {Count} idle buffer(s)", _options.Name, expired.Count);
        }

        return expired.Count;
    }

    /// <summary>Releases the idle buffers and stops the background trim. Buffers still rented are released when returned.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _trimTimer?.Dispose();
        Trim();
    }

    /// <summary>Takes a buffer back from a <see cref="PooledBuffer"/>; one still pinned by its renter is released, never reused.</summary>
    internal void Return(SharedBuffer buffer, bool stillPinned = false)
    {
        Interlocked.Decrement(ref _rented);
        var sizeClass = ClassOf(buffer.Length);
        if (stillPinned || sizeClass is null || Volatile.Read(ref _disposed) != 0 || buffer.IsReleased || !TryRetain(buffer.Length))
        {
            buffer.Dispose();
            return;
        }

        try
        {
            buffer.Fill(0);
        }
        catch (ObjectDisposedException)
        {
            // The accelerator was closed while we zeroed: nothing left to keep.
            Unretain(buffer.Length);
            return;
        }

        sizeClass.Put(buffer, _options.TimeProvider.GetTimestamp());

        // Dispose may have drained the classes between our check and the put.
        if (Volatile.Read(ref _disposed) != 0)
        {
            Trim();
        }
    }

    private bool TryRetain(long length)
    {
        var buffers = Interlocked.Increment(ref _retainedBuffers);
        var bytes = Interlocked.Add(ref _retainedBytes, length);
        if (buffers > _options.MaxRetainedBuffers || bytes > _options.MaxRetainedBytes)
        {
            Interlocked.Decrement(ref _retainedBuffers);
            Interlocked.Add(ref _retainedBytes, -length);
            return false;
        }

        OpaeMetrics.PoolRetainedBytes.Add(length, _tag);
        return true;
    }

    private void Unretain(long length)
    {
        Interlocked.Decrement(ref _retainedBuffers);
        Interlocked.Add(ref _retainedBytes, -length);
        OpaeMetrics.PoolRetainedBytes.Add(-length, _tag);
    }

    private SizeClass? ClassFor(long length)
    {
        if (length > _options.MaxPooledLength)
        {
            return null;
        }

        var size = BitOperations.RoundUpToPowerOf2((ulong)Math.Max(length, 1L << SmallestClassShift));
        return _classes[BitOperations.Log2(size) - SmallestClassShift];
    }

    private SizeClass? ClassOf(long length)
    {
        if (!BitOperations.IsPow2(length) || length < 1L << SmallestClassShift)
        {
            return null;
        }

        var index = BitOperations.Log2((ulong)length) - SmallestClassShift;
        return index < _classes.Length ? _classes[index] : null;
    }
}
