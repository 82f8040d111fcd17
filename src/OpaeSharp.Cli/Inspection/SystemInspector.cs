using System.Globalization;
using OpaeSharp.Devices;
using OpaeSharp.Devices.Kernel;
using OpaeSharp.Interop;
using OpaeSharp.Memory;

namespace OpaeSharp.Cli.Inspection;

/// <summary>
/// Gathers the facts of <see cref="SystemReport"/> through the backends' own kernel seam: sysfs,
/// /dev and each backend's verdict on itself. Opens no device. Tests hand in a registry over a
/// fake kernel to describe any machine.
/// </summary>
internal sealed class SystemInspector(BackendRegistry backends)
{
    private const int CapIpcLock = 14;

    internal SystemReport Inspect(BackendKind requested)
    {
        var kernel = backends.Kernel;
        var ports = Glob("/dev", "dfl-port.*").Concat(Glob("/dev", "intel-fpga-port.*")).ToList();
        var vfioNodes = Glob("/dev/vfio", "*");
        var vfioPci = kernel.List("/sys/bus/pci/drivers/vfio-pci", "????:??:??.?").ToList();
        var drivers = new List<string>();
        AddIfExists(drivers, "/sys/bus/dfl", "dfl bus");
        AddIfExists(drivers, "/sys/class/fpga_region", "fpga_region class");
        AddIfExists(drivers, "/sys/class/fpga", "intel-fpga class");
        AddIfExists(drivers, "/sys/bus/pci/drivers/vfio-pci", "vfio-pci driver");

        // The library's own resolution is the truth for what auto picks; the statuses explain it.
        var resolution = backends.Resolve(BackendKind.Auto);
        var statuses = backends.Status();
        var auto = resolution.Backends.Count == 0 ? BackendKind.Hardware : resolution.Backends[0].Kind;
        var reason = auto switch
        {
            BackendKind.Simulated => $"no FPGA driver or card is present (looked for {string.Join(", ", backends.Hardware.Select(h => h.Name))} and FPGA PCI ids)",
            BackendKind.Hardware => resolution.Why ?? "no hardware backend is usable",
            _ => $"its driver is present: {string.Join("; ", resolution.Backends.Select(b => $"{b.Name}: {b.Status().Detail}"))}",
        };

        Libc.GetRlimit(Libc.RLIMIT_MEMLOCK, out var memlock);
        var pools = new HugePages(kernel);
        return new SystemReport
        {
            HugePages = [.. pools.Sizes().Select(size => new HugePagePool(size, pools.Free(size), pools.Total(size)))],
            MemlockLimit = memlock.rlim_cur == Libc.RLIM_INFINITY ? null : memlock.rlim_cur,
            MemlockHardLimit = memlock.rlim_max == Libc.RLIM_INFINITY ? null : memlock.rlim_max,
            LockedBytes = MemoryLimits.LockedBytes(),
            HasIpcLock = HasCapability(CapIpcLock),
            IommuUnits = kernel.List("/sys/class/iommu").Count,
            IommuGroups = kernel.List("/sys/kernel/iommu_groups").Count,
            VfioNodes = vfioNodes,
            Iommufd = kernel.Exists("/dev/iommu"),
            VfioPciDevices = vfioPci,
            FpgaPortNodes = ports,
            Drivers = drivers,
            Backends = statuses,
            Requested = requested,
            AutoChoice = auto,
            AutoReason = reason,
        };
    }

    // The process's own capabilities, not the machine's: read from the process itself.
    private static bool HasCapability(int bit)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("CapEff:", StringComparison.Ordinal))
                {
                    var mask = ulong.Parse(line.AsSpan("CapEff:".Length).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    return (mask & (1UL << bit)) != 0;
                }
            }
        }
        catch (IOException)
        {
        }

        return false;
    }

    private void AddIfExists(List<string> into, string path, string name)
    {
        if (backends.Kernel.Exists(path))
        {
            into.Add(name);
        }
    }

    private List<string> Glob(string directory, string pattern) =>
        [.. backends.Kernel.List(directory, pattern).Select(name => $"{directory}/{name}").Order(StringComparer.Ordinal)];
}
