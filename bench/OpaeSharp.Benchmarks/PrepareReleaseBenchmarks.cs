using BenchmarkDotNet.Attributes;
using OpaeSharp.Interop;
using OpaeSharp.Memory;

namespace OpaeSharp.Benchmarks;

/// <summary>
/// fpgaPrepareBuffer + fpgaReleaseBuffer against the kernel floor for the same memory: mmap with
/// MAP_POPULATE, mlock, munmap. Target: Ratio ≤ 1.10.
/// </summary>
public class PrepareReleaseBenchmarks
{
    private Accelerator? _accelerator;

    [ParamsSource(nameof(Cases))]
    public BufferCase Case { get; set; } = new(PageSizes.Small, PageSizes.Small);

    /// <summary>4 KiB, 2 MiB and 64 MiB on 4 KiB pages, and on hugepages where enough are reserved.</summary>
    public static IEnumerable<BufferCase> Cases()
    {
        foreach (var pageSize in (long[])[PageSizes.Small, PageSizes.Huge2M])
        {
            foreach (var length in (long[])[4096, 2L << 20, 64L << 20])
            {
                if (length < pageSize)
                {
                    continue;
                }

                if (BenchSetup.WhyUnavailable(length, pageSize) is { } why)
                {
                    Console.WriteLine($"// {why}");
                    continue;
                }

                yield return new BufferCase(length, pageSize);
            }
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        _accelerator = BenchSetup.Open(Case.PageSize);
        using var probe = _accelerator.PrepareBuffer(Case.Length);
        if (probe.PageSize != Case.PageSize)
        {
            throw new InvalidOperationException($"expected {Case} but the library chose {PageSizes.Name(probe.PageSize)} pages (hugepages taken by another process?)");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _accelerator?.Dispose();

    [Benchmark(Baseline = true, Description = "mmap(POPULATE)+mlock+munmap")]
    public void RawSyscalls()
    {
        var address = Libc.Mmap(0, (nuint)Case.Length, Libc.PROT_READ | Libc.PROT_WRITE, BenchSetup.MapFlags(Case.PageSize), -1, 0, out var errno);
        if (address == Libc.MapFailed)
        {
            throw new InvalidOperationException($"mmap: {Libc.StrError(errno)}");
        }

        Libc.Mlock(address, (nuint)Case.Length);
        Libc.Munmap(address, (nuint)Case.Length);
    }

    /// <summary>
    /// The floor plus the one call the library adds on purpose: MADV_DONTFORK, so that a forked
    /// child cannot take the pages copy-on-write from under the device. Shows what that costs.
    /// </summary>
    [Benchmark(Description = "same + madvise(DONTFORK)")]
    public void RawSyscallsWithDontFork()
    {
        var address = Libc.Mmap(0, (nuint)Case.Length, Libc.PROT_READ | Libc.PROT_WRITE, BenchSetup.MapFlags(Case.PageSize), -1, 0, out var errno);
        if (address == Libc.MapFailed)
        {
            throw new InvalidOperationException($"mmap: {Libc.StrError(errno)}");
        }

        Libc.Madvise(address, (nuint)Case.Length, Libc.MADV_DONTFORK);
        Libc.Mlock(address, (nuint)Case.Length);
        Libc.Munmap(address, (nuint)Case.Length);
    }

    [Benchmark(Description = "PrepareBuffer+Release")]
    public void PrepareRelease() => _accelerator!.PrepareBuffer(Case.Length).Dispose();
}
