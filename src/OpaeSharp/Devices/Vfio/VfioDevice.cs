using OpaeSharp.Dma;

namespace OpaeSharp.Devices.Vfio;

/// <summary>
/// One handle on a PCI function opened through VFIO. MMIO region N is BAR N. The library picks the
/// IO addresses in the session's address space and the kernel pins the pages, so no contiguity is
/// needed and caller memory (PREALLOCATED) maps as well as ours.
/// </summary>
internal sealed class VfioDevice : IDevice
{
    private static readonly DeviceCapabilities s_capabilities = new(RequiresContiguousBuffers: false, SupportsReadOnly: true, DriverPinsPages: true);

    private readonly VfioSession _session;
    private readonly Action _release;
    private readonly string _name;
    private int _disposed;

    internal VfioDevice(VfioSession session, string name, Action release)
    {
        _session = session;
        _name = name;
        _release = release;
    }

    public DeviceCapabilities Capabilities => s_capabilities;

    public IDmaMapper Dma => _session.AddressSpace;

    internal VfioSession Session => _session;

    public ulong MmioSize(uint region) => _session.Bar(region)?.Size ?? 0;

    public uint ReadMmio32(uint region, ulong offset) => Bar(region).Read32(offset);

    public ulong ReadMmio64(uint region, ulong offset) => Bar(region).Read64(offset);

    public void WriteMmio32(uint region, ulong offset, uint value) => Bar(region).Write32(offset, value);

    public void WriteMmio64(uint region, ulong offset, ulong value) => Bar(region).Write64(offset, value);

    public nint MapMmio(uint region) => _session.Bar(region)?.Address ?? 0;

    public void Reset() => _session.Reset();

    public IInterruptLines? Interrupts => null;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _release();
        }
    }

    private Kernel.MmioWindow Bar(uint region) =>
        _session.Bar(region) ?? throw new OpaeException(FpgaResult.InvalidParam, $"{_name} has no MMIO region {region}");
}
