using OpaeSharp.Devices.Kernel;
using OpaeSharp.Interop;
using VfioApi = OpaeSharp.Interop.Vfio;

namespace OpaeSharp.Devices.Vfio;

/// <summary>Opening VFIO's device nodes and asking a device for its regions, shared by the session and the AFU probe.</summary>
internal static class VfioNodes
{
    /// <summary>Opens <paramref name="path"/> read-write and pushes it on <paramref name="opened"/>; the error says what to do.</summary>
    internal static SafeFileDescriptor Open(IKernel kernel, string path, Stack<IDisposable> opened)
    {
        var errno = kernel.Open(path, Libc.O_RDWR, out var fd);
        if (errno != Errno.None || fd is null)
        {
            var hint = errno switch
            {
                Errno.ENOENT when path == "/dev/vfio/vfio" => "VFIO is not available: modprobe vfio-pci (docs/hardware.md)",
                Errno.ENOENT when path == "/dev/iommu" => "iommufd is not available (Linux 6.2+ with CONFIG_IOMMUFD): use OPAESHARP_VFIO_IOMMU=type1",
                Errno.EBUSY when path.StartsWith("/dev/vfio/", StringComparison.Ordinal) => "another process (or handle) has the device's IOMMU group open",
                _ => KernelErrors.OpenHint(path, errno),
            };
            throw KernelErrors.Exception($"open {path}", errno, hint);
        }

        opened.Push(fd);
        return fd;
    }

    /// <summary>VFIO_DEVICE_GET_REGION_INFO for region <paramref name="index"/> (BAR N is region N, config space region 7).</summary>
    internal static unsafe VfioApi.vfio_region_info RegionInfo(IKernel kernel, SafeFileDescriptor device, string address, uint index)
    {
        var info = new VfioApi.vfio_region_info { argsz = (uint)sizeof(VfioApi.vfio_region_info), index = index };
        if (kernel.Ioctl(device, VfioApi.VFIO_DEVICE_GET_REGION_INFO, (nint)(&info), out var errno) < 0)
        {
            throw KernelErrors.Exception($"VFIO_DEVICE_GET_REGION_INFO {index} of {address}", errno);
        }

        return info;
    }
}
