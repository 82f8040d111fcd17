using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using OpaeSharp.Devices;
using OpaeSharp.Diagnostics;
using OpaeSharp.Dma;
using OpaeSharp.Enumeration;
using OpaeSharp.Memory;

namespace OpaeSharp;

/// <summary>
/// An open FPGA object (OPAE's <c>fpga_handle</c>): prepares buffers the accelerator can reach by
/// DMA, gives their IO addresses, and accesses the accelerator's MMIO registers.
/// </summary>
/// <remarks>
/// All members are safe to call from several threads at once. IO address lookups take no lock.
/// Disposing releases every buffer still prepared (unmapped from the device, memory the library
/// allocated freed) and logs how many there were; buffers must not be used afterwards.
/// </remarks>
public sealed class Accelerator : IDisposable
{
    /// <summary>The flag bits OPAE defines; any other bit is INVALID_PARAM.</summary>
    internal const int KnownFlags = (int)(BufferFlags.Preallocated | BufferFlags.Quiet | BufferFlags.ReadOnly);

    private readonly IDevice _device;
    private readonly BufferAllocator _allocator;
    private readonly WorkspaceTable<SharedBuffer> _buffers = new();
    private int _closed;

    internal Accelerator(AcceleratorToken token, IDevice device, bool shared, BufferAllocator? allocator = null)
    {
        Token = token;
        _device = device;
        IsShared = shared;
        _allocator = allocator ?? BufferAllocator.System;
    }

    /// <summary>Releases the buffers of an accelerator that was never disposed.</summary>
    ~Accelerator() => Close(finalizing: true);

    /// <summary>
    /// When true, every buffer records the stack that prepared it, and closing an accelerator with
    /// buffers still prepared logs where each came from. Also set by <c>OPAESHARP_TRACK_LEAKS=1</c>.
    /// </summary>
    public static bool TrackLeaks { get; set; } = Environment.GetEnvironmentVariable("OPAESHARP_TRACK_LEAKS") is "1" or "true";

    /// <summary>The object this handle was opened on.</summary>
    public AcceleratorToken Token { get; }

    /// <summary>True when opened with <c>FPGA_OPEN_SHARED</c>.</summary>
    public bool IsShared { get; }

    /// <summary>Buffers prepared on this handle and not yet released.</summary>
    public int BufferCount => _buffers.Count;

    /// <summary>True when buffers can be made from memory the caller already owns (the PREALLOCATED probe).</summary>
    public bool SupportsPreallocatedBuffers => _device.SupportsDma;

    /// <summary>Device accesses the (simulated) IOMMU refused, oldest first. Always empty on hardware.</summary>
    public IReadOnlyList<DmaFault> DmaFaults => _device.DmaFaults;

    /// <summary>True once disposed.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    internal IDevice Device => _device;

    /// <summary>Finds FPGA objects; with no filter, every object of the selected backend.</summary>
    /// <param name="filter">Properties to match, or null for all.</param>
    /// <param name="backend">Backend to search; null means <c>OPAESHARP_BACKEND</c>, else auto.</param>
    public static IReadOnlyList<AcceleratorToken> Enumerate(AcceleratorFilter? filter = null, BackendKind? backend = null) =>
        Enumerate(filter is null ? [] : [filter], backend);

    /// <summary>Finds FPGA objects matching any of <paramref name="filters"/> (all objects when empty).</summary>
    public static IReadOnlyList<AcceleratorToken> Enumerate(IReadOnlyList<AcceleratorFilter> filters, BackendKind? backend = null)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var result = new List<AcceleratorToken>();
        foreach (var source in Backends.Resolve(backend ?? Backends.FromEnvironment()))
        {
            foreach (var token in source.Enumerate())
            {
                if (filters.Count == 0 || filters.Any(f => f.Matches(token)))
                {
                    result.Add(token);
                }
            }
        }

        return result;
    }

    /// <summary>Opens the first accelerator that matches <paramref name="filter"/> (any accelerator when null).</summary>
    /// <exception cref="OpaeException">NOT_FOUND when nothing matches; BUSY when it is held exclusively.</exception>
    public static Accelerator Open(AcceleratorFilter? filter = null, bool shared = false, BackendKind? backend = null)
    {
        filter ??= new AcceleratorFilter { ObjectType = FpgaObjectType.Accelerator };
        backend ??= Backends.FromEnvironment();
        var tokens = Enumerate(filter, backend);
        if (tokens.Count == 0)
        {
            throw new OpaeException(
                FpgaResult.NotFound,
                $"no FPGA object matches {filter} on the {backend} backend{(backend == BackendKind.Auto ? "" : " (is its driver loaded and a card bound to it?)")}");
        }

        return Open(tokens[0], shared);
    }

    /// <summary>Opens the object <paramref name="token"/> names.</summary>
    /// <exception cref="OpaeException">BUSY when another handle holds it exclusively (or any handle holds it and <paramref name="shared"/> is false).</exception>
    public static Accelerator Open(AcceleratorToken token, bool shared = false)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new Accelerator(token, token.BackendImpl.Open(token, shared), shared);
    }

    /// <summary>
    /// Allocates a zero-filled buffer of at least <paramref name="length"/> bytes (rounded up to
    /// 4 KiB), pins it and maps it for device DMA (<c>fpgaPrepareBuffer</c>).
    /// </summary>
    /// <exception cref="OpaeException">
    /// INVALID_PARAM for a zero length, unknown flags or <see cref="BufferFlags.Preallocated"/> (use
    /// <see cref="AttachBuffer"/>); NO_MEMORY when memory, hugepages, locked memory or IO address
    /// space run out (the message says which and what to do); INVALID_PARAM when the device refuses the mapping.
    /// </exception>
    public SharedBuffer PrepareBuffer(long length, BufferFlags flags = BufferFlags.None)
    {
        if ((flags & BufferFlags.Preallocated) != 0)
        {
            throw new OpaeException(FpgaResult.InvalidParam, "PrepareBuffer allocates; use AttachBuffer for preallocated memory");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return Prepare((ulong)length, 0, (int)flags);
    }

    /// <summary>Like <see cref="PrepareBuffer"/>, but reports failure as a result code instead of throwing.</summary>
    public bool TryPrepareBuffer(long length, BufferFlags flags, [NotNullWhen(true)] out SharedBuffer? buffer, out FpgaResult result)
    {
        try
        {
            buffer = PrepareBuffer(length, flags);
            result = FpgaResult.Ok;
            return true;
        }
        catch (OpaeException e)
        {
            buffer = null;
            result = e.Result;
            return false;
        }
    }

    /// <summary>
    /// Pins <paramref name="length"/> bytes of memory the caller owns at <paramref name="address"/>
    /// and maps them for device DMA (<c>FPGA_BUF_PREALLOCATED</c>). Both must be multiples of 4 KiB.
    /// Releasing the buffer unpins and unmaps it; the memory and its contents stay the caller's.
    /// </summary>
    /// <exception cref="OpaeException">INVALID_PARAM for a null or unaligned address, a length that is zero or not a multiple of 4 KiB, or memory that is not mapped.</exception>
    public SharedBuffer AttachBuffer(nint address, long length, BufferFlags flags = BufferFlags.None)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return Prepare((ulong)length, address, (int)(flags | BufferFlags.Preallocated));
    }

    /// <summary>The IO address of a live buffer of this handle (<c>fpgaGetIOAddress</c>).</summary>
    /// <exception cref="OpaeException">NOT_FOUND when <paramref name="workspaceId"/> is not a live buffer of this handle.</exception>
    public ulong GetIoAddress(ulong workspaceId)
    {
        if (!TryGetIoAddress(workspaceId, out var ioAddress))
        {
            ThrowNotFound(workspaceId);
        }

        return ioAddress;
    }

    /// <summary>Looks up the IO address of a live buffer of this handle without throwing. Takes no lock and allocates nothing.</summary>
    public bool TryGetIoAddress(ulong workspaceId, out ulong ioAddress)
    {
        return _buffers.TryGetIoAddress(workspaceId, out ioAddress);
    }

    /// <summary>The live buffer with id <paramref name="workspaceId"/>, if this handle has it.</summary>
    public bool TryGetBuffer(ulong workspaceId, [NotNullWhen(true)] out SharedBuffer? buffer) =>
        _buffers.TryGet(workspaceId, out buffer);

    /// <summary>Releases a buffer by workspace id (<c>fpgaReleaseBuffer</c>); same as disposing it.</summary>
    /// <exception cref="OpaeException">INVALID_PARAM when the id is not a live buffer of this handle, or the device could not unmap it (the id is forgotten anyway).</exception>
    public void ReleaseBuffer(ulong workspaceId)
    {
        var result = Release(workspaceId, out var message);
        if (result != FpgaResult.Ok)
        {
            throw new OpaeException(result, message ?? result.Describe());
        }
    }

    /// <summary>Reads a 32-bit MMIO register (offset in bytes, 4-byte aligned).</summary>
    public uint ReadMmio32(ulong offset, uint region = 0)
    {
        CheckMmio(region, offset, 4);
        return _device.ReadMmio32(region, offset);
    }

    /// <summary>Reads a 64-bit MMIO register (offset in bytes, 8-byte aligned).</summary>
    public ulong ReadMmio64(ulong offset, uint region = 0)
    {
        CheckMmio(region, offset, 8);
        return _device.ReadMmio64(region, offset);
    }

    /// <summary>Writes a 32-bit MMIO register (offset in bytes, 4-byte aligned).</summary>
    public void WriteMmio32(ulong offset, uint value, uint region = 0)
    {
        CheckMmio(region, offset, 4);
        _device.WriteMmio32(region, offset, value);
    }

    /// <summary>Writes a 64-bit MMIO register (offset in bytes, 8-byte aligned).</summary>
    public void WriteMmio64(ulong offset, ulong value, uint region = 0)
    {
        CheckMmio(region, offset, 8);
        _device.WriteMmio64(region, offset, value);
    }

    /// <summary>Size in bytes of MMIO region <paramref name="region"/> (0 when there is none).</summary>
    public ulong GetMmioSize(uint region = 0)
    {
        ThrowIfClosed();
        return _device.MmioSize(region);
    }

    /// <summary>
    /// A pointer to MMIO region <paramref name="region"/> mapped into the process, or 0 where MMIO only
    /// goes through the read/write calls (the simulator, whose registers have side effects).
    /// </summary>
    public nint MapMmio(uint region = 0)
    {
        CheckMmio(region, 0, 4);
        return _device.MapMmio(region);
    }

    /// <summary>Resets the accelerator function (<c>fpgaReset</c>). Prepared buffers stay prepared.</summary>
    public void Reset()
    {
        ThrowIfClosed();
        _device.Reset();
    }

    /// <summary>Releases every outstanding buffer and closes the handle (<c>fpgaClose</c>). Idempotent.</summary>
    public void Dispose()
    {
        Close(finalizing: false);
        GC.SuppressFinalize(this);
    }

    /// <summary>The core of <c>fpgaPrepareBuffer</c>, after the C ABI's pointer checks.</summary>
    internal SharedBuffer Prepare(ulong length, nint address, int flags)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var buffer = PrepareUnmeasured(length, address, flags);
            OpaeMetrics.Prepares.Add(1);
            OpaeMetrics.PrepareDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
            return buffer;
        }
        catch (OpaeException e)
        {
            OpaeMetrics.PrepareFailures.Add(1);
            if ((flags & (int)BufferFlags.Quiet) == 0)
            {
                OpaeLogging.Logger.LogWarning("fpgaPrepareBuffer failed ({Result}): {Reason}", e.Result.Describe(), e.Message);
            }

            throw;
        }
    }

    /// <summary>The core of <c>fpgaReleaseBuffer</c>.</summary>
    internal FpgaResult Release(ulong workspaceId, out string? message)
    {
        if (!_buffers.TryRemove(workspaceId, out var buffer))
        {
            message = IsClosed
                ? "the accelerator handle is closed"
                : $"workspace id {workspaceId} is not a live buffer of this handle (never prepared here, or already released)";
            return FpgaResult.InvalidParam;
        }

        message = ReleaseRemoved(buffer);
        return message is null ? FpgaResult.Ok : FpgaResult.InvalidParam;
    }

    private SharedBuffer PrepareUnmeasured(ulong length, nint address, int flags)
    {
        ThrowIfClosed();
        if ((flags & ~KnownFlags) != 0)
        {
            throw new OpaeException(FpgaResult.InvalidParam, $"unknown buffer flags 0x{flags & ~KnownFlags:x}");
        }

        var preallocated = (flags & (int)BufferFlags.Preallocated) != 0;
        var readOnly = (flags & (int)BufferFlags.ReadOnly) != 0;
        if (preallocated)
        {
            if (address == 0)
            {
                throw new OpaeException(FpgaResult.InvalidParam, "preallocated buffer address is NULL");
            }

            if (length == 0 || !PageSizes.IsAligned((long)length, PageSizes.Small))
            {
                throw new OpaeException(FpgaResult.InvalidParam, $"preallocated buffer length {length} is not a non-zero multiple of 4096");
            }

            if (!PageSizes.IsAligned(address, PageSizes.Small))
            {
                throw new OpaeException(FpgaResult.InvalidParam, $"preallocated buffer address 0x{address:x} is not 4096-byte aligned");
            }
        }
        else if (length == 0)
        {
            throw new OpaeException(FpgaResult.InvalidParam, "buffer length is 0");
        }

        if (length > long.MaxValue / 2)
        {
            throw new OpaeException(FpgaResult.NoMemory, $"cannot allocate {length} bytes");
        }

        if (!_device.SupportsDma)
        {
            throw new OpaeException(FpgaResult.InvalidParam, $"{Token.Name} is an FPGA device; DMA buffers are prepared on an accelerator handle");
        }

        if (readOnly && !_device.SupportsReadOnly)
        {
            throw new OpaeException(FpgaResult.NotSupported, $"the {Token.Backend} driver cannot restrict a mapping to device reads (READ_ONLY)");
        }

        var memory = preallocated
            ? BufferAllocator.Attach(address, (long)length)
            : _allocator.Allocate((long)length, _device.RequiresContiguousBuffers);
        ulong iova;
        try
        {
            iova = _device.MapDma(memory.Address, (ulong)memory.Length, (ulong)memory.PageSize, readOnly ? DmaAccess.Read : DmaAccess.ReadWrite);
        }
        catch
        {
            memory.Dispose();
            throw;
        }

        var buffer = new SharedBuffer(this, WorkspaceIds.Next(), memory, iova, (BufferFlags)flags);
        OpaeMetrics.LiveBuffers.Add(1);
        OpaeMetrics.PinnedBytes.Add(memory.MappedLength);
        _buffers.Add(buffer.WorkspaceId, buffer, buffer.IoAddress);

        // Close may have run between our check and the add. Whoever removes the buffer releases it
        // (close, if its snapshot saw it; else us), and either way the caller gets no released buffer.
        if (IsClosed)
        {
            if (_buffers.TryRemove(buffer.WorkspaceId, out _))
            {
                ReleaseRemoved(buffer);
            }

            ThrowIfClosed();
        }

        return buffer;
    }

    /// <summary>Unmaps and frees a buffer already removed from the table; returns why the unmap failed, or null.</summary>
    private string? ReleaseRemoved(SharedBuffer buffer)
    {
        var started = Stopwatch.GetTimestamp();
        string? failure = null;
        try
        {
            _device.UnmapDma(buffer.IoAddress, (ulong)buffer.Length);
        }
        catch (OpaeException e)
        {
            // The driver keeps its own pins, so freeing our side cannot hand the device reused memory.
            failure = $"device unmap of workspace {buffer.WorkspaceId} failed: {e.Message}";
            OpaeLogging.Logger.LogError("{Failure}", failure);
        }

        buffer.MarkReleased();
        OpaeMetrics.LiveBuffers.Add(-1);
        OpaeMetrics.PinnedBytes.Add(-buffer.MappedLength);
        OpaeMetrics.Releases.Add(1);
        OpaeMetrics.ReleaseDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return failure;
    }

    private void Close(bool finalizing)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        var leftovers = _buffers.Snapshot();
        var released = 0;
        long bytes = 0;
        foreach (var buffer in leftovers)
        {
            if (_buffers.TryRemove(buffer.WorkspaceId, out _))
            {
                if (TrackLeaks && buffer.PreparedAt is { } stack)
                {
                    OpaeLogging.Logger.LogWarning("buffer {Wsid} ({Bytes} bytes) was prepared at:\n{Stack}", buffer.WorkspaceId, buffer.Length, stack);
                }

                bytes += buffer.Length;
                ReleaseRemoved(buffer);
                released++;
            }
        }

        if (released > 0)
        {
            OpaeMetrics.LeakedBuffers.Add(released);
            OpaeLogging.Logger.LogWarning(
                "{How} {Name} released {Count} buffer(s) still prepared ({Bytes} bytes){Hint}",
                finalizing ? "finalizing unclosed handle of" : "closing",
                Token.Name,
                released,
                bytes,
                TrackLeaks ? "" : "; set OPAESHARP_TRACK_LEAKS=1 to log where each was prepared");
        }

        LeakedOnLastClose = released;
        _device.Dispose();
    }

    /// <summary>Buffers the last close had to release (for diagnostics and tests).</summary>
    internal int LeakedOnLastClose { get; private set; }

    private void CheckMmio(uint region, ulong offset, uint width)
    {
        ThrowIfClosed();
        var size = _device.MmioSize(region);
        if (size == 0)
        {
            throw new OpaeException(FpgaResult.InvalidParam, $"{Token.Name} has no MMIO region {region}");
        }

        if (offset % width != 0 || offset > size - width)
        {
            throw new OpaeException(FpgaResult.InvalidParam, $"MMIO offset 0x{offset:x} is not a {width}-byte aligned offset inside region {region} (size 0x{size:x})");
        }
    }

    private void ThrowIfClosed()
    {
        if (IsClosed)
        {
            throw new OpaeException(FpgaResult.InvalidParam, "the accelerator handle is closed");
        }
    }

    [DoesNotReturn]
    private static void ThrowNotFound(ulong workspaceId) =>
        throw new OpaeException(FpgaResult.NotFound, $"workspace id {workspaceId} is not a live buffer of this handle");
}
