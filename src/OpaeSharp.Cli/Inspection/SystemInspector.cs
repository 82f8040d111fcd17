using System.Globalization;
using OpaeSharp.Devices;
using OpaeSharp.Devices.Kernel;
using OpaeSharp.Interop;
using OpaeSharp.Memory;

namespace OpaeSharp.Cli.Inspection;

/// <summary>
/// Gathers the facts of <see cref="SystemReport"/> from sysfs, /dev and the process. Paths are
/// taken under a root so tests can describe a machine with a directory tree.
/// </summary>
/// <remarks>
/// On the real machine the hardware backends judge themselves (<see cref="HardwareBackends.Status"/>:
/// they also check permissions and hugepages); under any other root, which the library's probes
/// cannot read, the inspector judges from the device nodes and sysfs entries it finds.
/// </remarks>
internal sealed class SystemInspector(string root)
{
    private const int CapIpcLock = 14;

    internal SystemReport Inspect(BackendKind requested)
    {
        var ports = Glob("dev", "dfl-port.*").Concat(Glob("dev", "intel-fpga-port.*")).Select(Display).ToList();
        var vfioNodes = Glob("dev/vfio", "*").Select(Display).ToList();
        var vfioPci = Glob("sys/bus/pci/drivers/vfio-pci", "????:??:??.?").Select(Path.GetFileName).OfType<string>().ToList();
        var drivers = new List<string>();
        AddIfExists(drivers, "sys/bus/dfl", "dfl bus");
        AddIfExists(drivers, "sys/class/fpga_region", "fpga_region class");
        AddIfExists(drivers, "sys/class/fpga", "intel-fpga class");
        AddIfExists(drivers, "sys/bus/pci/drivers/vfio-pci", "vfio-pci driver");
        var iommuUnits = Glob("sys/class/iommu", "*").Count;
        var iommuGroups = Glob("sys/kernel/iommu_groups", "*").Count;

        var hardware = root == "/" ? HardwareBackends.Status() : ProbeHardware(ports, vfioNodes, vfioPci, drivers, iommuGroups);
        var sim = new BackendStatus("sim", BackendKind.Simulated, true, "embedded; always available");

        // The library's own resolution is the truth for what auto picks; the statuses explain it.
        var auto = Backends.Resolve(BackendKind.Auto).Select(b => b.Kind).FirstOrDefault(BackendKind.Simulated);
        var reason = auto == BackendKind.Simulated
            ? $"no hardware backend is usable (tried {string.Join(", ", hardware.Select(h => h.Name))})"
            : $"{string.Join(", ", hardware.Where(h => h.Kind == auto && h.Available).Select(h => $"{h.Name} has a usable accelerator: {h.Detail}"))}";

        Libc.GetRlimit(Libc.RLIMIT_MEMLOCK, out var memlock);
        return new SystemReport
        {
            HugePages = HugePagePools(),
            MemlockLimit = memlock.rlim_cur == Libc.RLIM_INFINITY ? null : memlock.rlim_cur,
            MemlockHardLimit = memlock.rlim_max == Libc.RLIM_INFINITY ? null : memlock.rlim_max,
            LockedBytes = MemoryLimits.LockedBytes(),
            HasIpcLock = HasCapability(CapIpcLock),
            IommuUnits = iommuUnits,
            IommuGroups = iommuGroups,
            VfioNodes = vfioNodes,
            Iommufd = Path.Exists(Under("dev/iommu")),
            VfioPciDevices = vfioPci,
            FpgaPortNodes = ports,
            Drivers = drivers,
            Backends = [sim, .. hardware],
            Requested = requested,
            AutoChoice = auto,
            AutoReason = reason,
        };
    }

    /// <summary>Judges the hardware backends from what exists under a root the library cannot probe.</summary>
    private static List<BackendStatus> ProbeHardware(List<string> ports, List<string> vfioNodes, List<string> vfioPci, List<string> drivers, int iommuGroups)
    {
        var dfl = ports.Count > 0
            ? new BackendStatus("dfl", BackendKind.Dfl, true, $"port device node(s): {string.Join(", ", ports)}")
            : new BackendStatus("dfl", BackendKind.Dfl, false, drivers.Contains("dfl bus")
                ? "the DFL bus is registered but there is no /dev/dfl-port.N (no FPGA port enumerated)"
                : "no /dev/dfl-port.N or /dev/intel-fpga-port.N: the DFL (or intel-fpga) driver is not loaded or finds no card");
        var vfio = (vfioPci.Count, vfioNodes.Count, iommuGroups) switch
        {
            (0, _, _) => new BackendStatus("vfio", BackendKind.Vfio, false, "no PCI function is bound to vfio-pci"),
            (_, 0, _) => new BackendStatus("vfio", BackendKind.Vfio, false, "functions are bound to vfio-pci but /dev/vfio is missing"),
            (_, _, 0) => new BackendStatus("vfio", BackendKind.Vfio, false, "functions are bound to vfio-pci but the kernel has no IOMMU groups (IOMMU off?)"),
            _ => new BackendStatus("vfio", BackendKind.Vfio, true, $"bound to vfio-pci: {string.Join(", ", vfioPci)}"),
        };
        return [dfl, vfio];
    }

    private List<HugePagePool> HugePagePools()
    {
        var directory = Under("sys/kernel/mm/hugepages");
        var pools = new HugePages(directory);
        var result = new List<HugePagePool>();
        foreach (var entry in Glob("sys/kernel/mm/hugepages", "hugepages-*kB"))
        {
            var name = Path.GetFileName(entry);
            if (long.TryParse(name.AsSpan("hugepages-".Length, name.Length - "hugepages-".Length - "kB".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
            {
                var size = kib * 1024;
                result.Add(new HugePagePool(size, pools.Free(size), pools.Total(size)));
            }
        }

        result.Sort((a, b) => a.PageSize.CompareTo(b.PageSize));
        return result;
    }

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

    private string Under(string relative) => Path.Combine(root, relative);

    /// <summary>The path as it reads on the machine described (without the test root).</summary>
    private string Display(string path) => "/" + Path.GetRelativePath(root, path);

    private void AddIfExists(List<string> into, string relative, string name)
    {
        if (Directory.Exists(Under(relative)))
        {
            into.Add(name);
        }
    }

    private List<string> Glob(string directory, string pattern)
    {
        var path = Under(directory);
        if (!Directory.Exists(path))
        {
            return [];
        }

        try
        {
            // Device nodes and sysfs symlinks are neither plain files nor directories to every API: take all entries.
            return Directory.EnumerateFileSystemEntries(path, pattern).Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
