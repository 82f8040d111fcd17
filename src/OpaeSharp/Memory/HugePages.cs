using System.Globalization;

namespace OpaeSharp.Memory;

/// <summary>
/// Reads the kernel's hugepage pools (<c>/sys/kernel/mm/hugepages/hugepages-NkB/</c>). The root is
/// injectable so tests can describe a machine with or without reserved pages.
/// </summary>
internal sealed class HugePages
{
    internal const string DefaultRoot = "/sys/kernel/mm/hugepages";

    private readonly string _root;

    internal HugePages(string root = DefaultRoot) => _root = root;

    internal static HugePages System { get; } = new();

    /// <summary>Free pages of <paramref name="pageSize"/> (0 when the size is not supported).</summary>
    internal long Free(long pageSize) => Read(pageSize, "free_hugepages");

    /// <summary>Reserved pages of <paramref name="pageSize"/> (0 when the size is not supported).</summary>
    internal long Total(long pageSize) => Read(pageSize, "nr_hugepages");

    /// <summary>The sysfs file an administrator writes to reserve pages of this size.</summary>
    internal string ReservePath(long pageSize) =>
        Path.Combine(_root, $"hugepages-{pageSize / 1024}kB", "nr_hugepages");

    /// <summary>"no free 2 MiB hugepages (0 of 0 free; reserve with …)".</summary>
    internal string DescribeShortage(long pageSize, long needed) =>
        $"no free {PageSizes.Name(pageSize)} hugepages ({Free(pageSize)} of {Total(pageSize)} free, {needed} needed; " +
        $"reserve more with: echo N | sudo tee {ReservePath(pageSize)})";

    private long Read(long pageSize, string file)
    {
        try
        {
            var path = Path.Combine(_root, $"hugepages-{pageSize / 1024}kB", file);
            return long.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }
}
