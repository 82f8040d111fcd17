namespace OpaeSharp.Benchmarks;

/// <summary>A buffer length and the page size it is built from (a benchmark parameter).</summary>
public sealed record BufferCase(long Length, long PageSize)
{
    // Short enough that BenchmarkDotNet does not truncate it in the summary: "64M@4K".
    public override string ToString() => $"{Short(Length)}@{Short(PageSize)}";

    private static string Short(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes >> 30}G",
        >= 1L << 20 => $"{bytes >> 20}M",
        _ => $"{bytes >> 10}K",
    };
}
