namespace OpaeSharp.Cli.Bench;

/// <summary>One measured case beside its floor.</summary>
/// <param name="Group">"prepare+release", "GetIoAddress", "NLB0 copy", "pool".</param>
/// <param name="Case">What was measured ("4 KiB on 4 KiB pages", "10,000 live buffers"); no measured numbers in it.</param>
/// <param name="Nanoseconds">The library's time per operation.</param>
/// <param name="BaselineName">What the floor is.</param>
/// <param name="BaselineNanoseconds">The floor's time per operation.</param>
/// <param name="Target">The target in words, or null when there is none.</param>
/// <param name="Met">Whether the target was met; null when there is none.</param>
internal sealed record BenchRow(string Group, string Case, double Nanoseconds, string BaselineName, double BaselineNanoseconds, string? Target, bool? Met)
{
    /// <summary>Library time over floor time.</summary>
    public double Ratio => Nanoseconds / BaselineNanoseconds;

    /// <summary>What the table adds after the case in parentheses ("4.0 GB/s, 12% of memcpy"), or null.</summary>
    public string? Detail { get; init; }

    /// <summary>The case's other numbers, each with its unit (size, throughput, live buffers).</summary>
    public IReadOnlyList<BenchQuantity> Quantities { get; init; } = [];
}
