using OpaeSharp.Enumeration;
using System.Buffers.Binary;
using OpaeSharp.Devices.Kernel;
using OpaeSharp.Interop;
using VfioApi = OpaeSharp.Interop.Vfio;

namespace OpaeSharp.Devices.Vfio;

/// <summary>
/// Reads which AFU a function bound to vfio-pci holds, at enumeration: attaches the device exactly
/// as a session does, reads BAR 0's feature list with pread (no mapping, no bus mastering, no DMA),
/// and closes everything again, so enumerating never keeps a device open.
/// </summary>
internal static class VfioAfuProbe
{
    internal static AfuIdentity Read(IKernel kernel, string address, string group, VfioOptions options)
    {
        var opened = new Stack<IDisposable>();
        try
        {
            var device = VfioSession.Attach(kernel, address, group, options, opened, out _);
            var bar0 = VfioNodes.RegionInfo(kernel, device, address, VfioApi.VFIO_PCI_BAR0_REGION_INDEX);
            if (bar0.size == 0 || (bar0.flags & VfioApi.VFIO_REGION_INFO_FLAG_READ) == 0)
            {
                return new AfuIdentity(Guid.Empty, "BAR 0 is absent or cannot be read");
            }

            var afu = DeviceFeatureList.FindAfu(offset => Read64(kernel, device, address, (long)(bar0.offset + offset)), bar0.size, out var reason);
            return afu is { } guid ? new AfuIdentity(guid, null) : new AfuIdentity(Guid.Empty, reason);
        }
        catch (OpaeException e)
        {
            return new AfuIdentity(Guid.Empty, $"BAR 0 could not be read ({e.Message})");
        }
        finally
        {
            while (opened.Count > 0)
            {
                opened.Pop().Dispose();
            }
        }
    }

    private static ulong Read64(IKernel kernel, SafeFileDescriptor device, string address, long offset)
    {
        Span<byte> bytes = stackalloc byte[8];
        var errno = kernel.Pread(device, bytes, offset, out var count);
        if (errno != Errno.None || count != 8)
        {
            throw KernelErrors.Exception($"reading BAR 0 of {address}", errno == Errno.None ? Errno.EIO : errno);
        }

        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }
}
