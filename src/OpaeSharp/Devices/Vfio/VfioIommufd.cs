using OpaeSharp.Devices.Kernel;
using OpaeSharp.Interop;
using OpaeSharp.Memory;
using IommufdApi = OpaeSharp.Interop.Iommufd;
using VfioApi = OpaeSharp.Interop.Vfio;

namespace OpaeSharp.Devices.Vfio;

/// <summary>
/// An iommufd IO address space (IOAS) with one VFIO device cdev attached to it (Linux 6.6+): no
/// container, no group node, and no per-container mapping limit. We still choose every IO address
/// (IOMMU_IOAS_MAP_FIXED_IOVA), inside the ranges the IOAS reports after the attach.
/// </summary>
internal sealed class VfioIommufd : IVfioIommu
{
    internal const string IommuNode = "/dev/iommu";

    private readonly IKernel _kernel;
    private readonly string _address;
    private readonly SafeFileDescriptor _iommufd;
    private readonly uint _ioas;

    private VfioIommufd(IKernel kernel, string address, SafeFileDescriptor iommufd, uint ioas)
    {
        _kernel = kernel;
        _address = address;
        _iommufd = iommufd;
        _ioas = ioas;
    }

    public string Kind => "iommufd";

    /// <summary>The IOAS id the device is attached to.</summary>
    internal uint IoasId => _ioas;

    /// <summary>
    /// /dev/iommu, the device cdev, VFIO_DEVICE_BIND_IOMMUFD, IOMMU_IOAS_ALLOC, VFIO_DEVICE_ATTACH_IOMMUFD_PT.
    /// Descriptors are pushed on <paramref name="opened"/> as they open (closing the cdev unbinds it,
    /// closing /dev/iommu destroys the IOAS and every mapping in it).
    /// </summary>
    internal static unsafe SafeFileDescriptor Attach(IKernel kernel, string address, string cdev, Stack<IDisposable> opened, out VfioIommufd iommu)
    {
        var iommufd = VfioNodes.Open(kernel, IommuNode, opened);
        var device = VfioNodes.Open(kernel, cdev, opened);

        var bind = new VfioApi.vfio_device_bind_iommufd { argsz = (uint)sizeof(VfioApi.vfio_device_bind_iommufd), iommufd = iommufd.Value };
        if (kernel.Ioctl(device, VfioApi.VFIO_DEVICE_BIND_IOMMUFD, (nint)(&bind), out var errno) < 0)
        {
            // A cdev can be bound once: EINVAL here means another process (or handle) has the device,
            // EBUSY that a process uses its group through the legacy container.
            throw errno is Errno.EINVAL or Errno.EBUSY
                ? new OpaeException(FpgaResult.Busy, $"VFIO_DEVICE_BIND_IOMMUFD of {cdev} ({address}): {Libc.StrError(errno)} ({errno}); the device is open elsewhere (another process, or its IOMMU group through /dev/vfio)")
                : KernelErrors.Exception($"VFIO_DEVICE_BIND_IOMMUFD of {cdev} ({address})", errno);
        }

        var alloc = new IommufdApi.iommu_ioas_alloc { size = (uint)sizeof(IommufdApi.iommu_ioas_alloc) };
        if (kernel.Ioctl(iommufd, IommufdApi.IOMMU_IOAS_ALLOC, (nint)(&alloc), out errno) < 0)
        {
            throw KernelErrors.Exception("IOMMU_IOAS_ALLOC", errno);
        }

        var attach = new VfioApi.vfio_device_attach_iommufd_pt { argsz = (uint)sizeof(VfioApi.vfio_device_attach_iommufd_pt), pt_id = alloc.out_ioas_id };
        if (kernel.Ioctl(device, VfioApi.VFIO_DEVICE_ATTACH_IOMMUFD_PT, (nint)(&attach), out errno) < 0)
        {
            throw KernelErrors.Exception($"VFIO_DEVICE_ATTACH_IOMMUFD_PT of {address} to IOAS {alloc.out_ioas_id}", errno);
        }

        iommu = new VfioIommufd(kernel, address, iommufd, alloc.out_ioas_id);
        return device;
    }

    /// <summary>IOMMU_IOAS_IOVA_RANGES, asked again with room for every range when the kernel says EMSGSIZE.</summary>
    public unsafe VfioIommuInfo QueryInfo()
    {
        var query = new IommufdApi.iommu_ioas_iova_ranges { size = (uint)sizeof(IommufdApi.iommu_ioas_iova_ranges), ioas_id = _ioas };
        var ranges = Array.Empty<IommufdApi.iommu_iova_range>();

        // The ranges can change between the two calls (another attach): ask until they fit.
        for (var attempt = 0; ; attempt++)
        {
            fixed (IommufdApi.iommu_iova_range* p = ranges)
            {
                query.num_iovas = (uint)ranges.Length;
                query.allowed_iovas = (ulong)p;
                if (_kernel.Ioctl(_iommufd, IommufdApi.IOMMU_IOAS_IOVA_RANGES, (nint)(&query), out var errno) >= 0)
                {
                    break;
                }

                if (errno != Errno.EMSGSIZE || attempt == 3 || query.num_iovas <= ranges.Length)
                {
                    throw KernelErrors.Exception($"IOMMU_IOAS_IOVA_RANGES of IOAS {_ioas}", errno);
                }
            }

            ranges = new IommufdApi.iommu_iova_range[query.num_iovas];
        }

        var usable = ranges.Take((int)Math.Min(query.num_iovas, (uint)ranges.Length)).Select(r => (r.start, r.last)).ToList();

        // out_iova_alignment is a power of two no larger than the system page: as a page-size bitmap it is one bit.
        return new VfioIommuInfo(usable, query.out_iova_alignment, null);
    }

    public unsafe Status Program(ulong iova, PinnedMemory memory, DmaAccess access)
    {
        var address = memory.Address;
        var length = (ulong)memory.Length;
        var map = new IommufdApi.iommu_ioas_map
        {
            size = (uint)sizeof(IommufdApi.iommu_ioas_map),
            flags = IommufdApi.IOMMU_IOAS_MAP_FIXED_IOVA | IommufdApi.IOMMU_IOAS_MAP_READABLE |
                ((access & DmaAccess.Write) != 0 ? IommufdApi.IOMMU_IOAS_MAP_WRITEABLE : 0),
            ioas_id = _ioas,
            user_va = (ulong)address,
            length = length,
            iova = iova,
        };
        if (_kernel.Ioctl(_iommufd, IommufdApi.IOMMU_IOAS_MAP, (nint)(&map), out var errno) < 0)
        {
            var what = $"IOMMU_IOAS_MAP of 0x{address:x}+{length} at IO address 0x{iova:x} on {_address}";
            return errno switch
            {
                Errno.ENOMEM => Status.Fail(
                    FpgaResult.NoMemory,
                    $"{what}: iommufd could not pin the pages; it counts them against RLIMIT_MEMLOCK (the library locks nothing itself on this backend). " +
                    MemoryLimits.DescribeLockFailure((long)length, errno)),
                Errno.ENOSPC => Status.Fail(FpgaResult.NoMemory, $"{what}: the IOMMU has no room for the mapping; release buffers"),
                Errno.EINVAL or Errno.EFAULT or Errno.EEXIST or Errno.ENOENT => Status.Fail(FpgaResult.InvalidParam, $"{what} refused: {Libc.StrError(errno)} ({errno})"),
                _ => KernelErrors.Failure(what, errno),
            };
        }

        return Status.Ok;
    }

    public unsafe Status Clear(ulong iova, ulong length)
    {
        var unmap = new IommufdApi.iommu_ioas_unmap
        {
            size = (uint)sizeof(IommufdApi.iommu_ioas_unmap),
            ioas_id = _ioas,
            iova = iova,
            length = length,
        };
        if (_kernel.Ioctl(_iommufd, IommufdApi.IOMMU_IOAS_UNMAP, (nint)(&unmap), out var errno) < 0)
        {
            return KernelErrors.Failure($"IOMMU_IOAS_UNMAP of IO address 0x{iova:x}+{length} on {_address}", errno);
        }

        if (unmap.length != length)
        {
            return Status.Fail(FpgaResult.Exception, $"IOMMU_IOAS_UNMAP at 0x{iova:x} removed {unmap.length} of {length} bytes on {_address}");
        }

        return Status.Ok;
    }

    public void Dispose() => _iommufd.Dispose();
}
