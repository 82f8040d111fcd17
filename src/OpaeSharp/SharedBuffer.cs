using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using OpaeSharp.Memory;

namespace OpaeSharp;

/// <summary>
/// Host memory shared with an accelerator: pinned, mapped for device DMA, and addressed by the
/// device at <see cref="IoAddress"/>. Dispose releases it (<c>fpgaReleaseBuffer</c>).
/// </summary>
/// <remarks>
/// Reading and writing the memory from several threads is as safe as with any shared memory; the
/// members of this class are thread-safe. A <see cref="Span"/> or <see cref="Memory"/> taken from
/// the buffer must not be used after the buffer is released: for memory the library allocated, the
/// pages are gone.
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
                Interlocked.CompareExchange(ref _manager, new NativeMemoryManager(Address, (int)Length), null);
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
    public unsafe T Read<T>(long offset)
        where T : unmanaged
    {
        CheckRange(offset, sizeof(T));
        return Unsafe.ReadUnaligned<T>((byte*)Address + offset);
    }

    /// <summary>Writes a value at a byte offset (no alignment needed).</summary>
    public unsafe void Write<T>(long offset, T value)
        where T : unmanaged
    {
        CheckRange(offset, sizeof(T));
        Unsafe.WriteUnaligned((byte*)Address + offset, value);
    }

    /// <summary>Fills the whole buffer with <paramref name="value"/>.</summary>
    public void Fill(byte value) => Fill(value, 0, Length);

    /// <summary>Fills <paramref name="length"/> bytes at <paramref name="offset"/> with <paramref name="value"/>.</summary>
    public unsafe void Fill(byte value, long offset, long length)
    {
        CheckRange(offset, length);
        for (long done = 0; done < length;)
        {
            var chunk = (int)Math.Min(length - done, int.MaxValue);
            new Span<byte>((byte*)Address + offset + done, chunk).Fill(value);
            done += chunk;
        }
    }

    /// <summary>
    /// Compares the first <paramref name="length"/> bytes with <paramref name="other"/>'s. Returns the
    /// offset of the first difference, or -1 when they are equal.
    /// </summary>
    public unsafe long Compare(SharedBuffer other, long length)
    {
        ArgumentNullException.ThrowIfNull(other);
        CheckRange(0, length);
        other.CheckRange(0, length);
        for (long done = 0; done < length;)
        {
            var chunk = (int)Math.Min(length - done, int.MaxValue);
            var mine = new ReadOnlySpan<byte>((byte*)Address + done, chunk);
            var theirs = new ReadOnlySpan<byte>((byte*)other.Address + done, chunk);
            var at = mine.CommonPrefixLength(theirs);
            if (at < chunk)
            {
                return done + at;
            }

            done += chunk;
        }

        return -1;
    }

    /// <summary>
    /// Waits until the value at <paramref name="offset"/>, masked with <paramref name="mask"/>, equals
    /// <paramref name="expected"/> — how software waits for a device to write a status word.
    /// Returns false on timeout.
    /// </summary>
    public unsafe bool Poll<T>(long offset, T expected, T mask, TimeSpan timeout)
        where T : unmanaged, IBinaryInteger<T>
    {
        CheckRange(offset, sizeof(T));
        var location = (byte*)Address + offset;
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var spin = default(SpinWait);
        while (true)
        {
            // The device writes from another thread: a full fence keeps the read from being hoisted.
            Interlocked.MemoryBarrier();
            if ((Unsafe.ReadUnaligned<T>(location) & mask) == expected)
            {
                return true;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            if (spin.NextSpinWillYield)
            {
                Thread.Sleep(0);
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }
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

    /// <summary>Called once by the accelerator after the device unmapped the buffer.</summary>
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
}
