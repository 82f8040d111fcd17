using OpaeSharp.Devices.Simulated;
using OpaeSharp.Interop;
using OpaeSharp.Memory;

namespace OpaeSharp.Benchmarks;

/// <summary>Accelerators on private simulators, with the page size under the benchmark's control.</summary>
internal static class BenchSetup
{
    internal static Accelerator Open(long pageSize)
    {
        var backend = new SimulatedBackend(new SimulatorOptions());
        var token = backend.Enumerate().First(t => t.ObjectType == FpgaObjectType.Accelerator);
        return new Accelerator(token, backend.Open(token, shared: false), shared: false, pageSize == PageSizes.Small ? BufferAllocator.SmallPagesOnly : BufferAllocator.System);
    }

    /// <summary>Why a case with <paramref name="pageSize"/> pages cannot run here, or null.</summary>
    internal static string? WhyUnavailable(long length, long pageSize)
    {
        if (pageSize == PageSizes.Small)
        {
            return null;
        }

        var needed = PageSizes.RoundUp(length, pageSize) / pageSize;
        var free = HugePages.System.Free(pageSize);
        return free >= needed
            ? null
            : $"{PageSizes.Name(length)} with {PageSizes.Name(pageSize)} pages skipped: {needed} free {PageSizes.Name(pageSize)} hugepages needed, {free} free (reserve: echo {needed} | sudo tee {HugePages.ReservePath(pageSize)})";
    }

    internal static int MapFlags(long pageSize) => Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | pageSize switch
    {
        PageSizes.Huge2M => Libc.MAP_HUGETLB | Libc.MAP_HUGE_2MB,
        PageSizes.Huge1G => Libc.MAP_HUGETLB | Libc.MAP_HUGE_1GB,
        _ => 0,
    };
}
