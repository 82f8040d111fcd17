using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using OpaeSharp.Devices;
using OpaeSharp.Memory;

namespace OpaeSharp;

/// <summary>
/// Host memory shared with an accelerator: pinned, mapped for device DMA, and addressed by the
/// device at <see cref="IoAddress"/>. Dispose releases it (<c>fpgaReleaseBuffer</c>).
/// </summary>
/// <remarks>
/// <para>All members are thread-safe, <see cref="Dispose"/> included. The accessors (<see cref="Read{T}"/>,
/// <see cref="Write{T}"/>, <see cref="Fill(byte)"/>, <see cref="Compare"/>, <see cref="Poll{T}(long, T, T, TimeSpan)"/>)
/// hold the memory while they run, so a <see cref="Dispose"/> on another thread waits for them (the
/// pages are unmapped when the last one finishes); called after the release they throw
/// <see cref="ObjectDisposedException"/>. <see cref="Memory"/> checks on every use and throws
/// <see cref="ObjectDisposedException"/> once released; a <see cref="System.Buffers.MemoryHandle"/>
/// from <c>Memory.Pin()</c> keeps the pages mapped until it is disposed, even across a release.</para>
/// <para>A <see cref="Span"/> (or <see cref="GetSpan"/>) is a bare view: it is checked when taken
/// but cannot hold the memory, so it must not be used after, or while another thread does, the
/// release; hold a <c>Memory.Pin()</c> handle for as long as a span must outlive a concurrent
/// Dispose. The same holds for <see cref="Address"/>.</para>
/// </remarks>
public sealed class SharedBuffer : IDisposable
{
    private readonly PinnedMemory _memory;
    private NativeMemoryManager? _manager;
    private int _released;

    internal SharedBuffer(Accelerator owner, ulong workspaceId, PinnedMemory memory, ulong ioAddress, BufferFlags flags)
    {
        Accelerator = owner;
        WorkspaceId = workspaceId;
        _memory = memory;
        IoAddress = ioAddress;
        Flags = flags & (BufferFlags.Preallocated | BufferFlags.ReadOnly);
        if (Accelerator.TrackLeaks)
        {
            PreparedAt = new StackTrace(2, fNeedFileInfo: true);
        }
    }

    /// <summary>The handle the buffer was prepared on.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>The workspace id (<c>wsid</c>): unique in the process, never 0, never reused.</summary>
    public ulong WorkspaceId { get; }

    /// <summary>The address the accelerator uses for the first byte. Not the virtual address.</summary>
    public ulong IoAddress { get; }

    /// <summary>The buffer's virtual address in this process.</summary>
    public nint Address => _memory.Address;

    /// <summary>Usable length in bytes: the requested length rounded up to 4 KiB.</summary>
    public long Length => _memory.Length;

    /// <summary>The size of the pages backing the buffer: 4096, 2 MiB or 1 GiB.</summary>
    public long PageSize => _memory.PageSize;

    /// <summary>The flags that shape the buffer (<see cref="BufferFlags.Preallocated"/>, <see cref="BufferFlags.ReadOnly"/>).</summary>
    public BufferFlags Flags { get; }

    /// <summary>True when the device may only read the buffer.</summary>
    public bool IsReadOnly => (Flags & BufferFlags.ReadOnly) != 0;

    /// <summary>True when the memory belongs to the caller (attached, not allocated).</summary>
    public bool IsPreallocated => (Flags & BufferFlags.Preallocated) != 0;

    /// <summary>True once released.</summary>
    public bool IsReleased => Volatile.Read(ref _released) != 0;

    /// <summary>The whole buffer (buffers over 2 GiB: use <see cref="GetSpan"/>).</summary>
    public unsafe Span<byte> Span
    {
        get
        {
            ThrowIfReleased();
            if (Length > int.MaxValue)
            {
                throw new InvalidOperationException($"buffer of {Length} bytes is larger than a Span; use GetSpan(offset, length)");
            }

            return new Span<byte>((void*)Address, (int)Length);
        }
    }

    /// <summary>The whole buffer as <see cref="Memory{T}"/> (buffers up to 2 GiB).</summary>
    public Memory<byte> Memory
    {
        get
        {
            ThrowIfReleased();
            if (Length > int.MaxValue)
            {
                throw new InvalidOperationException($"buffer of {Length} bytes is larger than a Memory<byte>; use GetSpan(offset, length)");
            }

            var manager = Volatile.Read(ref _manager);
            if (manager is null)
            {
                Interlocked.CompareExchange(ref _manager, new NativeMemoryManager(_memory, this, (int)Length), null);
                manager = _manager;
            }

            return manager!.Memory;
        }
    }

    /// <summary>Where the buffer was prepared, when <see cref="Accelerator.TrackLeaks"/> is on.</summary>
    internal StackTrace? PreparedAt { get; }

    internal long MappedLength => _memory.MappedLength;

    /// <summary>A window of <paramref name="length"/> bytes at <paramref name="offset"/>.</summary>
    public unsafe Span<byte> GetSpan(long offset, int length)
    {
        CheckRange(offset, length);
        return new Span<byte>((byte*)Address + offset, length);
    }

    /// <summary>Reads a value at a byte offset (no alignment needed).</summary>
    /// <exception cref="ObjectDisposedException">The buffer is released.</exception>
    public unsafe T Read<T>(long offset)
        where T : unmanaged
    {
        CheckRange(offset, sizeof(T));
        var at = Acquire();
        try
        {
            return Unsafe.ReadUnaligned<T>(at + offset);
        }
        finally
        {
            _memory.ReleaseRef();
        }
    }

    /// <summary>Writes a value at a byte offset (no alignment needed).</summary>
    /// <exception cref="ObjectDisposedException">The buffer is released.</exception>
    public unsafe void Write<T>(long offset, T value)
        where T : unmanaged
    {
        CheckRange(offset, sizeof(T));
        var at = Acquire();
        try
        {
            Unsafe.WriteUnaligned(at + offset, value);
        }
        finally
        {
            _memory.ReleaseRef();
        }
    }

    /// <summary>Fills the whole buffer with <paramref name="value"/>.</summary>
    /// <exception cref="ObjectDisposedException">The buffer is released.</exception>
    public void Fill(byte value) => Fill(value, 0, Length);

    /// <summary>Fills <paramref name="length"/> bytes at <paramref name="offset"/> with <paramref name="value"/>.</summary>
    /// <exception cref="ObjectDisposedException">The buffer is released.</exception>
    public unsafe void Fill(byte value, long offset, long length)
    {
        CheckRange(offset, length);
        var at = Acquire();
        try
        {
            for (long done = 0; done < length;)
            {
                var chunk = (int)Math.Min(length - done, int.MaxValue);
                new Span<byte>(at + offset + done, chunk).Fill(value);
                done += chunk;
            }
        }
        finally
        {
            _memory.ReleaseRef();
        }
    }

    /// <summary>
    /// Compares the first <paramref name="length"/> bytes with <paramref name="other"/>'s. Returns the
    /// offset of the first difference, or -1 when they are equal.
    /// </summary>
    /// <exception cref="ObjectDisposedException">Either buffer is released.</exception>
    public unsafe long Compare(SharedBuffer other, long length)
    {
        ArgumentNullException.ThrowIfNull(other);
        CheckRange(0, length);
        other.CheckRange(0, length);
        var mine = Acquire();
        try
        {
            var theirs = other.Acquire();
            try
            {
                for (long done = 0; done < length;)
                {
                    var chunk = (int)Math.Min(length - done, int.MaxValue);
                    var at = new ReadOnlySpan<byte>(mine + done, chunk).CommonPrefixLength(new ReadOnlySpan<byte>(theirs + done, chunk));
                    if (at < chunk)
                    {
                        return done + at;
                    }

                    done += chunk;
                }

                return -1;
            }
            finally
            {
                other._memory.ReleaseRef();
            }
        }
        finally
        {
            _memory.ReleaseRef();
        }
    }

    /// <summary>
    /// Waits until the value at <paramref name="offset"/>, masked with <paramref name="mask"/>, equals
    /// <paramref name="expected"/> — how software waits for a device to write a status word.
    /// Returns false on timeout; <see cref="Timeout.InfiniteTimeSpan"/> waits as long as it takes.
    /// </summary>
    /// <remarks>
    /// Spins for a few microseconds, then yields, then sleeps with a backoff of at most a millisecond,
    /// woken early by the simulated devices' status writes: a long wait does not keep a core busy.
    /// </remarks>
    /// <exception cref="ObjectDisposedException">The buffer is (or gets) released while waiting.</exception>
    public bool Poll<T>(long offset, T expected, T mask, TimeSpan timeout)
        where T : unmanaged, IBinaryInteger<T> => Poll(offset, expected, mask, timeout, CancellationToken.None);

    /// <summary>
    /// <see cref="Poll{T}(long, T, T, TimeSpan)"/> that <paramref name="cancellationToken"/> can stop.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled before the value appeared.</exception>
    /// <exception cref="ObjectDisposedException">The buffer is (or gets) released while waiting.</exception>
    public unsafe bool Poll<T>(long offset, T expected, T mask, TimeSpan timeout, CancellationToken cancellationToken)
        where T : unmanaged, IBinaryInteger<T>
    {
        CheckRange(offset, sizeof(T));
        var deadline = Deadline(timeout);
        var location = Acquire() + offset;
        try
        {
            var backoff = new PollBackoff(spin: true);
            while (true)
            {
                var seen = DeviceWrites.Generation;

                // The device writes from another thread: a full fence keeps the read from being hoisted.
                Interlocked.MemoryBarrier();
                if ((Unsafe.ReadUnaligned<T>(location) & mask) == expected)
                {
                    return true;
                }

                // Held, so still mapped; but a released buffer is never waited on.
                ObjectDisposedException.ThrowIf(IsReleased, this);
                cancellationToken.ThrowIfCancellationRequested();
                var now = Stopwatch.GetTimestamp();
                if (now > deadline)
                {
                    return false;
                }

                if (backoff.NextSleep(deadline - now) is { } sleep)
                {
                    DeviceWrites.Wait(seen, sleep);
                }
            }
        }
        finally
        {
            _memory.ReleaseRef();
        }
    }

    /// <summary>
    /// Waits asynchronously, without blocking a thread or keeping a core busy, until the value at
    /// <paramref name="offset"/>, masked with <paramref name="mask"/>, equals <paramref name="expected"/>.
    /// Completes with false on timeout; <see cref="Timeout.InfiniteTimeSpan"/> waits as long as it takes.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled before the value appeared.</exception>
    /// <exception cref="ObjectDisposedException">The buffer is (or gets) released while waiting.</exception>
    public ValueTask<bool> PollAsync<T>(long offset, T expected, T mask, TimeSpan timeout, CancellationToken cancellationToken = default)
        where T : unmanaged, IBinaryInteger<T>
    {
        CheckRange(offset, Unsafe.SizeOf<T>());
        var deadline = Deadline(timeout);
        if (Check(offset, expected, mask))
        {
            return new ValueTask<bool>(true);
        }

        return new ValueTask<bool>(PollSlowAsync(offset, expected, mask, deadline, cancellationToken));
    }

    /// <summary>Releases the buffer (<c>fpgaReleaseBuffer</c>). Idempotent.</summary>
    public void Dispose()
    {
        if (!IsReleased)
        {
            Accelerator.Release(WorkspaceId);
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"buffer {WorkspaceId}: {Length} bytes at 0x{Address:x}, IO address 0x{IoAddress:x}, {PageSizes.Name(PageSize)} pages{(IsReadOnly ? ", device read-only" : "")}{(IsPreallocated ? ", preallocated" : "")}";

    /// <summary>Called once by the accelerator after the device unmapped the buffer; the pages go when the last holder lets go.</summary>
    internal void MarkReleased()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _memory.Dispose();
        }
    }

    private void CheckRange(long offset, long length)
    {
        ThrowIfReleased();
        if (offset < 0 || length < 0 || offset > Length - length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"range {offset}+{length} is outside the buffer of {Length} bytes");
        }
    }

    private void ThrowIfReleased() => ObjectDisposedException.ThrowIf(IsReleased, this);

    /// <summary>Takes a reference on the memory (false once released); pair with <see cref="ReleaseMemory"/>.</summary>
    internal bool TryAcquireMemory() => _memory.TryAddRef();

    internal void ReleaseMemory() => _memory.ReleaseRef();

    /// <summary>A reference on the memory and its address; the caller releases it. Throws once released.</summary>
    private unsafe byte* Acquire()
    {
        ObjectDisposedException.ThrowIf(!_memory.TryAddRef(), this);
        return (byte*)_memory.Address;
    }

    private static long Deadline(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return long.MaxValue;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        var ticks = timeout.TotalSeconds * Stopwatch.Frequency;
        var now = Stopwatch.GetTimestamp();
        return ticks >= long.MaxValue - now ? long.MaxValue : now + (long)ticks;
    }

    /// <summary>One look at the value, holding the memory for just that long.</summary>
    private unsafe bool Check<T>(long offset, T expected, T mask)
        where T : unmanaged, IBinaryInteger<T>
    {
        var at = Acquire();
        try
        {
            Interlocked.MemoryBarrier();
            return (Unsafe.ReadUnaligned<T>(at + offset) & mask) == expected;
        }
        finally
        {
            _memory.ReleaseRef();
        }
    }

    private async Task<bool> PollSlowAsync<T>(long offset, T expected, T mask, long deadline, CancellationToken cancellationToken)
        where T : unmanaged, IBinaryInteger<T>
    {
        var backoff = new PollBackoff(spin: false);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = Stopwatch.GetTimestamp();
            if (now > deadline)
            {
                return false;
            }

            var seen = DeviceWrites.Generation;
            await DeviceWrites.WaitAsync(seen, backoff.NextSleep(deadline - now) ?? TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            if (Check(offset, expected, mask))
            {
                return true;
            }
        }
    }
}
