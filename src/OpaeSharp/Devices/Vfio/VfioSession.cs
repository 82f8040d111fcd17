using OpaeSharp.Enumeration;
using System.Buffers.Binary;
using OpaeSharp.Devices.Kernel;
using OpaeSharp.Dma;
using OpaeSharp.Interop;
using VfioApi = OpaeSharp.Interop.Vfio;

namespace OpaeSharp.Devices.Vfio;

/// <summary>
/// One PCI function opened through VFIO: the device descriptor attached to an IOMMU
/// (<see cref="IVfioIommu"/>), its BARs, and the IO address space this library hands addresses out
/// of. Handles opened shared use the same session; each handle unmaps its own buffers when it
/// closes, and the last one closes the descriptors, which makes the kernel drop anything left.
/// </summary>
internal sealed class VfioSession : IDisposable
{
    private const int BarCount = 6;

    private readonly IKernel _kernel;
    private readonly IVfioIommu _iommu;
    private readonly SafeFileDescriptor _device;
    private readonly MmioWindow?[] _bars;
    private readonly long _configOffset;
    private AfuIdentity? _afu;
    private int _disposed;

    private VfioSession(
        IKernel kernel,
        string address,
        IVfioIommu iommuSpace,
        SafeFileDescriptor device,
        uint deviceFlags,
        MmioWindow?[] bars,
        long configOffset,
        VfioIommuInfo iommu,
        IovaAllocator[] windows,
        VfioOptions options)
    {
        _kernel = kernel;
        Address = address;
        _iommu = iommuSpace;
        _device = device;
        CanReset = (deviceFlags & VfioApi.VFIO_DEVICE_FLAGS_RESET) != 0;
        _bars = bars;
        _configOffset = configOffset;
        Iommu = iommu;
        Options = options;
        Interrupts = new VfioInterruptLines(kernel, device, address);
        AddressSpace = new IoAddressSpace(
            iommuSpace,
            windows,
            iommu.MinPageSize,
            address,
            options.DmaAddressBits is { } bits ? $"the device reaches only {bits}-bit IO addresses" : null);
    }

    internal string Address { get; }

    /// <summary>The kernel seam the session's descriptors belong to.</summary>
    internal IKernel Kernel => _kernel;

    internal bool CanReset { get; }

    internal VfioIommuInfo Iommu { get; }

    internal VfioOptions Options { get; }

    /// <summary>The function's MSI-X (or MSI) vectors, shared by every handle of the session.</summary>
    internal VfioInterruptLines Interrupts { get; }

    /// <summary>Where buffers of this function get their IO addresses.</summary>
    internal IoAddressSpace AddressSpace { get; }

    /// <summary>"type1v2" or "iommufd": how the device is attached to the IOMMU.</summary>
    internal string IommuKind => _iommu.Kind;

    /// <summary>The AFU in BAR 0's feature list, read once through the session's own BAR window.</summary>
    internal AfuIdentity AfuIdentity
    {
        get
        {
            if (_afu is { } known)
            {
                return known;
            }

            AfuIdentity found;
            if (_bars[0] is not { } bar0)
            {
                found = new AfuIdentity(Guid.Empty, "BAR 0 is absent or cannot be read");
            }
            else
            {
                try
                {
                    var afu = DeviceFeatureList.FindAfu(bar0.Read64, bar0.Size, out var reason);
                    found = afu is { } guid ? new AfuIdentity(guid, null) : new AfuIdentity(Guid.Empty, reason);
                }
                catch (OpaeException e)
                {
                    found = new AfuIdentity(Guid.Empty, $"BAR 0 could not be read ({e.Message})");
                }
            }

            return Interlocked.CompareExchange(ref _afu, found, null) ?? found;
        }
    }

    /// <summary>
    /// Opens <paramref name="address"/> in IOMMU group <paramref name="group"/>: the device attached
    /// to an IO address space, its BARs, bus mastering. Any failure closes what was opened, in reverse.
    /// </summary>
    internal static unsafe VfioSession Open(IKernel kernel, string address, string group, VfioOptions options)
    {
        var opened = new Stack<IDisposable>();
        try
        {
            var device = Attach(kernel, address, group, options, opened, out var iommuSpace);
            var iommu = iommuSpace.QueryInfo();
            var windows = Windows(iommu, options);

            var info = new VfioApi.vfio_device_info { argsz = (uint)sizeof(VfioApi.vfio_device_info) };
            if (kernel.Ioctl(device, VfioApi.VFIO_DEVICE_GET_INFO, (nint)(&info), out var errno) < 0)
            {
                throw KernelErrors.Exception($"VFIO_DEVICE_GET_INFO for {address}", errno);
            }

            if ((info.flags & VfioApi.VFIO_DEVICE_FLAGS_PCI) == 0 || info.num_regions <= VfioApi.VFIO_PCI_CONFIG_REGION_INDEX)
            {
                throw new OpaeException(FpgaResult.NotSupported, $"{address} is not a vfio-pci device (flags 0x{info.flags:x}, {info.num_regions} regions)");
            }

            var bars = new MmioWindow?[BarCount];
            for (var i = 0u; i < BarCount; i++)
            {
                bars[i] = OpenBar(kernel, device, address, i, opened);
            }

            var config = VfioNodes.RegionInfo(kernel, device, address, VfioApi.VFIO_PCI_CONFIG_REGION_INDEX);
            var session = new VfioSession(kernel, address, iommuSpace, device, info.flags, bars, (long)config.offset, iommu, windows, options);
            session.EnableBusMaster();
            return session;
        }
        catch
        {
            while (opened.Count > 0)
            {
                opened.Pop().Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// The device descriptor of <paramref name="address"/>, attached to an IO address space
    /// (<paramref name="iommu"/>). Descriptors are pushed on <paramref name="opened"/> as they open,
    /// for the caller to close in reverse on failure; on success <paramref name="iommu"/> owns them too.
    /// </summary>
    internal static SafeFileDescriptor Attach(IKernel kernel, string address, string group, VfioOptions options, Stack<IDisposable> opened, out IVfioIommu iommu)
    {
        if (ChooseIommu(kernel, address, options.Iommu) is { } cdev)
        {
            var device = VfioIommufd.Attach(kernel, address, cdev, opened, out var ioas);
            iommu = ioas;
            return device;
        }
        else
        {
            var device = VfioType1Container.Attach(kernel, address, group, opened, out var container);
            iommu = container;
            return device;
        }
    }

    /// <summary>
    /// The device cdev to attach through iommufd, or null for the type1 container. Auto takes iommufd
    /// when <c>/dev/iommu</c> and the function's cdev (<c>/sys/bus/pci/devices/&lt;bdf&gt;/vfio-dev/vfioN</c>
    /// names <c>/dev/vfio/devices/vfioN</c>) both exist and may be opened; forcing iommufd where the
    /// kernel has no cdev is NO_DRIVER.
    /// </summary>
    internal static string? ChooseIommu(IKernel kernel, string address, VfioIommuMode mode)
    {
        if (mode == VfioIommuMode.Type1)
        {
            return null;
        }

        var cdev = CdevOf(kernel, address);
        if (mode == VfioIommuMode.Iommufd)
        {
            return cdev ?? throw new OpaeException(
                FpgaResult.NoDriver,
                $"{address} has no VFIO device cdev (/sys/bus/pci/devices/{address}/vfio-dev): iommufd needs Linux 6.6+ with CONFIG_VFIO_DEVICE_CDEV and CONFIG_IOMMUFD; unset {VfioOptions.IommuVariable} or set it to type1");
        }

        return cdev is not null && kernel.Access(VfioIommufd.IommuNode) == Errno.None && kernel.Access(cdev) == Errno.None ? cdev : null;
    }

    /// <summary><c>/dev/vfio/devices/vfioN</c> of a function bound to vfio-pci, when the kernel made one.</summary>
    internal static string? CdevOf(IKernel kernel, string address) =>
        kernel.List($"{VfioBackend.PciDevices}/{address}/vfio-dev", "vfio*") is [var name, ..] ? $"/dev/vfio/devices/{name}" : null;

    internal MmioWindow? Bar(uint index) => index < BarCount ? _bars[index] : null;

    internal void Reset()
    {
        if (!CanReset)
        {
            throw new OpaeException(FpgaResult.NotSupported, $"{Address} offers no reset through VFIO (no FLR or other reset method)");
        }

        if (_kernel.Ioctl(_device, VfioApi.VFIO_DEVICE_RESET, 0, out var errno) < 0)
        {
            throw KernelErrors.Exception($"VFIO_DEVICE_RESET of {Address}", errno);
        }

        // A function-level reset clears the command register, bus mastering with it.
        EnableBusMaster();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var bar in _bars)
        {
            bar?.Dispose();
        }

        _device.Dispose();
        _iommu.Dispose();
    }

    /// <summary>vfio-pci leaves bus mastering off: without it the device's DMA never reaches memory.</summary>
    private void EnableBusMaster()
    {
        Span<byte> command = stackalloc byte[2];
        var offset = _configOffset + VfioApi.PCI_COMMAND;
        var errno = _kernel.Pread(_device, command, offset, out var count);
        if (errno != Errno.None || count != 2)
        {
            throw KernelErrors.Exception($"reading the PCI command register of {Address}", errno == Errno.None ? Errno.EIO : errno);
        }

        var value = BinaryPrimitives.ReadUInt16LittleEndian(command);
        if ((value & VfioApi.PCI_COMMAND_MASTER) != 0)
        {
            return;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(command, (ushort)(value | VfioApi.PCI_COMMAND_MASTER));
        errno = _kernel.Pwrite(_device, command, offset, out count);
        if (errno != Errno.None || count != 2)
        {
            throw KernelErrors.Exception($"enabling bus mastering on {Address}", errno == Errno.None ? Errno.EIO : errno);
        }
    }

    private static MmioWindow? OpenBar(IKernel kernel, SafeFileDescriptor device, string address, uint index, Stack<IDisposable> opened)
    {
        var info = VfioNodes.RegionInfo(kernel, device, address, index);
        if (info.size == 0 || (info.flags & (VfioApi.VFIO_REGION_INFO_FLAG_READ | VfioApi.VFIO_REGION_INFO_FLAG_WRITE)) == 0)
        {
            return null;
        }

        SafeMappedRegion? mapping = null;
        if ((info.flags & VfioApi.VFIO_REGION_INFO_FLAG_MMAP) != 0)
        {
            // A BAR holding the MSI-X table may refuse a whole mapping: then pread/pwrite still work.
            if (kernel.MapShared(device, info.size, (long)info.offset, out mapping) != Errno.None)
            {
                mapping = null;
            }
        }

        var window = new MmioWindow(kernel, device, info.size, (long)info.offset, mapping);
        opened.Push(window);
        return window;
    }

    /// <summary>The usable IOVA ranges, cut to the device's address width and the configured base.</summary>
    internal static IovaAllocator[] Windows(VfioIommuInfo iommu, VfioOptions options)
    {
        var page = Math.Max(iommu.MinPageSize, 4096);
        var windows = new List<IovaAllocator>();
        foreach (var (start, end) in iommu.Ranges)
        {
            var lo = Math.Max(start, options.IovaBase);
            lo = (lo + page - 1) & ~(page - 1);
            var hiExclusive = end == ulong.MaxValue ? ulong.MaxValue : end + 1;
            hiExclusive = Math.Min(hiExclusive, options.AddressLimit) & ~(page - 1);
            if (lo < start || hiExclusive <= lo || hiExclusive - lo < page + options.GuardBytes)
            {
                continue;
            }

            windows.Add(new IovaAllocator(lo, hiExclusive, options.GuardBytes));
        }

        if (windows.Count == 0)
        {
            throw new OpaeException(
                FpgaResult.NoMemory,
                $"no usable IO address range: the IOMMU allows {string.Join(", ", iommu.Ranges.Select(r => $"0x{r.Start:x}..0x{r.End:x}"))}" +
                (options.DmaAddressBits is { } bits ? $" and the device reaches {bits}-bit addresses" : ""));
        }

        return [.. windows];
    }
}
