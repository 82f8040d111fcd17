using BenchmarkDotNet.Attributes;
using OpaeSharp.Memory;
using OpaeSharp.Pooling;

namespace OpaeSharp.Benchmarks;

/// <summary>
/// A program that needs a fresh DMA buffer per operation: prepare and release each time (the
/// baseline) against renting from a <see cref="SharedBufferPool"/> (zeroed on return).
/// </summary>
public class PoolBenchmarks
{
    private Accelerator _accelerator = null!;
    private SharedBufferPool _pool = null!;

    [Params(4096, 64 * 1024, 2 * 1024 * 1024)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _accelerator = BenchSetup.Open(PageSizes.Small);
        _pool = new SharedBufferPool(_accelerator);
        _pool.Rent(Length).Dispose();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pool.Dispose();
        _accelerator.Dispose();
    }

    [Benchmark(Baseline = true, Description = "PrepareBuffer+Release")]
    public void PrepareRelease() => _accelerator.PrepareBuffer(Length).Dispose();

    [Benchmark(Description = "pool Rent+Return")]
    public void RentReturn() => _pool.Rent(Length).Dispose();
}
