using Microsoft.Extensions.Logging;
using OpaeSharp.Collections;
using OpaeSharp.Devices;
using OpaeSharp.Diagnostics;
using OpaeSharp.Dma;
using OpaeSharp.Memory;

namespace OpaeSharp.Buffers;

/// <summary>
/// <c>fpgaPrepareBuffer</c> and <c>fpgaReleaseBuffer</c> for one accelerator handle: validate in
/// OPAE's order, get memory, map it for the device, record it; release walks back. Every failure is
/// returned as a <see cref="Status"/> after undoing what was done, so a refused call leaves nothing
/// pinned, mapped or recorded and costs no exception.
/// </summary>
/// <remarks>
/// Thread-safe. The table of live buffers is the one record of which buffer holds which IO address;
/// lookups take no lock. Closing releases whatever is still prepared.
/// </remarks>
internal sealed class BufferPipeline
{
    /// <summary>The flag bits OPAE defines; any other bit is INVALID_PARAM.</summary>
    internal const int KnownFlags = (int)(BufferFlags.Preallocated | BufferFlags.Quiet | BufferFlags.ReadOnly);

    private readonly Accelerator _owner;
    private readonly IDevice _device;
    private readonly BufferAllocator _memory;
    private readonly IdTable<SharedBuffer> _buffers = new();
    private int _closed;

    internal BufferPipeline(Accelerator owner, IDevice device, BufferAllocator memory)
    {
        _owner = owner;
        _device = device;
        _memory = memory;
    }

    internal int Count => _buffers.Count;

    internal bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Validates, allocates or attaches, maps and records a buffer; logs a failure unless QUIET.</summary>
    internal Status Prepare(ulong length, nint address, int flags, out SharedBuffer? buffer)
    {
        var started = BufferMetrics.Start();
        var status = PrepareCore(length, address, flags, out buffer);
        if (status.IsOk)
        {
            BufferMetrics.Prepared(started);
        }
        else
        {
            BufferMetrics.PrepareFailed();
            if ((flags & (int)BufferFlags.Quiet) == 0)
            {
                OpaeLogging.Logger.LogWarning("fpgaPrepareBuffer failed ({Result}): {Reason}", status.Result.Describe(), status.Reason);
            }
        }

        return status;
    }

    /// <summary>Releases the live buffer <paramref name="workspaceId"/>; INVALID_PARAM when there is none.</summary>
    internal Status Release(ulong workspaceId)
    {
        if (!_buffers.TryRemove(workspaceId, out var buffer))
        {
            return Status.Fail(
                FpgaResult.InvalidParam,
                IsClosed
                    ? "the accelerator handle is closed"
                    : $"workspace id {workspaceId} is not a live buffer of this handle (never prepared here, or already released)");
        }

        return ReleaseRemoved(buffer);
    }

    internal bool TryGetIoAddress(ulong workspaceId, out ulong ioAddress) => _buffers.TryGetIoAddress(workspaceId, out ioAddress);

    internal bool TryGet(ulong workspaceId, out SharedBuffer? buffer) => _buffers.TryGet(workspaceId, out buffer);

    /// <summary>Refuses further prepares and releases every buffer still prepared.</summary>
    internal LeakReport Close()
    {
        var report = new LeakReport();
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return report;
        }

        foreach (var buffer in _buffers.Snapshot())
        {
            // A release racing the close may have taken it first; whoever removes it releases it.
            if (_buffers.TryRemove(buffer.WorkspaceId, out _))
            {
                report.Add(buffer);
                ReleaseRemoved(buffer);
            }
        }

        return report;
    }

    private Status PrepareCore(ulong length, nint address, int flags, out SharedBuffer? buffer)
    {
        buffer = null;
        if (IsClosed)
        {
            return Status.Fail(FpgaResult.InvalidParam, "the accelerator handle is closed");
        }

        if ((flags & ~KnownFlags) != 0)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"unknown buffer flags 0x{flags & ~KnownFlags:x}");
        }

        var preallocated = (flags & (int)BufferFlags.Preallocated) != 0;
        if (preallocated)
        {
            if (address == 0)
            {
                return Status.Fail(FpgaResult.InvalidParam, "preallocated buffer address is NULL");
            }

            if (length == 0 || !PageSizes.IsAligned((long)length, PageSizes.Small))
            {
                return Status.Fail(FpgaResult.InvalidParam, $"preallocated buffer length {length} is not a non-zero multiple of 4096");
            }

            if (!PageSizes.IsAligned(address, PageSizes.Small))
            {
                return Status.Fail(FpgaResult.InvalidParam, $"preallocated buffer address 0x{address:x} is not 4096-byte aligned");
            }
        }
        else if (length == 0)
        {
            return Status.Fail(FpgaResult.InvalidParam, "buffer length is 0");
        }

        if (preallocated && length > (ulong)(nint.MaxValue - address))
        {
            // Past the end of the address space: that range cannot be mapped, however much memory there is.
            return Status.Fail(FpgaResult.InvalidParam, $"preallocated range 0x{address:x}+{length} is not (entirely) mapped in this process");
        }

        if (!preallocated && length > long.MaxValue / 2)
        {
            return Status.Fail(FpgaResult.NoMemory, $"cannot allocate {length} bytes");
        }

        var capabilities = _device.Capabilities;
        var readOnly = (flags & (int)BufferFlags.ReadOnly) != 0;
        if (readOnly && !capabilities.SupportsReadOnly)
        {
            return Status.Fail(FpgaResult.NotSupported, $"the {_owner.Token.Backend} driver cannot restrict a mapping to device reads (READ_ONLY)");
        }

        var access = readOnly ? DmaAccess.Read : DmaAccess.ReadWrite;
        var got = preallocated
            ? _memory.Attach(address, (long)length, access, capabilities.DriverPinsPages, capabilities.RequiresContiguousBuffers, out var memory)
            : _memory.Allocate((long)length, capabilities.RequiresContiguousBuffers, capabilities.DriverPinsPages, out memory);
        if (!got.IsOk)
        {
            return got;
        }

        var mapped = _device.Dma.Map(memory!, access, out var iova);
        if (!mapped.IsOk)
        {
            memory!.Dispose();
            return mapped;
        }

        SharedBuffer prepared;
        try
        {
            prepared = new SharedBuffer(_owner, WorkspaceIds.Next(), memory!, iova, (BufferFlags)flags);
            _buffers.Add(prepared.WorkspaceId, prepared, iova);
        }
        catch
        {
            // Out of memory for the record (nothing else throws here): the memory has no finalizer
            // to fall back on, so nothing may stay mapped.
            _device.Dma.Unmap(iova, (ulong)memory!.Length);
            memory.Dispose();
            throw;
        }

        BufferMetrics.Live(prepared.MappedLength);

        // Close may have run between our check and the add. Whoever removes the buffer releases it
        // (close, if its snapshot saw it; else us), and either way the caller gets no released buffer.
        if (IsClosed)
        {
            if (_buffers.TryRemove(prepared.WorkspaceId, out _))
            {
                ReleaseRemoved(prepared);
            }

            return Status.Fail(FpgaResult.InvalidParam, "the accelerator handle is closed");
        }

        buffer = prepared;
        return Status.Ok;
    }

    /// <summary>Unmaps and frees a buffer already removed from the table.</summary>
    private Status ReleaseRemoved(SharedBuffer buffer)
    {
        var started = BufferMetrics.Start();
        var unmapped = _device.Dma.Unmap(buffer.IoAddress, (ulong)buffer.Length);
        var result = Status.Ok;
        if (!unmapped.IsOk)
        {
            // The driver keeps its own pins, so freeing our side cannot hand the device reused memory.
            result = Status.Fail(FpgaResult.InvalidParam, $"device unmap of workspace {buffer.WorkspaceId} failed: {unmapped.Reason}");
            OpaeLogging.Logger.LogError("{Failure}", result.Reason);
        }

        buffer.MarkReleased();
        BufferMetrics.Released(started, buffer.MappedLength);
        return result;
    }
}
