using OpaeSharp.Dma;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// A handle's view of a simulated accelerator: DMA through the card's IO address space and IOMMU,
/// MMIO routed to the AFU. Holds the card's port until disposed.
/// </summary>
internal sealed class SimulatedDevice : IDevice, IDmaMapper
{
    private readonly SimulatedCard _card;
    private readonly SimulatedCardView? _view;
    private int _disposed;

    internal SimulatedDevice(SimulatedCard card, bool shared, SimulatedCardView? view = null)
    {
        card.Acquire(shared);
        _card = card;
        _view = view;
        Capabilities = new DeviceCapabilities(
            RequiresContiguousBuffers: card.Options.EnforceContiguity,
            SupportsReadOnly: true,
            DriverPinsPages: false);
    }

    public DeviceCapabilities Capabilities { get; }

    public IDmaMapper Dma => this;

    internal SimulatedCard Card => _card;

    public ulong MmioSize(uint region) => region == 0 ? _card.Afu.MmioSize : 0;

    public Status Map(nint address, ulong length, ulong pageSize, DmaAccess access, out ulong iova)
    {
        if (Capabilities.RequiresContiguousBuffers && length > pageSize)
        {
            // What the DFL driver answers for pinned pages that are not one physical range.
            iova = 0;
            return Status.Fail(
                FpgaResult.InvalidParam,
                $"buffer of {length} bytes spans several {pageSize}-byte pages: not physically contiguous (the driver maps one contiguous range)");
        }

        return _card.AddressSpace.Map(address, length, pageSize, access, out iova);
    }

    public Status Unmap(ulong iova, ulong length) => _card.AddressSpace.Unmap(iova, length);

    public uint ReadMmio32(uint region, ulong offset)
    {
        _view?.CountRead();
        return _card.Afu.Read32(offset);
    }

    public ulong ReadMmio64(uint region, ulong offset)
    {
        _view?.CountRead();
        return _card.Afu.Read64(offset);
    }

    public void WriteMmio32(uint region, ulong offset, uint value)
    {
        _view?.CountWrite();
        _card.Afu.Write32(offset, value);
    }

    public void WriteMmio64(uint region, ulong offset, ulong value)
    {
        _view?.CountWrite();
        _card.Afu.Write64(offset, value);
    }

    public void WriteMmio512(uint region, ulong offset, ReadOnlySpan<byte> value) => SimulatedMmio.Write512(_card.Afu, offset, value);

    // Simulated registers have side effects (CTL starts the AFU), so there is no memory to point at.
    public nint MapMmio(uint region) => 0;

    public void Reset() => _card.Afu.Reset();

    public Status BindSva(out uint pasid)
    {
        pasid = 0;
        return Status.Fail(FpgaResult.NotSupported, "the simulated IOMMU translates only IO addresses of prepared buffers: it has no shared virtual addressing");
    }

    public IInterruptLines? Interrupts => _card.Interrupts;

    public IInterruptLines? ErrorInterrupts => _card.PortErrors.Interrupt;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _card.Release();
        }
    }
}
