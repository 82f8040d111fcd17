using BenchmarkDotNet.Attributes;
using OpaeSharp.Memory;

namespace OpaeSharp.Benchmarks;

/// <summary>
/// The part of preparing a buffer of 2 MiB or more that the raw-syscall floor does not have:
/// reading how many hugepages are free (sysfs) to choose the page size. Measured on its own to
/// explain the hugepage rows of <see cref="PrepareReleaseBenchmarks"/>.
/// </summary>
public class PageSizeDecisionBenchmarks
{
    [Benchmark(Description = "HugePages.Free(2 MiB) (sysfs read)")]
    public long FreeHugePages() => HugePages.System.Free(PageSizes.Huge2M);

    [Benchmark(Description = "PageSizePolicy.Candidates(2 MiB)")]
    public int Candidates() => PageSizePolicy.Candidates(PageSizes.Huge2M, requiresContiguous: false, HugePages.System).Count;
}
