using OpaeSharp.Devices.Kernel;

namespace OpaeSharp.Cli.Inspection;

/// <summary>Free and reserved hugepages of one size.</summary>
internal sealed record HugePagePool(long PageSize, long Free, long Total);

/// <summary>What <c>opae info</c> reports: the facts that decide what buffer preparation can do on this machine.</summary>
internal sealed record SystemReport
{
    public required IReadOnlyList<HugePagePool> HugePages { get; init; }

    /// <summary>RLIMIT_MEMLOCK soft limit in bytes; null when unlimited.</summary>
    public required ulong? MemlockLimit { get; init; }

    /// <summary>RLIMIT_MEMLOCK hard limit in bytes; null when unlimited.</summary>
    public required ulong? MemlockHardLimit { get; init; }

    /// <summary>VmLck: bytes this process has locked.</summary>
    public required long LockedBytes { get; init; }

    /// <summary>True when the process has CAP_IPC_LOCK, which lifts RLIMIT_MEMLOCK.</summary>
    public required bool HasIpcLock { get; init; }

    /// <summary>Entries of /sys/class/iommu (IOMMU units the kernel drives).</summary>
    public required int IommuUnits { get; init; }

    /// <summary>Entries of /sys/kernel/iommu_groups.</summary>
    public required int IommuGroups { get; init; }

    /// <summary>Nodes under /dev/vfio (the container and one per group).</summary>
    public required IReadOnlyList<string> VfioNodes { get; init; }

    /// <summary>True when /dev/iommu (iommufd) exists.</summary>
    public required bool Iommufd { get; init; }

    /// <summary>PCI functions bound to vfio-pci.</summary>
    public required IReadOnlyList<string> VfioPciDevices { get; init; }

    /// <summary>DFL port nodes (/dev/dfl-port.N) and legacy intel-fpga port nodes.</summary>
    public required IReadOnlyList<string> FpgaPortNodes { get; init; }

    /// <summary>Driver presence in sysfs: "dfl bus", "fpga_region class", "intel-fpga class", "vfio-pci driver".</summary>
    public required IReadOnlyList<string> Drivers { get; init; }

    /// <summary>Each backend and whether it can be used.</summary>
    public required IReadOnlyList<BackendStatus> Backends { get; init; }

    /// <summary>The backend asked for (option or OPAESHARP_BACKEND).</summary>
    public required BackendKind Requested { get; init; }

    /// <summary>What <c>auto</c> resolves to here.</summary>
    public required BackendKind AutoChoice { get; init; }

    /// <summary>Why <c>auto</c> resolves to <see cref="AutoChoice"/>.</summary>
    public required string AutoReason { get; init; }
}
