namespace OpaeSharp.Cli.Bench;

/// <summary>What <c>opae bench</c> measured: the table rows and the two plotted series.</summary>
internal sealed class BenchReport
{
    public List<BenchRow> Rows { get; } = [];

    /// <summary>(live buffers, GetIoAddress ns, Dictionary ns).</summary>
    public List<(int LiveBuffers, double LookupNs, double DictionaryNs)> Latency { get; } = [];

    /// <summary>(bytes, NLB0 GB/s, memcpy GB/s).</summary>
    public List<(long Bytes, double Nlb0GBps, double MemcpyGBps)> Throughput { get; } = [];

    /// <summary>Notes printed under the table (cases skipped and why).</summary>
    public List<string> Notes { get; } = [];
}
