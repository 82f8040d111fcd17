using System.Text;
using OpaeSharp.Devices.Kernel;
using OpaeSharp.Interop;
using OpaeSharp.Memory;
using VfioApi = OpaeSharp.Interop.Vfio;

namespace OpaeSharp.Devices.Vfio;

/// <summary>
/// The legacy VFIO address space: a container with the type1 (v2) IOMMU and the function's IOMMU
/// group set into it. Works on every kernel with VFIO, including those with iommufd (through its
/// compatibility layer).
/// </summary>
internal sealed class VfioType1Container : IVfioIommu
{
    private readonly IKernel _kernel;
    private readonly string _address;
    private readonly SafeFileDescriptor _container;
    private readonly SafeFileDescriptor _group;

    private VfioType1Container(IKernel kernel, string address, SafeFileDescriptor container, SafeFileDescriptor group)
    {
        _kernel = kernel;
        _address = address;
        _container = container;
        _group = group;
    }

    public string Kind => "type1v2";

    /// <summary>
    /// Container, group, type1v2 IOMMU, then the device descriptor (the kernel hands it out only once
    /// the group's container has an IOMMU). Every descriptor is pushed on <paramref name="opened"/> as
    /// it is opened, so the caller can close them in reverse when a later step fails.
    /// </summary>
    internal static unsafe SafeFileDescriptor Attach(IKernel kernel, string address, string group, Stack<IDisposable> opened, out VfioType1Container iommu)
    {
        var container = VfioNodes.Open(kernel, "/dev/vfio/vfio", opened);
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
        var groupFd = VfioNodes.Open(kernel, groupPath, opened);
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
        iommu = new VfioType1Container(kernel, address, container, groupFd);
        return device;
    }

    public VfioIommuInfo QueryInfo() => VfioIommuInfo.Query(_kernel, _container);

    public unsafe Status Program(ulong iova, PinnedMemory memory, DmaAccess access)
    {
        var address = memory.Address;
        var length = (ulong)memory.Length;
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
            var what = $"VFIO_IOMMU_MAP_DMA of 0x{address:x}+{length} at IO address 0x{iova:x} on {_address}";
            return errno switch
            {
                Errno.ENOSPC => Status.Fail(
                    FpgaResult.NoMemory,
                    $"{what}: the kernel's limit on DMA mappings per container is reached (vfio_iommu_type1 dma_entry_limit, 65535 by default); " +
                    "release buffers, or raise it: modprobe vfio_iommu_type1 dma_entry_limit=N"),
                Errno.ENOMEM => Status.Fail(
                    FpgaResult.NoMemory,
                    $"{what}: VFIO could not pin the pages; it counts them against RLIMIT_MEMLOCK (the library locks nothing itself on this backend). " +
                    MemoryLimits.DescribeLockFailure((long)length, errno)),
                Errno.EINVAL or Errno.EFAULT or Errno.EEXIST => Status.Fail(FpgaResult.InvalidParam, $"{what} refused: {Libc.StrError(errno)} ({errno})"),
                _ => KernelErrors.Failure(what, errno),
            };
        }

        return Status.Ok;
    }

    public unsafe Status Clear(ulong iova, ulong length)
    {
        var unmap = new VfioApi.vfio_iommu_type1_dma_unmap
        {
            argsz = (uint)sizeof(VfioApi.vfio_iommu_type1_dma_unmap),
            iova = iova,
            size = length,
        };
        if (_kernel.Ioctl(_container, VfioApi.VFIO_IOMMU_UNMAP_DMA, (nint)(&unmap), out var errno) < 0)
        {
            return KernelErrors.Failure($"VFIO_IOMMU_UNMAP_DMA of IO address 0x{iova:x}+{length} on {_address}", errno);
        }

        // The kernel reports success with size 0 when nothing was mapped exactly there.
        if (unmap.size != length)
        {
            return Status.Fail(FpgaResult.Exception, $"VFIO_IOMMU_UNMAP_DMA at 0x{iova:x} removed {unmap.size} of {length} bytes on {_address}");
        }

        return Status.Ok;
    }

    public void Dispose()
    {
        _group.Dispose();
        _container.Dispose();
    }
}
