using System.Runtime.InteropServices;
using static OpaeSharp.Interop.Libc;

namespace OpaeSharp.Interop;

/// <summary>The iommufd user API (<c>linux/iommufd.h</c>) used by the vfio-pci backend, names and layouts as in the header.</summary>
/// <remarks>Every struct starts with its own size; the kernel accepts a caller's older, shorter struct.</remarks>
internal static class Iommufd
{
    internal const uint IOMMUFD_TYPE = ';';

    internal const uint IOMMUFD_CMD_DESTROY = 0x80;
    internal const uint IOMMUFD_CMD_IOAS_ALLOC = 0x81;
    internal const uint IOMMUFD_CMD_IOAS_IOVA_RANGES = 0x84;
    internal const uint IOMMUFD_CMD_IOAS_MAP = 0x85;
    internal const uint IOMMUFD_CMD_IOAS_UNMAP = 0x86;

    internal static uint IOMMU_DESTROY => _IO(IOMMUFD_TYPE, IOMMUFD_CMD_DESTROY);
    internal static uint IOMMU_IOAS_ALLOC => _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_ALLOC);
    internal static uint IOMMU_IOAS_IOVA_RANGES => _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_IOVA_RANGES);
    internal static uint IOMMU_IOAS_MAP => _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_MAP);
    internal static uint IOMMU_IOAS_UNMAP => _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_UNMAP);

    // enum iommufd_ioas_map_flags
    internal const uint IOMMU_IOAS_MAP_FIXED_IOVA = 1 << 0;
    internal const uint IOMMU_IOAS_MAP_WRITEABLE = 1 << 1;
    internal const uint IOMMU_IOAS_MAP_READABLE = 1 << 2;

    [StructLayout(LayoutKind.Sequential)]
    internal struct iommu_destroy
    {
        public uint size;
        public uint id;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct iommu_ioas_alloc
    {
        public uint size;
        public uint flags;
        public uint out_ioas_id;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct iommu_iova_range
    {
        public ulong start;
        public ulong last;
    }

    /// <summary><c>allowed_iovas</c> points to an array of <see cref="iommu_iova_range"/> of <c>num_iovas</c> entries.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct iommu_ioas_iova_ranges
    {
        public uint size;
        public uint ioas_id;
        public uint num_iovas;
        public uint __reserved;
        public ulong allowed_iovas;
        public ulong out_iova_alignment;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct iommu_ioas_map
    {
        public uint size;
        public uint flags;
        public uint ioas_id;
        public uint __reserved;
        public ulong user_va;
        public ulong length;
        public ulong iova;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct iommu_ioas_unmap
    {
        public uint size;
        public uint ioas_id;
        public ulong iova;
        public ulong length;
    }
}
