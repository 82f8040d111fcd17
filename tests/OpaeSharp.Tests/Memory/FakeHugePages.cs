using OpaeSharp.Memory;

namespace OpaeSharp.Tests.Memory;

/// <summary>A sysfs hugepage tree in a temp folder, describing pools a test chooses.</summary>
internal sealed class FakeHugePages : IDisposable
{
    internal FakeHugePages(long free2M = 0, long total2M = 0, long free1G = 0, long total1G = 0)
    {
        Root = Directory.CreateTempSubdirectory("opaesharp-hugepages-").FullName;
        Write(PageSizes.Huge2M, free2M, total2M);
        Write(PageSizes.Huge1G, free1G, total1G);
        Pools = new HugePages(Root);
    }

    internal string Root { get; }

    internal HugePages Pools { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private void Write(long pageSize, long free, long total)
    {
        var dir = Directory.CreateDirectory(Path.Combine(Root, $"hugepages-{pageSize / 1024}kB")).FullName;
        File.WriteAllText(Path.Combine(dir, "free_hugepages"), $"{free}\n");
        File.WriteAllText(Path.Combine(dir, "nr_hugepages"), $"{total}\n");
    }
}
