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
