using OpaeSharp.Memory;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Memory;

/// <summary>A kernel whose sysfs describes hugepage pools a test chooses; memory calls reach the real kernel.</summary>
internal sealed class FakeHugePages : IDisposable
{
    internal FakeHugePages(long free2M = 0, long total2M = 0, long free1G = 0, long total1G = 0)
    {
        Write(PageSizes.Huge2M, free2M, total2M);
        Write(PageSizes.Huge1G, free1G, total1G);
        Pools = new HugePages(Kernel);
    }

    internal FakeKernel Kernel { get; } = new();

    internal HugePages Pools { get; }

    public void Dispose() => Kernel.Dispose();

    private void Write(long pageSize, long free, long total)
    {
        Kernel.WriteFile($"{HugePages.Root}/hugepages-{pageSize / 1024}kB/free_hugepages", $"{free}");
        Kernel.WriteFile($"{HugePages.Root}/hugepages-{pageSize / 1024}kB/nr_hugepages", $"{total}");
    }
}
