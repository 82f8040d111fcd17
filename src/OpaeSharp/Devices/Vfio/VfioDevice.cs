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
    private readonly Lock _svaLock = new();
    private Interop.SafeFileDescriptor? _sva;
    private uint _pasid;
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

    public void WriteMmio512(uint region, ulong offset, ReadOnlySpan<byte> value) => Bar(region).Write512(offset, value);

    public nint MapMmio(uint region) => _session.Bar(region)?.Address ?? 0;

    /// <summary>
    /// OPAE's vfio plugin binds through OFS's dfl-pci driver, which makes <c>/dev/dfl-pci-sva/&lt;bdf&gt;</c>
    /// for functions whose host and device support PASID: DFL_PCI_SVA_BIND_DEV returns the PASID, and
    /// the node stays open while the handle lives (closing it unbinds). Without the node: NOT_SUPPORTED.
    /// </summary>
    public Status BindSva(out uint pasid)
    {
        lock (_svaLock)
        {
            if (_sva is not null)
            {
                pasid = _pasid;
                return Status.Ok;
            }

            pasid = 0;
            var path = "/dev/dfl-pci-sva/" + _session.Address;
            var kernel = _session.Kernel;
            if (kernel.Open(path, Interop.Libc.O_RDONLY, out var node) != Interop.Errno.None || node is null)
            {
                return Status.Fail(FpgaResult.NotSupported, $"{_session.Address} cannot share the process address space: no {path} (OFS's dfl-pci driver makes it where the host and the device support PASID)");
            }

            var result = kernel.Ioctl(node, Interop.Dfl.DFL_PCI_SVA_BIND_DEV, 0, out var errno);
            if (result < 0)
            {
                node.Dispose();
                return Status.Fail(FpgaResult.NotSupported, $"DFL_PCI_SVA_BIND_DEV on {path}: {Interop.Libc.StrError(errno)} ({errno})");
            }

            _sva = node;
            _pasid = pasid = (uint)result;
            return Status.Ok;
        }
    }

    public void Reset() => _session.Reset();

    public IInterruptLines? Interrupts => _session.Interrupts;

    // OPAE's vfio plugin has no error interrupts: they are the FME's and the port's, which a function
    // bound to vfio-pci does not expose as interrupts of its own.
    public IInterruptLines? ErrorInterrupts => null;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            lock (_svaLock)
            {
                _sva?.Dispose();
                _sva = null;
            }

            _release();
        }
    }

    private Kernel.MmioWindow Bar(uint region) =>
        _session.Bar(region) ?? throw new OpaeException(FpgaResult.InvalidParam, $"{_name} has no MMIO region {region}");
}
