using System.Globalization;

namespace OpaeSharp.VmTests;

/// <summary>
/// What the kernel says about this process and the VFIO type1 driver: the figures the checks compare
/// before and after, read from procfs and sysfs as any user can.
/// </summary>
internal static class KernelView
{
    private const string DmaEntryLimitPath = "/sys/module/vfio_iommu_type1/parameters/dma_entry_limit";

    /// <summary>
    /// The kernel's count of locked memory charged to this process (VmLck): pages we mlock and pages
    /// VFIO pins for the device are both charged to it, so it returns to its old value only when
    /// every pin and every DMA mapping is gone.
    /// </summary>
    internal static long LockedBytes() => StatusKiB("VmLck:") * 1024;

    /// <summary>The soft RLIMIT_MEMLOCK in bytes, or null when unlimited (from /proc/self/limits).</summary>
    internal static long? MemlockLimit()
    {
        foreach (var line in File.ReadLines("/proc/self/limits"))
        {
            if (line.StartsWith("Max locked memory", StringComparison.Ordinal))
            {
                var soft = line["Max locked memory".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                return soft == "unlimited" ? null : long.Parse(soft, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    /// <summary>vfio_iommu_type1's limit on DMA mappings per container (its module parameter).</summary>
    internal static int DmaEntryLimit() =>
        int.Parse(File.ReadAllText(DmaEntryLimitPath).Trim(), CultureInfo.InvariantCulture);

    /// <summary>
    /// The kernel's line for a vfio-pci MSI or MSI-X interrupt of <paramref name="pciAddress"/> in
    /// /proc/interrupts ("vfio-msi[0](0000:00:01.0)") with its count over all CPUs; null when
    /// there is none (MSI disabled, the IRQ freed).
    /// </summary>
    internal static (string Name, long Count)? VfioInterrupt(string pciAddress)
    {
        foreach (var line in File.ReadLines("/proc/interrupts"))
        {
            if (!line.Contains("vfio-msi", StringComparison.Ordinal) || !line.Contains(pciAddress, StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long count = 0;
            foreach (var field in fields.Skip(1))
            {
                if (!long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var perCpu))
                {
                    break;
                }

                count += perCpu;
            }

            return (fields[^1], count);
        }

        return null;
    }

    /// <summary>
    /// How many MSI/MSI-X vectors the kernel has allocated to the function (entries of its sysfs
    /// msi_irqs directory): while MSI is enabled, even a vector that signals nothing is there; only
    /// disabling MSI frees them.
    /// </summary>
    internal static int MsiVectors(string pciAddress)
    {
        var directory = $"/sys/bus/pci/devices/{pciAddress}/msi_irqs";
        return Directory.Exists(directory) ? Directory.GetFileSystemEntries(directory).Length : 0;
    }

    private static long StatusKiB(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"no {field} in /proc/self/status");
    }
}
