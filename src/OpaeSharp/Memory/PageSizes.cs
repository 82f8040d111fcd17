namespace OpaeSharp.Memory;

/// <summary>The page sizes buffers are built from on x86-64 Linux.</summary>
internal static class PageSizes
{
    internal const long Small = 4096;
    internal const long Huge2M = 2L << 20;
    internal const long Huge1G = 1L << 30;

    internal static long RoundUp(long value, long pageSize) => (value + pageSize - 1) & ~(pageSize - 1);

    internal static bool IsAligned(long value, long pageSize) => (value & (pageSize - 1)) == 0;

    /// <summary>"4 KiB", "2 MiB", "1 GiB": how the error messages name a page size.</summary>
    internal static string Name(long pageSize) => pageSize switch
    {
        Huge1G => "1 GiB",
        Huge2M => "2 MiB",
        _ => $"{pageSize / 1024} KiB",
    };
}
