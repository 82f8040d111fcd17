using OpaeSharp.Dma;
using OpaeSharp.Memory;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// A handle's view of a simulated accelerator: DMA through its card's IO address space and IOMMU,
/// MMIO routed to the port's AFU model, the register file mapped for programs that dereference MMIO.
/// Holds the port until disposed.
/// </summary>
internal sealed class SimulatedDevice : IDevice, IDmaMapper
{
    private readonly SimulatedPort _port;
    private int _disposed;

    internal SimulatedDevice(SimulatedPort port, bool shared)
    {
        port.Acquire(shared);
        _port = port;
        Capabilities = new DeviceCapabilities(
            RequiresContiguousBuffers: port.Card.Options.EnforceContiguity,
            SupportsReadOnly: true,
            DriverPinsPages: false);
    }

    public DeviceCapabilities Capabilities { get; }

    public IDmaMapper Dma => this;

    internal SimulatedCard Card => _port.Card;

    internal SimulatedPort Port => _port;

    public ulong MmioSize(uint region) => region == 0 ? _port.MmioSize : 0;

    public Status Map(PinnedMemory memory, DmaAccess access, out ulong iova)
    {
        var length = (ulong)memory.Length;
        var pageSize = (ulong)memory.PageSize;

        // Contiguous only inside one page (a hugepage holds a physically contiguous range).
        var firstPage = (ulong)memory.Address & ~(pageSize - 1);
        var lastPage = ((ulong)memory.Address + length - 1) & ~(pageSize - 1);
        if (Capabilities.RequiresContiguousBuffers && firstPage != lastPage)
        {
            // What the DFL driver answers for pinned pages that are not one physical range.
            iova = 0;
            return Status.Fail(
                FpgaResult.InvalidParam,
                $"buffer of {length} bytes spans several {pageSize}-byte pages: not physically contiguous (the driver maps one contiguous range)");
        }

        return Card.AddressSpace.Map(memory, access, out iova);
    }

    public Status Unmap(ulong iova, ulong length) => Card.AddressSpace.Unmap(iova, length);

    public uint ReadMmio32(uint region, ulong offset) => _port.ReadMmio32(offset);

    public ulong ReadMmio64(uint region, ulong offset) => _port.ReadMmio64(offset);

    public void WriteMmio32(uint region, ulong offset, uint value) => _port.WriteMmio32(offset, value);

    public void WriteMmio64(uint region, ulong offset, ulong value) => _port.WriteMmio64(offset, value);

    /// <summary>A 512-bit write (<c>fpgaWriteMMIO512</c>): one access to the AFU model, whatever the CPU (the simulator is not a bus).</summary>
    public void WriteMmio512(uint region, ulong offset, ReadOnlySpan<byte> value) => _port.WriteMmio512(offset, value);

    // The register file: reads see what the model keeps there; writes through it reach no handler.
    public nint MapMmio(uint region) => region == 0 ? _port.Registers.Address : 0;

    public void Reset() => _port.Reset();

    public Status BindSva(out uint pasid)
    {
        pasid = 0;
        return Status.Fail(FpgaResult.NotSupported, "the simulated IOMMU translates only IO addresses of prepared buffers: it has no shared virtual addressing");
    }

    public IInterruptLines? Interrupts => _port.Interrupts;

    public IInterruptLines? ErrorInterrupts => _port.Errors.Interrupt;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _port.Release();
        }
    }
}
