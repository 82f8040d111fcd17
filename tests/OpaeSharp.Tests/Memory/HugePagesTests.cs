namespace OpaeSharp.Tests.Memory;

public sealed class HugePagesTests
{
    [Fact]
    public void Free_and_total_are_read_from_the_pool_files()
    {
        using var pools = new FakeHugePages(free2M: 3, total2M: 5, free1G: 1, total1G: 2);
        Assert.Equal(3, pools.Pools.Free(2 << 20));
        Assert.Equal(5, pools.Pools.Total(2 << 20));
        Assert.Equal(1, pools.Pools.Free(1 << 30));
        Assert.Equal(2, pools.Pools.Total(1 << 30));
    }

    [Fact]
    public void A_page_size_the_kernel_does_not_offer_has_no_pages()
    {
        using var pools = new FakeHugePages();
        Assert.Equal(0, pools.Pools.Free(16L << 30));
    }

    [Fact]
    public void The_shortage_message_names_the_size_the_counts_and_how_to_reserve()
    {
        using var pools = new FakeHugePages(free2M: 0, total2M: 0);
        var text = pools.Pools.DescribeShortage(2 << 20, 1);
        Assert.Contains("no free 2 MiB hugepages (0 of 0 free, 1 needed", text, StringComparison.Ordinal);
        Assert.Contains("hugepages-2048kB/nr_hugepages", text, StringComparison.Ordinal);
    }
}
