using System.Buffers.Binary;
using OpaeSharp.Devices.Kernel;
using OpaeSharp.Interop;
using VfioApi = OpaeSharp.Interop.Vfio;

namespace OpaeSharp.Devices.Vfio;

/// <summary>What the type1 IOMMU of a container accepts: usable IO address ranges, page sizes, mappings left.</summary>
/// <param name="Ranges">Usable ranges, inclusive ends (the kernel's <c>vfio_iova_range</c>).</param>
/// <param name="PageSizes">Bitmap of the IOMMU's page sizes.</param>
/// <param name="DmaAvailable">Mappings the kernel still allows (dma_entry_limit minus those made), when it says.</param>
internal sealed record VfioIommuInfo(IReadOnlyList<(ulong Start, ulong End)> Ranges, ulong PageSizes, uint? DmaAvailable)
{
    /// <summary>The smallest page the IOMMU maps: IO addresses and lengths must be multiples of it.</summary>
    internal ulong MinPageSize => PageSizes == 0 ? 4096 : PageSizes & (~PageSizes + 1);

    /// <summary>VFIO_IOMMU_GET_INFO, asking again with room for the capability chain when the kernel wants more.</summary>
    internal static unsafe VfioIommuInfo Query(IKernel kernel, SafeFileDescriptor container)
    {
        var info = new VfioApi.vfio_iommu_type1_info { argsz = (uint)sizeof(VfioApi.vfio_iommu_type1_info) };
        if (kernel.Ioctl(container, VfioApi.VFIO_IOMMU_GET_INFO, (nint)(&info), out var errno) < 0)
        {
            throw KernelErrors.Exception("VFIO_IOMMU_GET_INFO", errno);
        }

        var bytes = new byte[Math.Max(info.argsz, (uint)sizeof(VfioApi.vfio_iommu_type1_info))];
        if (info.argsz > sizeof(VfioApi.vfio_iommu_type1_info))
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, info.argsz);
            fixed (byte* p = bytes)
            {
                if (kernel.Ioctl(container, VfioApi.VFIO_IOMMU_GET_INFO, (nint)p, out errno) < 0)
                {
                    throw KernelErrors.Exception("VFIO_IOMMU_GET_INFO (with capabilities)", errno);
                }
            }
        }
        else
        {
            fixed (byte* p = bytes)
            {
                *(VfioApi.vfio_iommu_type1_info*)p = info;
            }
        }

        return Parse(bytes);
    }

    /// <summary>Reads a <c>vfio_iommu_type1_info</c> and its capability chain.</summary>
    internal static VfioIommuInfo Parse(ReadOnlySpan<byte> bytes)
    {
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
        var pageSizes = (flags & VfioApi.VFIO_IOMMU_INFO_PGSIZES) != 0 ? BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]) : 0;
        var capOffset = BinaryPrimitives.ReadUInt32LittleEndian(bytes[16..]);
        var ranges = new List<(ulong, ulong)>();
        var sawRanges = false;
        uint? available = null;

        // The chain is walked with bounds checks, and a cycle cannot run forever: offsets only grow.
        var offset = (flags & VfioApi.VFIO_IOMMU_INFO_CAPS) != 0 ? capOffset : 0;
        while (offset != 0 && offset + 8 <= bytes.Length)
        {
            var cap = bytes[(int)offset..];
            var id = BinaryPrimitives.ReadUInt16LittleEndian(cap);
            var next = BinaryPrimitives.ReadUInt32LittleEndian(cap[4..]);
            if (id == VfioApi.VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE && cap.Length >= 16)
            {
                sawRanges = true;
                var count = BinaryPrimitives.ReadUInt32LittleEndian(cap[8..]);
                for (var i = 0; i < count && 16 + (i * 16) + 16 <= cap.Length; i++)
                {
                    var range = cap[(16 + (i * 16))..];
                    ranges.Add((BinaryPrimitives.ReadUInt64LittleEndian(range), BinaryPrimitives.ReadUInt64LittleEndian(range[8..])));
                }
            }
            else if (id == VfioApi.VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL && cap.Length >= 12)
            {
                available = BinaryPrimitives.ReadUInt32LittleEndian(cap[8..]);
            }

            if (next <= offset)
            {
                break;
            }

            offset = next;
        }

        if (!sawRanges)
        {
            // Kernels before 5.4 do not report ranges: the whole space, as they would accept.
            ranges.Add((0, ulong.MaxValue));
        }

        return new VfioIommuInfo(ranges, pageSizes, available);
    }
}
