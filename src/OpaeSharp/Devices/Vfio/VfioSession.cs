using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using OpaeSharp.Devices.Kernel;
using OpaeSharp.Dma;
using OpaeSharp.Interop;
using OpaeSharp.Memory;
using VfioApi = OpaeSharp.Interop.Vfio;

namespace OpaeSharp.Devices.Vfio;

/// <summary>
/// One PCI function opened through VFIO: a type1 (v2) container, the function's IOMMU group set
/// into it, the device descriptor, its BARs, and the IO addresses this library hands out. Handles
/// opened shared use the same session; the last one to close it closes the descriptors, which makes
/// the kernel drop every mapping still in the container.
/// </summary>
internal sealed class VfioSession : IDisposable
{
    private const int BarCount = 6;

    private readonly IKernel _kernel;
    private readonly SafeFileDescriptor _container;
    private readonly SafeFileDescriptor _group;
    private readonly SafeFileDescriptor _device;
    private readonly MmioWindow?[] _bars;
    private readonly long _configOffset;
    private readonly IovaAllocator[] _windows;
    private readonly ulong _minPage;
    private readonly ConcurrentDictionary<ulong, (ulong Length, IovaAllocator Window)> _mappings = new();
    private int _disposed;

    private VfioSession(
        IKernel kernel,
        string address,
        SafeFileDescriptor container,
        SafeFileDescriptor group,
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
        _container = container;
        _group = group;
        _device = device;
        CanReset = (deviceFlags & VfioApi.VFIO_DEVICE_FLAGS_RESET) != 0;
        _bars = bars;
        _configOffset = configOffset;
        Iommu = iommu;
        _windows = windows;
        _minPage = Math.Max(iommu.MinPageSize, 4096);
        Options = options;
    }

    internal string Address { get; }

    internal bool CanReset { get; }

    internal VfioIommuInfo Iommu { get; }

    internal VfioOptions Options { get; }

    internal int MappingCount => _mappings.Count;

    /// <summary>
    /// Opens <paramref name="address"/> in IOMMU group <paramref name="group"/>: container, group,
    /// type1v2 IOMMU, device, BARs, bus mastering. Any failure closes what was opened, in reverse.
    /// </summary>
    internal static unsafe VfioSession Open(IKernel kernel, string address, string group, VfioOptions options)
    {
        var opened = new Stack<IDisposable>();
        try
        {
            var container = OpenNode(kernel, "/dev/vfio/vfio", opened);
            var version = kernel.Ioctl(container, VfioApi.VFIO_GET_API_VERSION, 0, out var errno);
            if (version != VfioApi.VFIO_API_VERSION)
            {
                throw new OpaeException(FpgaResult.NotSupported, $"VFIO API version {version} ({errno}) is not the version {VfioApi.VFIO_API_VERSION} this library speaks");
            }

            if (kernel.Ioctl(container, VfioApi.VFIO_CHECK_EXTENSION, VfioApi.VFIO_TYPE1v2_IOMMU, out errno) <= 0)
            {
                throw new OpaeException(FpgaResult.NotSupported, "the VFIO container offers no type1v2 IOMMU (no IOMMU enabled, or vfio_iommu_type1 not loaded)");
            }

            var groupPath = $"/dev/vfio/{group}";
            var groupFd = OpenNode(kernel, groupPath, opened);
            var status = new VfioApi.vfio_group_status { argsz = (uint)sizeof(VfioApi.vfio_group_status) };
            if (kernel.Ioctl(groupFd, VfioApi.VFIO_GROUP_GET_STATUS, (nint)(&status), out errno) < 0)
            {
                throw KernelErrors.Exception($"VFIO_GROUP_GET_STATUS on {groupPath}", errno);
            }

            if ((status.flags & VfioApi.VFIO_GROUP_FLAGS_VIABLE) == 0)
            {
                throw new OpaeException(FpgaResult.Busy, $"IOMMU group {group} is not viable: every device in /sys/kernel/iommu_groups/{group}/devices must be bound to vfio-pci (or no driver)");
            }

            var containerFd = container.Value;
            if (kernel.Ioctl(groupFd, VfioApi.VFIO_GROUP_SET_CONTAINER, (nint)(&containerFd), out errno) < 0)
            {
                throw KernelErrors.Exception($"VFIO_GROUP_SET_CONTAINER for group {group}", errno);
            }

            if (kernel.Ioctl(container, VfioApi.VFIO_SET_IOMMU, VfioApi.VFIO_TYPE1v2_IOMMU, out errno) < 0)
            {
                throw KernelErrors.Exception("VFIO_SET_IOMMU (type1v2)", errno);
            }

            var iommu = VfioIommuInfo.Query(kernel, container);
            var windows = Windows(iommu, options);

            var name = Encoding.ASCII.GetBytes(address + "\0");
            int deviceFd;
            fixed (byte* p = name)
            {
                deviceFd = kernel.Ioctl(groupFd, VfioApi.VFIO_GROUP_GET_DEVICE_FD, (nint)p, out errno);
            }

            if (deviceFd < 0)
            {
                throw KernelErrors.Exception($"VFIO_GROUP_GET_DEVICE_FD for {address}", errno);
            }

            var device = kernel.Adopt(deviceFd);
            opened.Push(device);

            var info = new VfioApi.vfio_device_info { argsz = (uint)sizeof(VfioApi.vfio_device_info) };
            if (kernel.Ioctl(device, VfioApi.VFIO_DEVICE_GET_INFO, (nint)(&info), out errno) < 0)
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

            var config = RegionInfo(kernel, device, address, VfioApi.VFIO_PCI_CONFIG_REGION_INDEX);
            var session = new VfioSession(kernel, address, container, groupFd, device, info.flags, bars, (long)config.offset, iommu, windows, options);
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

    internal MmioWindow? Bar(uint index) => index < BarCount ? _bars[index] : null;

    /// <summary>Picks an IO address the device can reach, maps the memory there, and returns it.</summary>
    internal unsafe ulong Map(nint address, ulong length, ulong pageSize, DmaAccess access)
    {
        var alignment = Math.Max(pageSize, _minPage);
        IovaAllocator? window = null;
        ulong iova = 0;
        foreach (var candidate in _windows)
        {
            if (candidate.TryAllocate(length, alignment, out iova))
            {
                window = candidate;
                break;
            }
        }

        if (window is null)
        {
            throw new OpaeException(
                FpgaResult.NoMemory,
                $"IO address space exhausted on {Address}: no free {length}-byte range in {DescribeWindows()}; release buffers" +
                (Options.DmaAddressBits is { } bits ? $" (the device reaches only {bits}-bit IO addresses)" : ""));
        }

        var map = new VfioApi.vfio_iommu_type1_dma_map
        {
            argsz = (uint)sizeof(VfioApi.vfio_iommu_type1_dma_map),
            flags = VfioApi.VFIO_DMA_MAP_FLAG_READ | ((access & DmaAccess.Write) != 0 ? VfioApi.VFIO_DMA_MAP_FLAG_WRITE : 0),
            vaddr = (ulong)address,
            iova = iova,
            size = length,
        };
        if (_kernel.Ioctl(_container, VfioApi.VFIO_IOMMU_MAP_DMA, (nint)(&map), out var errno) < 0)
        {
            window.Free(iova, length);
            var what = $"VFIO_IOMMU_MAP_DMA of 0x{address:x}+{length} at IO address 0x{iova:x} on {Address}";
            throw errno switch
            {
                Errno.ENOSPC => new OpaeException(
                    FpgaResult.NoMemory,
                    $"{what}: the kernel's limit on DMA mappings per container is reached (vfio_iommu_type1 dma_entry_limit, 65535 by default); " +
                    "release buffers, or raise it: modprobe vfio_iommu_type1 dma_entry_limit=N"),
                Errno.ENOMEM => new OpaeException(
                    FpgaResult.NoMemory,
                    $"{what}: VFIO could not pin the pages; it counts them against RLIMIT_MEMLOCK besides the library's own lock, so allow twice the buffers' size. " +
                    MemoryLimits.DescribeLockFailure((long)length, errno)),
                Errno.EINVAL or Errno.EFAULT or Errno.EEXIST => new OpaeException(FpgaResult.InvalidParam, $"{what} refused: {Libc.StrError(errno)} ({errno})"),
                _ => KernelErrors.Exception(what, errno),
            };
        }

        _mappings[iova] = (length, window);
        return iova;
    }

    /// <summary>Removes a mapping; its IO addresses are reused only once the kernel confirms it is gone.</summary>
    internal unsafe void Unmap(ulong iova, ulong length)
    {
        if (!_mappings.TryRemove(iova, out var mapping))
        {
            throw new OpaeException(FpgaResult.InvalidParam, $"IO address 0x{iova:x} is not mapped on {Address}");
        }

        var unmap = new VfioApi.vfio_iommu_type1_dma_unmap
        {
            argsz = (uint)sizeof(VfioApi.vfio_iommu_type1_dma_unmap),
            iova = iova,
            size = mapping.Length,
        };
        if (_kernel.Ioctl(_container, VfioApi.VFIO_IOMMU_UNMAP_DMA, (nint)(&unmap), out var errno) < 0)
        {
            throw KernelErrors.Exception($"VFIO_IOMMU_UNMAP_DMA of IO address 0x{iova:x}+{mapping.Length} on {Address}", errno);
        }

        if (unmap.size != mapping.Length)
        {
            throw new OpaeException(FpgaResult.Exception, $"VFIO_IOMMU_UNMAP_DMA at 0x{iova:x} removed {unmap.size} of {mapping.Length} bytes on {Address}");
        }

        mapping.Window.Free(iova, mapping.Length);
    }

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

        foreach (var iova in _mappings.Keys)
        {
            try
            {
                Unmap(iova, 0);
            }
            catch (OpaeException)
            {
                // Closing the container below drops the mapping anyway.
            }
        }

        foreach (var bar in _bars)
        {
            bar?.Dispose();
        }

        _device.Dispose();
        _group.Dispose();
        _container.Dispose();
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

    private string DescribeWindows() =>
        string.Join(", ", _windows.Select(w => $"0x{w.Start:x}..0x{w.End:x}")) is { Length: > 0 } text ? text : "no usable range";

    private static SafeFileDescriptor OpenNode(IKernel kernel, string path, Stack<IDisposable> opened)
    {
        var errno = kernel.Open(path, Libc.O_RDWR, out var fd);
        if (errno != Errno.None || fd is null)
        {
            var hint = errno == Errno.ENOENT && path.EndsWith("/vfio", StringComparison.Ordinal)
                ? "VFIO is not available: modprobe vfio-pci (docs/hardware.md)"
                : KernelErrors.OpenHint(path, errno);
            throw KernelErrors.Exception($"open {path}", errno, hint);
        }

        opened.Push(fd);
        return fd;
    }

    private static unsafe VfioApi.vfio_region_info RegionInfo(IKernel kernel, SafeFileDescriptor device, string address, uint index)
    {
        var info = new VfioApi.vfio_region_info { argsz = (uint)sizeof(VfioApi.vfio_region_info), index = index };
        if (kernel.Ioctl(device, VfioApi.VFIO_DEVICE_GET_REGION_INFO, (nint)(&info), out var errno) < 0)
        {
            throw KernelErrors.Exception($"VFIO_DEVICE_GET_REGION_INFO {index} of {address}", errno);
        }

        return info;
    }

    private static MmioWindow? OpenBar(IKernel kernel, SafeFileDescriptor device, string address, uint index, Stack<IDisposable> opened)
    {
        var info = RegionInfo(kernel, device, address, index);
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
