namespace OpaeSharp.Tests.Cli;

/// <summary>A directory tree standing in for / (sysfs and /dev) so <c>opae info</c> can be shown any machine.</summary>
internal sealed class FakeSystem : IDisposable
{
    public FakeSystem() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"opae-fake-root-{Guid.NewGuid():N}");

    public FakeSystem HugePages(long pageSizeKiB, long free, long total)
    {
        var dir = Path.Combine(Root, "sys/kernel/mm/hugepages", $"hugepages-{pageSizeKiB}kB");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "free_hugepages"), $"{free}\n");
        File.WriteAllText(Path.Combine(dir, "nr_hugepages"), $"{total}\n");
        return this;
    }

    public FakeSystem File_(string relative)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
        return this;
    }

    public FakeSystem Dir(string relative)
    {
        Directory.CreateDirectory(Path.Combine(Root, relative));
        return this;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
