using System.Runtime.InteropServices;
using static OpaeSharp.Interop.Libc;

namespace OpaeSharp.Interop;

/// <summary>The VFIO user API (<c>linux/vfio.h</c>) used by the vfio-pci backend, names and layouts as in the header.</summary>
internal static class Vfio
{
    internal const int VFIO_API_VERSION = 0;

    internal const int VFIO_TYPE1_IOMMU = 1;
    internal const int VFIO_TYPE1v2_IOMMU = 3;
    internal const int VFIO_NOIOMMU_IOMMU = 8;

    internal const uint VFIO_TYPE = ';';
    internal const uint VFIO_BASE = 100;

    internal static uint VFIO_GET_API_VERSION => _IO(VFIO_TYPE, VFIO_BASE + 0);
    internal static uint VFIO_CHECK_EXTENSION => _IO(VFIO_TYPE, VFIO_BASE + 1);
    internal static uint VFIO_SET_IOMMU => _IO(VFIO_TYPE, VFIO_BASE + 2);
    internal static uint VFIO_GROUP_GET_STATUS => _IO(VFIO_TYPE, VFIO_BASE + 3);
    internal static uint VFIO_GROUP_SET_CONTAINER => _IO(VFIO_TYPE, VFIO_BASE + 4);
    internal static uint VFIO_GROUP_UNSET_CONTAINER => _IO(VFIO_TYPE, VFIO_BASE + 5);
    internal static uint VFIO_GROUP_GET_DEVICE_FD => _IO(VFIO_TYPE, VFIO_BASE + 6);
    internal static uint VFIO_DEVICE_GET_INFO => _IO(VFIO_TYPE, VFIO_BASE + 7);
    internal static uint VFIO_DEVICE_GET_REGION_INFO => _IO(VFIO_TYPE, VFIO_BASE + 8);
    internal static uint VFIO_DEVICE_GET_IRQ_INFO => _IO(VFIO_TYPE, VFIO_BASE + 9);
    internal static uint VFIO_DEVICE_SET_IRQS => _IO(VFIO_TYPE, VFIO_BASE + 10);
    internal static uint VFIO_DEVICE_RESET => _IO(VFIO_TYPE, VFIO_BASE + 11);
    internal static uint VFIO_IOMMU_GET_INFO => _IO(VFIO_TYPE, VFIO_BASE + 12);
    internal static uint VFIO_IOMMU_MAP_DMA => _IO(VFIO_TYPE, VFIO_BASE + 13);
    internal static uint VFIO_IOMMU_UNMAP_DMA => _IO(VFIO_TYPE, VFIO_BASE + 14);

    // Device cdev (/dev/vfio/devices/vfioN) with iommufd, Linux 6.6+.
    internal static uint VFIO_DEVICE_BIND_IOMMUFD => _IO(VFIO_TYPE, VFIO_BASE + 18);
    internal static uint VFIO_DEVICE_ATTACH_IOMMUFD_PT => _IO(VFIO_TYPE, VFIO_BASE + 19);
    internal static uint VFIO_DEVICE_DETACH_IOMMUFD_PT => _IO(VFIO_TYPE, VFIO_BASE + 20);

    internal const uint VFIO_GROUP_FLAGS_VIABLE = 1 << 0;
    internal const uint VFIO_GROUP_FLAGS_CONTAINER_SET = 1 << 1;

    internal const uint VFIO_DEVICE_FLAGS_RESET = 1 << 0;
    internal const uint VFIO_DEVICE_FLAGS_PCI = 1 << 1;

    internal const uint VFIO_REGION_INFO_FLAG_READ = 1 << 0;
    internal const uint VFIO_REGION_INFO_FLAG_WRITE = 1 << 1;
    internal const uint VFIO_REGION_INFO_FLAG_MMAP = 1 << 2;
    internal const uint VFIO_REGION_INFO_FLAG_CAPS = 1 << 3;

    // enum { VFIO_PCI_BAR0_REGION_INDEX, ..., VFIO_PCI_BAR5_REGION_INDEX, VFIO_PCI_ROM_REGION_INDEX, VFIO_PCI_CONFIG_REGION_INDEX, ... }
    internal const uint VFIO_PCI_BAR0_REGION_INDEX = 0;
    internal const uint VFIO_PCI_BAR5_REGION_INDEX = 5;
    internal const uint VFIO_PCI_CONFIG_REGION_INDEX = 7;

    // enum { VFIO_PCI_INTX_IRQ_INDEX, VFIO_PCI_MSI_IRQ_INDEX, VFIO_PCI_MSIX_IRQ_INDEX, VFIO_PCI_ERR_IRQ_INDEX, VFIO_PCI_REQ_IRQ_INDEX, ... }
    internal const uint VFIO_PCI_INTX_IRQ_INDEX = 0;
    internal const uint VFIO_PCI_MSI_IRQ_INDEX = 1;
    internal const uint VFIO_PCI_MSIX_IRQ_INDEX = 2;

    internal const uint VFIO_IRQ_INFO_EVENTFD = 1 << 0;
    internal const uint VFIO_IRQ_INFO_MASKABLE = 1 << 1;
    internal const uint VFIO_IRQ_INFO_AUTOMASKED = 1 << 2;
    internal const uint VFIO_IRQ_INFO_NORESIZE = 1 << 3;

    internal const uint VFIO_IRQ_SET_DATA_NONE = 1 << 0;
    internal const uint VFIO_IRQ_SET_DATA_BOOL = 1 << 1;
    internal const uint VFIO_IRQ_SET_DATA_EVENTFD = 1 << 2;
    internal const uint VFIO_IRQ_SET_ACTION_MASK = 1 << 3;
    internal const uint VFIO_IRQ_SET_ACTION_UNMASK = 1 << 4;
    internal const uint VFIO_IRQ_SET_ACTION_TRIGGER = 1 << 5;

    internal const uint VFIO_IOMMU_INFO_PGSIZES = 1 << 0;
    internal const uint VFIO_IOMMU_INFO_CAPS = 1 << 1;

    internal const ushort VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE = 1;
    internal const ushort VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL = 3;

    internal const uint VFIO_DMA_MAP_FLAG_READ = 1 << 0;
    internal const uint VFIO_DMA_MAP_FLAG_WRITE = 1 << 1;

    // linux/pci_regs.h: the command register and its bus-master enable bit.
    internal const int PCI_COMMAND = 0x04;
    internal const ushort PCI_COMMAND_MEMORY = 0x2;
    internal const ushort PCI_COMMAND_MASTER = 0x4;

    [StructLayout(LayoutKind.Sequential)]
    internal struct vfio_info_cap_header
    {
        public ushort id;
        public ushort version;
        public uint next;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct vfio_group_status
    {
        public uint argsz;
        public uint flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct vfio_device_info
    {
        public uint argsz;
        public uint flags;
        public uint num_regions;
        public uint num_irqs;
        public uint cap_offset;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct vfio_region_info
    {
        public uint argsz;
        public uint flags;
        public uint index;
        public uint cap_offset;
        public ulong size;
        public ulong offset;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct vfio_irq_info
    {
        public uint argsz;
        public uint flags;
        public uint index;
        public uint count;
    }

    /// <summary>Followed by <c>__u8 data[]</c>: with DATA_EVENTFD, <c>count</c> <c>__s32</c> eventfds (-1: stop signalling that vector).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct vfio_irq_set
    {
        public uint argsz;
        public uint flags;
        public uint index;
        public uint start;
        public uint count;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct vfio_iommu_type1_info
    {
        public uint argsz;
        public uint flags;
        public ulong iova_pgsizes;
        public uint cap_offset;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct vfio_iova_range
    {
        public ulong start;
        public ulong end;
    }

    /// <summary>Followed by <c>nr_iovas</c> <see cref="vfio_iova_range"/>s (a flexible array in C).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct vfio_iommu_type1_info_cap_iova_range
    {
        public vfio_info_cap_header header;
        public uint nr_iovas;
        public uint reserved;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct vfio_iommu_type1_info_dma_avail
    {
        public vfio_info_cap_header header;
        public uint avail;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct vfio_iommu_type1_dma_map
    {
        public uint argsz;
        public uint flags;
        public ulong vaddr;
        public ulong iova;
        public ulong size;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct vfio_iommu_type1_dma_unmap
    {
        public uint argsz;
        public uint flags;
        public ulong iova;
        public ulong size;
    }

    /// <summary>
    /// The fields every kernel with device cdevs knows. Later headers append <c>token_uuid_ptr</c>
    /// (used only with VFIO_DEVICE_BIND_FLAG_TOKEN); an argsz that stops before it means "no token".
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct vfio_device_bind_iommufd
    {
        public uint argsz;
        public uint flags;
        public int iommufd;
        public uint out_devid;
    }

    /// <summary>
    /// The fields every kernel with device cdevs knows. Later headers append <c>pasid</c> (used only
    /// with VFIO_DEVICE_ATTACH_PASID); an argsz that stops before it attaches the whole device.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct vfio_device_attach_iommufd_pt
    {
        public uint argsz;
        public uint flags;
        public uint pt_id;
    }
}
