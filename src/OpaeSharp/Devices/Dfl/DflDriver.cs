using OpaeSharp.Interop;
using DflApi = OpaeSharp.Interop.Dfl;

namespace OpaeSharp.Devices.Dfl;

/// <summary>
/// What differs between the two port drivers that share one user API: upstream Linux DFL
/// (magic 0xB6, no direction flags) and the out-of-tree intel-fpga driver (magic 0xB5, TO_DEV/FROM_DEV).
/// </summary>
internal sealed class DflDriver
{
    private DflDriver()
    {
    }

    /// <summary>The upstream Linux driver (dfl-pci, dfl-afu): <c>/dev/dfl-port.N</c>.</summary>
    internal static DflDriver Upstream { get; } = new()
    {
        Name = "dfl",
        ClassDirectory = "/sys/class/fpga_region",
        ContainerPattern = "region*",
        BusDirectory = "/sys/bus/dfl/devices",
        PortPrefix = "dfl-port.",
        FmePrefix = "dfl-fme.",
        PortReset = DflApi.DFL_FPGA_PORT_RESET,
        GetRegionInfo = DflApi.DFL_FPGA_PORT_GET_REGION_INFO,
        DmaMap = DflApi.DFL_FPGA_PORT_DMA_MAP,
        DmaUnmap = DflApi.DFL_FPGA_PORT_DMA_UNMAP,
        RegionMmap = DflApi.DFL_PORT_REGION_MMAP,
        HasDirectionFlags = false,
        LoadHint = "load the driver (modprobe dfl-pci) on a kernel built with CONFIG_FPGA_DFL",
    };

    /// <summary>The intel-fpga driver OPAE shipped before DFL went upstream: <c>/dev/intel-fpga-port.N</c>.</summary>
    internal static DflDriver Legacy { get; } = new()
    {
        Name = "intel-fpga",
        ClassDirectory = "/sys/class/fpga",
        ContainerPattern = "intel-fpga-dev.*",
        BusDirectory = null,
        PortPrefix = "intel-fpga-port.",
        FmePrefix = "intel-fpga-fme.",
        PortReset = IntelFpga.FPGA_PORT_RESET,
        GetRegionInfo = IntelFpga.FPGA_PORT_GET_REGION_INFO,
        DmaMap = IntelFpga.FPGA_PORT_DMA_MAP,
        DmaUnmap = IntelFpga.FPGA_PORT_DMA_UNMAP,
        RegionMmap = IntelFpga.FPGA_REGION_MMAP,
        HasDirectionFlags = true,
        LoadHint = "install and load OPAE's intel-fpga driver (modprobe intel-fpga-pci)",
    };

    internal required string Name { get; init; }

    /// <summary>The sysfs class whose entries hold one card's FME and ports each.</summary>
    internal required string ClassDirectory { get; init; }

    internal required string ContainerPattern { get; init; }

    /// <summary>A bus directory listing ports directly (newer kernels), or null.</summary>
    internal required string? BusDirectory { get; init; }

    internal required string PortPrefix { get; init; }

    internal required string FmePrefix { get; init; }

    internal required uint PortReset { get; init; }

    internal required uint GetRegionInfo { get; init; }

    internal required uint DmaMap { get; init; }

    internal required uint DmaUnmap { get; init; }

    internal required uint RegionMmap { get; init; }

    /// <summary>True when a mapping can be restricted to device reads (TO_DEV) — READ_ONLY is possible.</summary>
    internal required bool HasDirectionFlags { get; init; }

    internal required string LoadHint { get; init; }

    /// <summary>The DMA map flags for <paramref name="access"/>; always both directions when the driver has flags at all.</summary>
    internal uint MapFlags(DmaAccess access)
    {
        if (!HasDirectionFlags)
        {
            return 0;
        }

        var flags = 0u;
        if ((access & DmaAccess.Read) != 0)
        {
            flags |= IntelFpga.FPGA_DMA_TO_DEV;
        }

        if ((access & DmaAccess.Write) != 0)
        {
            flags |= IntelFpga.FPGA_DMA_FROM_DEV;
        }

        return flags;
    }

    internal static string DevicePath(string nodeName) => "/dev/" + nodeName;
}
