namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// A handle's view of a simulated card. For an accelerator it maps DMA through the card's IOMMU and
/// routes MMIO to the AFU; an FPGA_DEVICE handle has no DMA and no AFU registers.
/// </summary>
internal sealed class SimulatedDevice : IDevice
{
    private readonly SimulatedCard _card;
    private readonly bool _isAccelerator;
    private int _disposed;

    internal SimulatedDevice(SimulatedCard card, bool isAccelerator, bool shared)
    {
        // The FPGA device (FME) and the port are separate driver nodes: only the port is exclusive.
        if (isAccelerator)
        {
            card.Acquire(shared);
        }

        _card = card;
        _isAccelerator = isAccelerator;
    }

    public bool RequiresContiguousBuffers => _card.Options.EnforceContiguity;

    public bool SupportsReadOnly => true;

    public bool SupportsDma => _isAccelerator;

    public IReadOnlyList<DmaFault> DmaFaults => _card.Faults.Snapshot();

    internal SimulatedCard Card => _card;

    public ulong MmioSize(uint region) => region == 0 && _isAccelerator ? _card.Afu.MmioSize : 0;

    public ulong MapDma(nint address, ulong length, ulong pageSize, DmaAccess access)
    {
        if (RequiresContiguousBuffers && length > pageSize)
        {
            // What the DFL driver answers for pinned pages that are not one physical range.
            throw new OpaeException(
                FpgaResult.InvalidParam,
                $"buffer of {length} bytes spans several {pageSize}-byte pages: not physically contiguous (the driver maps one contiguous range)");
        }

        if (!_card.Iovas.TryAllocate(length, Math.Max(pageSize, 4096), out var iova))
        {
            throw new OpaeException(
                FpgaResult.NoMemory,
                $"IO address space exhausted: {length} bytes requested, {_card.Iovas.FreeBytes} bytes free in the device's window; release buffers first");
        }

        try
        {
            _card.Iommu.Map(iova, address, length, access);
        }
        catch
        {
            _card.Iovas.Free(iova, length);
            throw;
        }

        return iova;
    }

    public void UnmapDma(ulong iova, ulong length)
    {
        _card.Iommu.Unmap(iova);
        _card.Iovas.Free(iova, length);
    }

    public uint ReadMmio32(uint region, ulong offset) => _card.Afu.Read32(offset);

    public ulong ReadMmio64(uint region, ulong offset) => _card.Afu.Read64(offset);

    public void WriteMmio32(uint region, ulong offset, uint value) => _card.Afu.Write32(offset, value);

    public void WriteMmio64(uint region, ulong offset, ulong value) => _card.Afu.Write64(offset, value);

    // Simulated registers have side effects (CTL starts the AFU), so there is no memory to point at.
    public nint MapMmio(uint region) => 0;

    public void Reset()
    {
        if (_isAccelerator)
        {
            _card.Afu.Reset();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _isAccelerator)
        {
            _card.Release();
        }
    }
}
