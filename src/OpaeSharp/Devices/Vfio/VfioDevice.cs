using System.Collections.Concurrent;

namespace OpaeSharp.Devices.Vfio;

/// <summary>
/// One handle on a PCI function opened through VFIO. MMIO region N is BAR N. The library picks the
/// IO addresses, so no contiguity is needed and caller memory (PREALLOCATED) maps as well as ours.
/// Closing the handle unmaps what it still has mapped; an FPGA_DEVICE handle has no session.
/// </summary>
internal sealed class VfioDevice : IDevice
{
    private readonly VfioSession? _session;
    private readonly Action? _release;
    private readonly string _name;
    private readonly ConcurrentDictionary<ulong, ulong> _mine = new();
    private int _disposed;

    internal VfioDevice(VfioSession? session, string name, Action? release)
    {
        _session = session;
        _name = name;
        _release = release;
    }

    public bool RequiresContiguousBuffers => false;

    public bool SupportsReadOnly => true;

    public bool SupportsDma => _session is not null;

    public IReadOnlyList<DmaFault> DmaFaults => [];

    public ulong MmioSize(uint region) => _session?.Bar(region)?.Size ?? 0;

    public ulong MapDma(nint address, ulong length, ulong pageSize, DmaAccess access)
    {
        var iova = Session().Map(address, length, pageSize, access);
        _mine[iova] = length;
        return iova;
    }

    public void UnmapDma(ulong iova, ulong length)
    {
        _mine.TryRemove(iova, out _);
        Session().Unmap(iova, length);
    }

    public uint ReadMmio32(uint region, ulong offset) => Bar(region).Read32(offset);

    public ulong ReadMmio64(uint region, ulong offset) => Bar(region).Read64(offset);

    public void WriteMmio32(uint region, ulong offset, uint value) => Bar(region).Write32(offset, value);

    public void WriteMmio64(uint region, ulong offset, ulong value) => Bar(region).Write64(offset, value);

    public nint MapMmio(uint region) => _session?.Bar(region)?.Address ?? 0;

    public void Reset() => _session?.Reset();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_session is not null)
        {
            foreach (var (iova, length) in _mine)
            {
                try
                {
                    _session.Unmap(iova, length);
                }
                catch (OpaeException)
                {
                    // The session's close drops the container, and every mapping in it, at the latest.
                }
            }
        }

        _release?.Invoke();
    }

    private VfioSession Session() =>
        _session ?? throw new OpaeException(FpgaResult.InvalidParam, $"{_name} is an FPGA device handle: open its accelerator for DMA");

    private Kernel.MmioWindow Bar(uint region) =>
        _session?.Bar(region) ?? throw new OpaeException(FpgaResult.InvalidParam, $"{_name} has no MMIO region {region}");
}
