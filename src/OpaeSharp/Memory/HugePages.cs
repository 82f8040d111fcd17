using System.Buffers.Text;
using OpaeSharp.Interop;

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

    // Free() runs on the prepare path of every buffer of 2 MiB or more: open, one read and close,
    // with no FileStream or string in between, cost a third of File.ReadAllText (bench/RESULTS.md).
    private long Read(long pageSize, string file)
    {
        var path = Path.Combine(_root, $"hugepages-{pageSize / 1024}kB", file);
        if (Libc.Open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, out var fd) != Errno.None || fd is null)
        {
            return 0;
        }

        using (fd)
        {
            Span<byte> text = stackalloc byte[32];
            return Libc.Pread(fd, text, 0, out var count) == Errno.None
                && Utf8Parser.TryParse(text[..count], out long value, out _)
                ? value
                : 0;
        }
    }
}
