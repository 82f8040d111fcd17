using System.Runtime.InteropServices;
using static OpaeSharp.Interop.Libc;

namespace OpaeSharp.Interop;

/// <summary>The upstream Linux DFL FPGA driver's user API (<c>linux/fpga-dfl.h</c>), names and layouts as in the header.</summary>
internal static class Dfl
{
    internal const uint DFL_FPGA_API_VERSION = 0;

    internal const uint DFL_FPGA_MAGIC = 0xB6;
    internal const uint DFL_FPGA_BASE = 0;
    internal const uint DFL_PORT_BASE = 0x40;
    internal const uint DFL_FME_BASE = 0x80;

    // OFS's dfl-pci driver (not upstream): /dev/dfl-pci-sva/<bdf> binds a process address space (PASID).
    internal const uint DFL_PCI_SVA_BASE = 0xf8;

    internal static uint DFL_FPGA_GET_API_VERSION => _IO(DFL_FPGA_MAGIC, DFL_FPGA_BASE + 0);
    internal static uint DFL_FPGA_CHECK_EXTENSION => _IO(DFL_FPGA_MAGIC, DFL_FPGA_BASE + 1);
    internal static uint DFL_FPGA_PORT_RESET => _IO(DFL_FPGA_MAGIC, DFL_PORT_BASE + 0);
    internal static uint DFL_FPGA_PORT_GET_INFO => _IO(DFL_FPGA_MAGIC, DFL_PORT_BASE + 1);
    internal static uint DFL_FPGA_PORT_GET_REGION_INFO => _IO(DFL_FPGA_MAGIC, DFL_PORT_BASE + 2);
    internal static uint DFL_FPGA_PORT_DMA_MAP => _IO(DFL_FPGA_MAGIC, DFL_PORT_BASE + 3);
    internal static uint DFL_FPGA_PORT_DMA_UNMAP => _IO(DFL_FPGA_MAGIC, DFL_PORT_BASE + 4);

    internal static uint DFL_FPGA_FME_PORT_PR => _IO(DFL_FPGA_MAGIC, DFL_FME_BASE + 0);

    // Interrupts: how many vectors a feature has (a __u32 the driver writes), and which eventfds they signal.
    internal static uint DFL_FPGA_PORT_ERR_GET_IRQ_NUM => _IOR(DFL_FPGA_MAGIC, DFL_PORT_BASE + 5, sizeof(uint));
    internal static unsafe uint DFL_FPGA_PORT_ERR_SET_IRQ => _IOW(DFL_FPGA_MAGIC, DFL_PORT_BASE + 6, (uint)sizeof(dfl_fpga_irq_set));
    internal static uint DFL_FPGA_PORT_UINT_GET_IRQ_NUM => _IOR(DFL_FPGA_MAGIC, DFL_PORT_BASE + 7, sizeof(uint));
    internal static unsafe uint DFL_FPGA_PORT_UINT_SET_IRQ => _IOW(DFL_FPGA_MAGIC, DFL_PORT_BASE + 8, (uint)sizeof(dfl_fpga_irq_set));
    internal static uint DFL_FPGA_FME_ERR_GET_IRQ_NUM => _IOR(DFL_FPGA_MAGIC, DFL_FME_BASE + 3, sizeof(uint));
    internal static unsafe uint DFL_FPGA_FME_ERR_SET_IRQ => _IOW(DFL_FPGA_MAGIC, DFL_FME_BASE + 4, (uint)sizeof(dfl_fpga_irq_set));

    /// <summary>Returns the PASID (non-negative) the device's requests must carry; closing the node unbinds it.</summary>
    internal static uint DFL_PCI_SVA_BIND_DEV => _IO(DFL_FPGA_MAGIC, DFL_PCI_SVA_BASE + 0);

    internal const uint DFL_PORT_REGION_READ = 1 << 0;
    internal const uint DFL_PORT_REGION_WRITE = 1 << 1;
    internal const uint DFL_PORT_REGION_MMAP = 1 << 2;

    internal const uint DFL_PORT_REGION_INDEX_AFU = 0;
    internal const uint DFL_PORT_REGION_INDEX_STP = 1;

    [StructLayout(LayoutKind.Sequential)]
    internal struct dfl_fpga_port_info
    {
        public uint argsz;
        public uint flags;
        public uint num_regions;
        public uint num_umsgs;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct dfl_fpga_port_region_info
    {
        public uint argsz;
        public uint flags;
        public uint index;
        public uint padding;
        public ulong size;
        public ulong offset;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct dfl_fpga_port_dma_map
    {
        public uint argsz;
        public uint flags;
        public ulong user_addr;
        public ulong length;
        public ulong iova;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct dfl_fpga_port_dma_unmap
    {
        public uint argsz;
        public uint flags;
        public ulong iova;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct dfl_fpga_fme_port_pr
    {
        public uint argsz;
        public uint flags;
        public uint port_id;
        public uint buffer_size;
        public ulong buffer_address;
    }

    /// <summary>
    /// Followed by <c>count</c> <c>__s32 evtfds[]</c> (a flexible array in C): the eventfd vector
    /// <c>start + i</c> signals, or a negative value to stop it signalling.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct dfl_fpga_irq_set
    {
        public uint start;
        public uint count;
    }
}
