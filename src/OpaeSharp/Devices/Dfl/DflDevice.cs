using OpaeSharp.Devices.Kernel;
using OpaeSharp.Dma;
using OpaeSharp.Interop;
using OpaeSharp.Memory;
using DflApi = OpaeSharp.Interop.Dfl;

namespace OpaeSharp.Devices.Dfl;

/// <summary>
/// An open port of the DFL (or legacy intel-fpga) driver: the driver pins and maps buffers and
/// returns their IO addresses; MMIO region 0 is the AFU, mapped into the process at open.
/// </summary>
internal sealed class DflDevice : IDevice, IDmaMapper
{
    private readonly IKernel _kernel;
    private readonly DflDriver _driver;
    private readonly SafeFileDescriptor _port;
    private readonly MmioWindow _afu;
    private readonly string _path;
    private int _disposed;

    private DflDevice(IKernel kernel, DflDriver driver, string path, SafeFileDescriptor port, MmioWindow afu, DflInterruptClaims claims)
    {
        _kernel = kernel;
        _driver = driver;
        _path = path;
        _port = port;
        _afu = afu;

        // OPAE routes events only through the upstream driver's ioctls; the intel-fpga driver gets none.
        if (driver == DflDriver.Upstream)
        {
            Interrupts = new DflInterruptLines(kernel, port, path, DflApi.DFL_FPGA_PORT_UINT_GET_IRQ_NUM, DflApi.DFL_FPGA_PORT_UINT_SET_IRQ, "user interrupt", claims);
            ErrorInterrupts = new DflInterruptLines(kernel, port, path, DflApi.DFL_FPGA_PORT_ERR_GET_IRQ_NUM, DflApi.DFL_FPGA_PORT_ERR_SET_IRQ, "error interrupt", claims);
        }

        // The driver maps a buffer as one physically contiguous range, and pins it itself.
        Capabilities = new DeviceCapabilities(RequiresContiguousBuffers: true, SupportsReadOnly: driver.HasDirectionFlags, DriverPinsPages: true);
    }

    public DeviceCapabilities Capabilities { get; }

    public IDmaMapper Dma => this;

    /// <summary>Opens <paramref name="path"/> (exclusively unless <paramref name="shared"/>) and maps its AFU registers; nothing stays open on failure.</summary>
    internal static unsafe DflDevice OpenPort(IKernel kernel, DflDriver driver, string path, bool shared, DflInterruptClaims claims)
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

            return new DflDevice(kernel, driver, path, port, new MmioWindow(kernel, port, info.size, (long)info.offset, mapping), claims);
        }
        catch
        {
            mapping?.Dispose();
            port.Dispose();
            throw;
        }
    }

    public ulong MmioSize(uint region) => region == 0 ? _afu.Size : 0;

    public unsafe Status Map(PinnedMemory memory, DmaAccess access, out ulong iova)
    {
        var address = memory.Address;
        var length = (ulong)memory.Length;
        var pageSize = (ulong)memory.PageSize;
        var map = new DflApi.dfl_fpga_port_dma_map
        {
            argsz = (uint)sizeof(DflApi.dfl_fpga_port_dma_map),
            flags = _driver.MapFlags(access),
            user_addr = (ulong)address,
            length = length,
        };
        if (_kernel.Ioctl(_port, _driver.DmaMap, (nint)(&map), out var errno) < 0)
        {
            iova = 0;
            var what = $"{_driver.Name} DMA map of 0x{address:x}+{length} on {_path}";
            return errno switch
            {
                Errno.ENOMEM => Status.Fail(
                    FpgaResult.NoMemory,
                    $"{what}: the driver could not pin the pages; {MemoryLimits.DescribeLockFailure((long)length, errno)}"),
                Errno.EINVAL => Status.Fail(
                    FpgaResult.InvalidParam,
                    $"{what} refused (EINVAL): the driver maps page-aligned, physically contiguous memory not already mapped " +
                    $"(buffers over 4 KiB need hugepages; this one is on {PageSizes.Name((long)pageSize)} pages)"),
                _ => KernelErrors.Failure(what, errno),
            };
        }

        iova = map.iova;
        return Status.Ok;
    }

    public unsafe Status Unmap(ulong iova, ulong length)
    {
        var unmap = new DflApi.dfl_fpga_port_dma_unmap
        {
            argsz = (uint)sizeof(DflApi.dfl_fpga_port_dma_unmap),
            iova = iova,
        };
        return _kernel.Ioctl(_port, _driver.DmaUnmap, (nint)(&unmap), out var errno) < 0
            ? KernelErrors.Failure($"{_driver.Name} DMA unmap of IO address 0x{iova:x} on {_path}", errno)
            : Status.Ok;
    }

    public uint ReadMmio32(uint region, ulong offset) => _afu.Read32(offset);

    public ulong ReadMmio64(uint region, ulong offset) => _afu.Read64(offset);

    public void WriteMmio32(uint region, ulong offset, uint value) => _afu.Write32(offset, value);

    public void WriteMmio64(uint region, ulong offset, ulong value) => _afu.Write64(offset, value);

    public void WriteMmio512(uint region, ulong offset, ReadOnlySpan<byte> value) => _afu.Write512(offset, value);

    public nint MapMmio(uint region) => region == 0 ? _afu.Address : 0;

    // OPAE's DFL plugin has no fpgaBindSVA: the port driver cannot share a process address space.
    public Status BindSva(out uint pasid)
    {
        pasid = 0;
        return Status.Fail(FpgaResult.NotSupported, $"the {_driver.Name} port driver ({_path}) cannot bind a process address space (shared virtual addressing)");
    }

    public void Reset()
    {
        if (_kernel.Ioctl(_port, _driver.PortReset, 0, out var errno) < 0)
        {
            throw KernelErrors.Exception($"reset of {_path}", errno);
        }
    }

    public IInterruptLines? Interrupts { get; }

    public IInterruptLines? ErrorInterrupts { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Closing the port makes the driver unmap and unpin whatever is still mapped.
        _afu.Dispose();
        _port.Dispose();
    }
}
