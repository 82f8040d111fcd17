using BenchmarkDotNet.Attributes;
using OpaeSharp.Memory;

namespace OpaeSharp.Benchmarks;

/// <summary>
/// Why the page-size decision does not read the hugepage pools: one sysfs read costs more than
/// the hugetlb mmap whose ENOMEM tells the same thing, while the decision itself is a table lookup.
/// Measured beside each other to explain the hugepage rows of <see cref="PrepareReleaseBenchmarks"/>.
/// </summary>
public class PageSizeDecisionBenchmarks
{
    [Benchmark(Description = "HugePages.Free(2 MiB) (sysfs read)")]
    public long FreeHugePages() => HugePages.System.Free(PageSizes.Huge2M);

    [Benchmark(Description = "PageSizePolicy.Candidates(2 MiB)")]
    public int Candidates() => PageSizePolicy.Candidates(PageSizes.Huge2M, requiresContiguous: false).Length;
}
