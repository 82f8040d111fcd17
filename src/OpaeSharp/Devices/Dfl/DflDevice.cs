using OpaeSharp.Devices.Kernel;
using OpaeSharp.Interop;
using OpaeSharp.Memory;
using DflApi = OpaeSharp.Interop.Dfl;

namespace OpaeSharp.Devices.Dfl;

/// <summary>
/// An open port of the DFL (or legacy intel-fpga) driver: the driver pins and maps buffers and
/// returns their IO addresses; MMIO region 0 is the AFU, mapped into the process at open.
/// An FPGA_DEVICE handle opens nothing: it has no DMA and no registers here.
/// </summary>
internal sealed class DflDevice : IDevice
{
    private readonly IKernel? _kernel;
    private readonly DflDriver _driver;
    private readonly SafeFileDescriptor? _port;
    private readonly MmioWindow? _afu;
    private readonly string _path;
    private int _disposed;

    private DflDevice(IKernel? kernel, DflDriver driver, string path, SafeFileDescriptor? port, MmioWindow? afu)
    {
        _kernel = kernel;
        _driver = driver;
        _path = path;
        _port = port;
        _afu = afu;
    }

    // The driver maps a buffer as one physically contiguous range.
    public bool RequiresContiguousBuffers => true;

    public bool SupportsReadOnly => _driver.HasDirectionFlags;

    public bool SupportsDma => _port is not null;

    public IReadOnlyList<DmaFault> DmaFaults => [];

    /// <summary>A handle on an FPGA_DEVICE object.</summary>
    internal static DflDevice ForFpgaDevice(DflDriver driver, string name) => new(null, driver, name, null, null);

    /// <summary>Opens <paramref name="path"/> (exclusively unless <paramref name="shared"/>) and maps its AFU registers; nothing stays open on failure.</summary>
    internal static unsafe DflDevice OpenPort(IKernel kernel, DflDriver driver, string path, bool shared)
    {
        var errno = kernel.Open(path, Libc.O_RDWR | (shared ? 0 : Libc.O_EXCL), out var port);
        if (errno != Errno.None || port is null)
        {
            throw KernelErrors.Exception($"open {path}", errno, KernelErrors.OpenHint(path, errno));
        }

        SafeMappedRegion? mapping = null;
        try
        {
            var info = new DflApi.dfl_fpga_port_region_info
            {
                argsz = (uint)sizeof(DflApi.dfl_fpga_port_region_info),
                index = DflApi.DFL_PORT_REGION_INDEX_AFU,
            };
            if (kernel.Ioctl(port, driver.GetRegionInfo, (nint)(&info), out errno) < 0)
            {
                throw KernelErrors.Exception($"region info of {path} (AFU region)", errno);
            }

            if ((info.flags & driver.RegionMmap) == 0 || info.size == 0)
            {
                throw new OpaeException(FpgaResult.NotSupported, $"{path}: the driver does not let the AFU registers be mapped (flags 0x{info.flags:x}, size {info.size})");
            }

            errno = kernel.MapShared(port, info.size, (long)info.offset, out mapping);
            if (errno != Errno.None || mapping is null)
            {
                throw KernelErrors.Exception($"mmap of the AFU registers of {path} ({info.size} bytes)", errno);
            }

            return new DflDevice(kernel, driver, path, port, new MmioWindow(kernel, port, info.size, (long)info.offset, mapping));
        }
        catch
        {
            mapping?.Dispose();
            port.Dispose();
            throw;
        }
    }

    public ulong MmioSize(uint region) => region == 0 && _afu is not null ? _afu.Size : 0;

    public unsafe ulong MapDma(nint address, ulong length, ulong pageSize, DmaAccess access)
    {
        var (kernel, port) = Port();
        var map = new DflApi.dfl_fpga_port_dma_map
        {
            argsz = (uint)sizeof(DflApi.dfl_fpga_port_dma_map),
            flags = _driver.MapFlags(access),
            user_addr = (ulong)address,
            length = length,
        };
        if (kernel.Ioctl(port, _driver.DmaMap, (nint)(&map), out var errno) < 0)
        {
            var what = $"{_driver.Name} DMA map of 0x{address:x}+{length} on {_path}";
            throw errno switch
            {
                Errno.ENOMEM => new OpaeException(
                    FpgaResult.NoMemory,
                    $"{what}: the driver could not pin the pages; {MemoryLimits.DescribeLockFailure((long)length, errno)}"),
                Errno.EINVAL => new OpaeException(
                    FpgaResult.InvalidParam,
                    $"{what} refused (EINVAL): the driver maps page-aligned, physically contiguous memory not already mapped " +
                    $"(buffers over 4 KiB need hugepages; this one is on {PageSizes.Name((long)pageSize)} pages)"),
                _ => KernelErrors.Exception(what, errno),
            };
        }

        return map.iova;
    }

    public unsafe void UnmapDma(ulong iova, ulong length)
    {
        var (kernel, port) = Port();
        var unmap = new DflApi.dfl_fpga_port_dma_unmap
        {
            argsz = (uint)sizeof(DflApi.dfl_fpga_port_dma_unmap),
            iova = iova,
        };
        if (kernel.Ioctl(port, _driver.DmaUnmap, (nint)(&unmap), out var errno) < 0)
        {
            throw KernelErrors.Exception($"{_driver.Name} DMA unmap of IO address 0x{iova:x} on {_path}", errno);
        }
    }

    public uint ReadMmio32(uint region, ulong offset) => Afu().Read32(offset);

    public ulong ReadMmio64(uint region, ulong offset) => Afu().Read64(offset);

    public void WriteMmio32(uint region, ulong offset, uint value) => Afu().Write32(offset, value);

    public void WriteMmio64(uint region, ulong offset, ulong value) => Afu().Write64(offset, value);

    public nint MapMmio(uint region) => region == 0 ? Afu().Address : 0;

    public void Reset()
    {
        if (_port is null)
        {
            return;
        }

        var (kernel, port) = Port();
        if (kernel.Ioctl(port, _driver.PortReset, 0, out var errno) < 0)
        {
            throw KernelErrors.Exception($"reset of {_path}", errno);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Closing the port makes the driver unmap and unpin whatever is still mapped.
        _afu?.Dispose();
        _port?.Dispose();
    }

    private (IKernel Kernel, SafeFileDescriptor Port) Port()
    {
        if (_port is null || _kernel is null)
        {
            throw new OpaeException(FpgaResult.InvalidParam, $"{_path} is an FPGA device handle: it has no port");
        }

        return (_kernel, _port);
    }

    private MmioWindow Afu() => _afu ?? throw new OpaeException(FpgaResult.InvalidParam, $"{_path} has no MMIO region");
}
