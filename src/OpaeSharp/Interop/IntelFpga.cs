using static OpaeSharp.Interop.Libc;

namespace OpaeSharp.Interop;

/// <summary>
/// The out-of-tree intel-fpga driver's user API (OPAE's <c>intel-fpga.h</c>): the DFL layouts
/// (<see cref="Dfl"/>'s structs serve both) under magic 0xB5, plus direction flags on DMA maps.
/// </summary>
internal static class IntelFpga
{
    internal const uint FPGA_API_VERSION = 0;

    internal const uint FPGA_MAGIC = 0xB5;
    internal const uint FPGA_BASE = 0;
    internal const uint PORT_BASE = 0x40;
    internal const uint FME_BASE = 0x80;

    internal static uint FPGA_GET_API_VERSION => _IO(FPGA_MAGIC, FPGA_BASE + 0);
    internal static uint FPGA_CHECK_EXTENSION => _IO(FPGA_MAGIC, FPGA_BASE + 1);
    internal static uint FPGA_FME_PORT_PR => _IO(FPGA_MAGIC, FME_BASE + 0);

    internal static uint FPGA_PORT_RESET => _IO(FPGA_MAGIC, PORT_BASE + 0);
    internal static uint FPGA_PORT_GET_INFO => _IO(FPGA_MAGIC, PORT_BASE + 1);
    internal static uint FPGA_PORT_GET_REGION_INFO => _IO(FPGA_MAGIC, PORT_BASE + 2);
    internal static uint FPGA_PORT_DMA_MAP => _IO(FPGA_MAGIC, PORT_BASE + 3);
    internal static uint FPGA_PORT_DMA_UNMAP => _IO(FPGA_MAGIC, PORT_BASE + 4);

    internal const uint FPGA_REGION_READ = 1 << 0;
    internal const uint FPGA_REGION_WRITE = 1 << 1;
    internal const uint FPGA_REGION_MMAP = 1 << 2;

    internal const uint FPGA_PORT_INDEX_UAFU = 0;

    // Neither flag means both, for drivers older than the flags.
    internal const uint FPGA_DMA_TO_DEV = 1 << 0;
    internal const uint FPGA_DMA_FROM_DEV = 1 << 1;

    /// <summary>The legacy driver's PR request: the upstream one plus the status the driver reports back.</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    internal struct fpga_fme_port_pr
    {
        public uint argsz;
        public uint flags;
        public uint port_id;
        public uint buffer_size;
        public ulong buffer_address;
        public ulong status;
    }
}
