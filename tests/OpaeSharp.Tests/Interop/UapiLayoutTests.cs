using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OpaeSharp.Interop;

namespace OpaeSharp.Tests.Interop;

/// <summary>
/// Our ioctl numbers and structs against the values the kernel headers give (linux/fpga-dfl.h,
/// linux/vfio.h, linux/iommufd.h, OPAE's intel-fpga.h), computed by a C compiler from those headers;
/// the iommufd and device-cdev rows from the 6.6+ headers (Debian 12's 6.1 headers predate them).
/// </summary>
public sealed class UapiLayoutTests
{
    public static TheoryData<string, uint, uint> Requests => new()
    {
        { "DFL_FPGA_GET_API_VERSION", Dfl.DFL_FPGA_GET_API_VERSION, 0xb600 },
        { "DFL_FPGA_CHECK_EXTENSION", Dfl.DFL_FPGA_CHECK_EXTENSION, 0xb601 },
        { "DFL_FPGA_PORT_RESET", Dfl.DFL_FPGA_PORT_RESET, 0xb640 },
        { "DFL_FPGA_PORT_GET_INFO", Dfl.DFL_FPGA_PORT_GET_INFO, 0xb641 },
        { "DFL_FPGA_PORT_GET_REGION_INFO", Dfl.DFL_FPGA_PORT_GET_REGION_INFO, 0xb642 },
        { "DFL_FPGA_PORT_DMA_MAP", Dfl.DFL_FPGA_PORT_DMA_MAP, 0xb643 },
        { "DFL_FPGA_PORT_DMA_UNMAP", Dfl.DFL_FPGA_PORT_DMA_UNMAP, 0xb644 },
        { "DFL_FPGA_PORT_ERR_GET_IRQ_NUM", Dfl.DFL_FPGA_PORT_ERR_GET_IRQ_NUM, 0x8004b645 },
        { "DFL_FPGA_PORT_ERR_SET_IRQ", Dfl.DFL_FPGA_PORT_ERR_SET_IRQ, 0x4008b646 },
        { "DFL_FPGA_PORT_UINT_GET_IRQ_NUM", Dfl.DFL_FPGA_PORT_UINT_GET_IRQ_NUM, 0x8004b647 },
        { "DFL_FPGA_PORT_UINT_SET_IRQ", Dfl.DFL_FPGA_PORT_UINT_SET_IRQ, 0x4008b648 },
        { "DFL_FPGA_FME_ERR_GET_IRQ_NUM", Dfl.DFL_FPGA_FME_ERR_GET_IRQ_NUM, 0x8004b683 },
        { "DFL_FPGA_FME_ERR_SET_IRQ", Dfl.DFL_FPGA_FME_ERR_SET_IRQ, 0x4008b684 },

        // OFS's linux-dfl fpga-dfl.h (not upstream): _IO(DFL_FPGA_MAGIC, DFL_PCI_SVA_BASE + 0).
        { "DFL_PCI_SVA_BIND_DEV", Dfl.DFL_PCI_SVA_BIND_DEV, 0xb6f8 },
        { "FPGA_PORT_RESET", IntelFpga.FPGA_PORT_RESET, 0xb540 },
        { "FPGA_PORT_GET_REGION_INFO", IntelFpga.FPGA_PORT_GET_REGION_INFO, 0xb542 },
        { "FPGA_PORT_DMA_MAP", IntelFpga.FPGA_PORT_DMA_MAP, 0xb543 },
        { "FPGA_PORT_DMA_UNMAP", IntelFpga.FPGA_PORT_DMA_UNMAP, 0xb544 },
        { "VFIO_GET_API_VERSION", Vfio.VFIO_GET_API_VERSION, 0x3b64 },
        { "VFIO_CHECK_EXTENSION", Vfio.VFIO_CHECK_EXTENSION, 0x3b65 },
        { "VFIO_SET_IOMMU", Vfio.VFIO_SET_IOMMU, 0x3b66 },
        { "VFIO_GROUP_GET_STATUS", Vfio.VFIO_GROUP_GET_STATUS, 0x3b67 },
        { "VFIO_GROUP_SET_CONTAINER", Vfio.VFIO_GROUP_SET_CONTAINER, 0x3b68 },
        { "VFIO_GROUP_GET_DEVICE_FD", Vfio.VFIO_GROUP_GET_DEVICE_FD, 0x3b6a },
        { "VFIO_DEVICE_GET_INFO", Vfio.VFIO_DEVICE_GET_INFO, 0x3b6b },
        { "VFIO_DEVICE_GET_REGION_INFO", Vfio.VFIO_DEVICE_GET_REGION_INFO, 0x3b6c },
        { "VFIO_DEVICE_GET_IRQ_INFO", Vfio.VFIO_DEVICE_GET_IRQ_INFO, 0x3b6d },
        { "VFIO_DEVICE_SET_IRQS", Vfio.VFIO_DEVICE_SET_IRQS, 0x3b6e },
        { "VFIO_DEVICE_RESET", Vfio.VFIO_DEVICE_RESET, 0x3b6f },
        { "VFIO_IOMMU_GET_INFO", Vfio.VFIO_IOMMU_GET_INFO, 0x3b70 },
        { "VFIO_IOMMU_MAP_DMA", Vfio.VFIO_IOMMU_MAP_DMA, 0x3b71 },
        { "VFIO_IOMMU_UNMAP_DMA", Vfio.VFIO_IOMMU_UNMAP_DMA, 0x3b72 },
        { "VFIO_DEVICE_BIND_IOMMUFD", Vfio.VFIO_DEVICE_BIND_IOMMUFD, 0x3b76 },
        { "VFIO_DEVICE_ATTACH_IOMMUFD_PT", Vfio.VFIO_DEVICE_ATTACH_IOMMUFD_PT, 0x3b77 },
        { "VFIO_DEVICE_DETACH_IOMMUFD_PT", Vfio.VFIO_DEVICE_DETACH_IOMMUFD_PT, 0x3b78 },
        { "IOMMU_DESTROY", Iommufd.IOMMU_DESTROY, 0x3b80 },
        { "IOMMU_IOAS_ALLOC", Iommufd.IOMMU_IOAS_ALLOC, 0x3b81 },
        { "IOMMU_IOAS_IOVA_RANGES", Iommufd.IOMMU_IOAS_IOVA_RANGES, 0x3b84 },
        { "IOMMU_IOAS_MAP", Iommufd.IOMMU_IOAS_MAP, 0x3b85 },
        { "IOMMU_IOAS_UNMAP", Iommufd.IOMMU_IOAS_UNMAP, 0x3b86 },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void Ioctl_request_number_matches_the_kernel_header(string name, uint ours, uint header) =>
        Assert.True(ours == header, $"{name}: 0x{ours:x} != 0x{header:x}");

    [Fact]
    public void IOR_and_IOW_put_direction_and_size_where_asm_generic_ioctl_h_does()
    {
        // DFL_FPGA_PORT_ERR_GET_IRQ_NUM = _IOR(0xB6, 0x45, __u32) and DFL_FPGA_FME_PORT_RELEASE = _IOW(0xB6, 0x81, int).
        Assert.Equal(0x8004b645u, Libc._IOR(0xB6, 0x45, 4));
        Assert.Equal(0x4004b681u, Libc._IOW(0xB6, 0x81, 4));
        Assert.Equal(0xc004b681u, Libc._IOWR(0xB6, 0x81, 4));
    }

    public static TheoryData<string, int, int> Sizes => new()
    {
        { "dfl_fpga_port_info", Unsafe.SizeOf<Dfl.dfl_fpga_port_info>(), 16 },
        { "dfl_fpga_port_region_info", Unsafe.SizeOf<Dfl.dfl_fpga_port_region_info>(), 32 },
        { "dfl_fpga_port_dma_map", Unsafe.SizeOf<Dfl.dfl_fpga_port_dma_map>(), 32 },
        { "dfl_fpga_port_dma_unmap", Unsafe.SizeOf<Dfl.dfl_fpga_port_dma_unmap>(), 16 },
        { "dfl_fpga_irq_set", Unsafe.SizeOf<Dfl.dfl_fpga_irq_set>(), 8 },
        { "vfio_irq_info", Unsafe.SizeOf<Vfio.vfio_irq_info>(), 16 },
        { "vfio_irq_set", Unsafe.SizeOf<Vfio.vfio_irq_set>(), 20 },
        { "vfio_info_cap_header", Unsafe.SizeOf<Vfio.vfio_info_cap_header>(), 8 },
        { "vfio_group_status", Unsafe.SizeOf<Vfio.vfio_group_status>(), 8 },
        { "vfio_device_info", Unsafe.SizeOf<Vfio.vfio_device_info>(), 20 },
        { "vfio_region_info", Unsafe.SizeOf<Vfio.vfio_region_info>(), 32 },
        { "vfio_iommu_type1_info", Unsafe.SizeOf<Vfio.vfio_iommu_type1_info>(), 24 },
        { "vfio_iova_range", Unsafe.SizeOf<Vfio.vfio_iova_range>(), 16 },
        { "vfio_iommu_type1_info_cap_iova_range", Unsafe.SizeOf<Vfio.vfio_iommu_type1_info_cap_iova_range>(), 16 },
        { "vfio_iommu_type1_info_dma_avail", Unsafe.SizeOf<Vfio.vfio_iommu_type1_info_dma_avail>(), 12 },
        { "vfio_iommu_type1_dma_map", Unsafe.SizeOf<Vfio.vfio_iommu_type1_dma_map>(), 32 },
        { "vfio_iommu_type1_dma_unmap", Unsafe.SizeOf<Vfio.vfio_iommu_type1_dma_unmap>(), 24 },

        // The prefix every cdev kernel knows (6.6): later headers append token_uuid_ptr (24) and pasid (16).
        { "vfio_device_bind_iommufd", Unsafe.SizeOf<Vfio.vfio_device_bind_iommufd>(), 16 },
        { "vfio_device_attach_iommufd_pt", Unsafe.SizeOf<Vfio.vfio_device_attach_iommufd_pt>(), 12 },
        { "iommu_destroy", Unsafe.SizeOf<Iommufd.iommu_destroy>(), 8 },
        { "iommu_ioas_alloc", Unsafe.SizeOf<Iommufd.iommu_ioas_alloc>(), 12 },
        { "iommu_iova_range", Unsafe.SizeOf<Iommufd.iommu_iova_range>(), 16 },
        { "iommu_ioas_iova_ranges", Unsafe.SizeOf<Iommufd.iommu_ioas_iova_ranges>(), 32 },
        { "iommu_ioas_map", Unsafe.SizeOf<Iommufd.iommu_ioas_map>(), 40 },
        { "iommu_ioas_unmap", Unsafe.SizeOf<Iommufd.iommu_ioas_unmap>(), 24 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Struct_size_matches_the_kernel_header(string name, int ours, int header) =>
        Assert.True(ours == header, $"sizeof({name}): {ours} != {header}");

    public static TheoryData<string, int, int> Offsets => new()
    {
        { "dfl_fpga_port_region_info.index", Offset<Dfl.dfl_fpga_port_region_info>("index"), 8 },
        { "dfl_fpga_port_region_info.size", Offset<Dfl.dfl_fpga_port_region_info>("size"), 16 },
        { "dfl_fpga_port_region_info.offset", Offset<Dfl.dfl_fpga_port_region_info>("offset"), 24 },
        { "dfl_fpga_port_dma_map.user_addr", Offset<Dfl.dfl_fpga_port_dma_map>("user_addr"), 8 },
        { "dfl_fpga_port_dma_map.length", Offset<Dfl.dfl_fpga_port_dma_map>("length"), 16 },
        { "dfl_fpga_port_dma_map.iova", Offset<Dfl.dfl_fpga_port_dma_map>("iova"), 24 },
        { "dfl_fpga_port_dma_unmap.iova", Offset<Dfl.dfl_fpga_port_dma_unmap>("iova"), 8 },
        { "dfl_fpga_irq_set.count", Offset<Dfl.dfl_fpga_irq_set>("count"), 4 },
        { "vfio_irq_info.index", Offset<Vfio.vfio_irq_info>("index"), 8 },
        { "vfio_irq_info.count", Offset<Vfio.vfio_irq_info>("count"), 12 },
        { "vfio_irq_set.index", Offset<Vfio.vfio_irq_set>("index"), 8 },
        { "vfio_irq_set.start", Offset<Vfio.vfio_irq_set>("start"), 12 },
        { "vfio_irq_set.count", Offset<Vfio.vfio_irq_set>("count"), 16 },
        { "vfio_device_info.num_regions", Offset<Vfio.vfio_device_info>("num_regions"), 8 },
        { "vfio_device_info.cap_offset", Offset<Vfio.vfio_device_info>("cap_offset"), 16 },
        { "vfio_region_info.size", Offset<Vfio.vfio_region_info>("size"), 16 },
        { "vfio_region_info.offset", Offset<Vfio.vfio_region_info>("offset"), 24 },
        { "vfio_iommu_type1_info.iova_pgsizes", Offset<Vfio.vfio_iommu_type1_info>("iova_pgsizes"), 8 },
        { "vfio_iommu_type1_info.cap_offset", Offset<Vfio.vfio_iommu_type1_info>("cap_offset"), 16 },
        { "vfio_iommu_type1_info_cap_iova_range.nr_iovas", Offset<Vfio.vfio_iommu_type1_info_cap_iova_range>("nr_iovas"), 8 },
        { "vfio_iommu_type1_dma_map.vaddr", Offset<Vfio.vfio_iommu_type1_dma_map>("vaddr"), 8 },
        { "vfio_iommu_type1_dma_map.iova", Offset<Vfio.vfio_iommu_type1_dma_map>("iova"), 16 },
        { "vfio_iommu_type1_dma_map.size", Offset<Vfio.vfio_iommu_type1_dma_map>("size"), 24 },
        { "vfio_iommu_type1_dma_unmap.iova", Offset<Vfio.vfio_iommu_type1_dma_unmap>("iova"), 8 },
        { "vfio_iommu_type1_dma_unmap.size", Offset<Vfio.vfio_iommu_type1_dma_unmap>("size"), 16 },
        { "vfio_device_bind_iommufd.iommufd", Offset<Vfio.vfio_device_bind_iommufd>("iommufd"), 8 },
        { "vfio_device_bind_iommufd.out_devid", Offset<Vfio.vfio_device_bind_iommufd>("out_devid"), 12 },
        { "vfio_device_attach_iommufd_pt.pt_id", Offset<Vfio.vfio_device_attach_iommufd_pt>("pt_id"), 8 },
        { "iommu_destroy.id", Offset<Iommufd.iommu_destroy>("id"), 4 },
        { "iommu_ioas_alloc.out_ioas_id", Offset<Iommufd.iommu_ioas_alloc>("out_ioas_id"), 8 },
        { "iommu_iova_range.last", Offset<Iommufd.iommu_iova_range>("last"), 8 },
        { "iommu_ioas_iova_ranges.ioas_id", Offset<Iommufd.iommu_ioas_iova_ranges>("ioas_id"), 4 },
        { "iommu_ioas_iova_ranges.num_iovas", Offset<Iommufd.iommu_ioas_iova_ranges>("num_iovas"), 8 },
        { "iommu_ioas_iova_ranges.allowed_iovas", Offset<Iommufd.iommu_ioas_iova_ranges>("allowed_iovas"), 16 },
        { "iommu_ioas_iova_ranges.out_iova_alignment", Offset<Iommufd.iommu_ioas_iova_ranges>("out_iova_alignment"), 24 },
        { "iommu_ioas_map.ioas_id", Offset<Iommufd.iommu_ioas_map>("ioas_id"), 8 },
        { "iommu_ioas_map.user_va", Offset<Iommufd.iommu_ioas_map>("user_va"), 16 },
        { "iommu_ioas_map.length", Offset<Iommufd.iommu_ioas_map>("length"), 24 },
        { "iommu_ioas_map.iova", Offset<Iommufd.iommu_ioas_map>("iova"), 32 },
        { "iommu_ioas_unmap.ioas_id", Offset<Iommufd.iommu_ioas_unmap>("ioas_id"), 4 },
        { "iommu_ioas_unmap.iova", Offset<Iommufd.iommu_ioas_unmap>("iova"), 8 },
        { "iommu_ioas_unmap.length", Offset<Iommufd.iommu_ioas_unmap>("length"), 16 },
    };

    [Theory]
    [MemberData(nameof(Offsets))]
    public void Field_offset_matches_the_kernel_header(string name, int ours, int header) =>
        Assert.True(ours == header, $"offsetof({name}): {ours} != {header}");

    [Fact]
    public void Flag_values_match_the_headers()
    {
        Assert.Equal(1u, IntelFpga.FPGA_DMA_TO_DEV);
        Assert.Equal(2u, IntelFpga.FPGA_DMA_FROM_DEV);
        Assert.Equal(1u, Vfio.VFIO_DMA_MAP_FLAG_READ);
        Assert.Equal(2u, Vfio.VFIO_DMA_MAP_FLAG_WRITE);
        Assert.Equal(3, Vfio.VFIO_TYPE1v2_IOMMU);
        Assert.Equal(4u, Dfl.DFL_PORT_REGION_MMAP);
        Assert.Equal(7u, Vfio.VFIO_PCI_CONFIG_REGION_INDEX);
        Assert.Equal(1u, Iommufd.IOMMU_IOAS_MAP_FIXED_IOVA);
        Assert.Equal(2u, Iommufd.IOMMU_IOAS_MAP_WRITEABLE);
        Assert.Equal(4u, Iommufd.IOMMU_IOAS_MAP_READABLE);
        Assert.Equal(90, (int)Errno.EMSGSIZE);
        Assert.Equal(1u, Vfio.VFIO_PCI_MSI_IRQ_INDEX);
        Assert.Equal(2u, Vfio.VFIO_PCI_MSIX_IRQ_INDEX);
        Assert.Equal(1u, Vfio.VFIO_IRQ_INFO_EVENTFD);
        Assert.Equal(0x24u, Vfio.VFIO_IRQ_SET_DATA_EVENTFD | Vfio.VFIO_IRQ_SET_ACTION_TRIGGER);
        Assert.Equal(0x21u, Vfio.VFIO_IRQ_SET_DATA_NONE | Vfio.VFIO_IRQ_SET_ACTION_TRIGGER);
    }

    [Fact]
    public void Epoll_and_eventfd_values_match_sys_epoll_h_and_sys_eventfd_h()
    {
        Assert.Equal(1, Libc.EPOLL_CTL_ADD);
        Assert.Equal(2, Libc.EPOLL_CTL_DEL);
        Assert.Equal(3, Libc.EPOLL_CTL_MOD);
        Assert.Equal(1u, Libc.EPOLLIN);
        Assert.Equal(0x40000000u, Libc.EPOLLONESHOT);
        Assert.Equal(0x80000, Libc.EPOLL_CLOEXEC);
        Assert.Equal(0x800, Libc.EFD_NONBLOCK);
    }

    [Fact]
    public void Epoll_reports_the_cookie_an_eventfd_was_added_with()
    {
        // struct epoll_event is packed on x86-64 only; a wrong layout reads the cookie at the wrong offset.
        Assert.Equal(Errno.None, Libc.EpollCreate(out var epoll));
        Assert.Equal(Errno.None, Libc.EventFd(1, Libc.EFD_CLOEXEC, out var ready));
        using (epoll)
        using (ready)
        {
            Assert.Equal(Errno.None, Libc.EpollCtl(epoll!, Libc.EPOLL_CTL_ADD, ready!, Libc.EPOLLIN, 0x1122_3344_5566_7788));
            Span<EpollEvent> events = stackalloc EpollEvent[4];
            Assert.Equal(Errno.None, Libc.EpollWait(epoll!, events, 0, out var count));
            Assert.Equal(1, count);
            Assert.Equal(0x1122_3344_5566_7788UL, events[0].Data);
            Assert.Equal(Libc.EPOLLIN, events[0].Events & Libc.EPOLLIN);
        }
    }

    private static int Offset<T>(string field) => (int)Marshal.OffsetOf<T>(field);
}
