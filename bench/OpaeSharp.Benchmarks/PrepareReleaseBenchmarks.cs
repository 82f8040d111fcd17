using BenchmarkDotNet.Attributes;
using System.Runtime.InteropServices;
using OpaeSharp.Memory;

namespace OpaeSharp.Benchmarks;

/// <summary>
/// fpgaPrepareBuffer + fpgaReleaseBuffer on the simulator against the kernel floor for the same
/// work: the system calls the library makes (mmap, madvise(MADV_DONTFORK), mlock, munmap), made
/// bare (<see cref="RawSyscalls"/>). Target: Ratio ≤ 1.05.
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

    [Benchmark(Baseline = true, Description = "mmap+madvise+mlock+munmap")]
    public void RawSyscalls()
    {
        var address = OpaeSharp.Benchmarks.RawSyscalls.Mmap(0, (nuint)Case.Length, OpaeSharp.Benchmarks.RawSyscalls.ProtReadWrite, BenchSetup.MapFlags(Case.PageSize), -1, 0);
        if (address == -1)
        {
            throw new InvalidOperationException($"mmap: errno {Marshal.GetLastPInvokeError()}");
        }

        // The library checks mlock's result; so does the floor, to do the same work.
        _ = OpaeSharp.Benchmarks.RawSyscalls.Madvise(address, (nuint)Case.Length, OpaeSharp.Benchmarks.RawSyscalls.MadvDontFork);
        if (OpaeSharp.Benchmarks.RawSyscalls.Mlock(address, (nuint)Case.Length) != 0)
        {
            throw new InvalidOperationException("mlock failed");
        }

        _ = OpaeSharp.Benchmarks.RawSyscalls.Munmap(address, (nuint)Case.Length);
    }

    [Benchmark(Description = "PrepareBuffer+Release")]
    public void PrepareRelease() => _accelerator!.PrepareBuffer(Case.Length).Dispose();
}
