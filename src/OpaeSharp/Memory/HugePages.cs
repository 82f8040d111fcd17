using System.Globalization;
using OpaeSharp.Interop;

namespace OpaeSharp.Memory;

/// <summary>
/// Reads the kernel's hugepage pools (<c>/sys/kernel/mm/hugepages/hugepages-NkB/</c>) through the
/// kernel seam, so a test can describe a machine with or without reserved pages. Read only to word
/// a shortage and for status: the prepare path lets the hugetlb mmap decide (PageSizePolicy).
/// </summary>
internal sealed class HugePages(IKernel kernel)
{
    internal const string Root = "/sys/kernel/mm/hugepages";

    internal static HugePages System { get; } = new(LinuxKernel.Instance);

    /// <summary>Free pages of <paramref name="pageSize"/> (0 when the size is not supported).</summary>
    internal long Free(long pageSize) => Read(pageSize, "free_hugepages");

    /// <summary>Reserved pages of <paramref name="pageSize"/> (0 when the size is not supported).</summary>
    internal long Total(long pageSize) => Read(pageSize, "nr_hugepages");

    /// <summary>The page sizes the kernel has pools for, smallest first.</summary>
    internal IReadOnlyList<long> Sizes()
    {
        var sizes = new List<long>();
        foreach (var name in kernel.List(Root, "hugepages-*kB"))
        {
            if (long.TryParse(name.AsSpan("hugepages-".Length, name.Length - "hugepages-".Length - "kB".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
            {
                sizes.Add(kib * 1024);
            }
        }

        sizes.Sort();
        return sizes;
    }

    /// <summary>The sysfs file an administrator writes to reserve pages of this size.</summary>
    internal static string ReservePath(long pageSize) => $"{Root}/hugepages-{pageSize / 1024}kB/nr_hugepages";

    /// <summary>"no free 2 MiB hugepages (0 of 0 free; reserve with …)".</summary>
    internal string DescribeShortage(long pageSize, long needed) =>
        $"no free {PageSizes.Name(pageSize)} hugepages ({Free(pageSize)} of {Total(pageSize)} free, {needed} needed; " +
        $"reserve more with: echo N | sudo tee {ReservePath(pageSize)})";

    private long Read(long pageSize, string file) =>
        long.TryParse(kernel.ReadAttribute($"{Root}/hugepages-{pageSize / 1024}kB/{file}"), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
