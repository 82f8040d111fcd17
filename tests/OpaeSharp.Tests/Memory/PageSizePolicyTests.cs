using OpaeSharp.Memory;

namespace OpaeSharp.Tests.Memory;

public sealed class PageSizePolicyTests
{
    [Theory]
    [InlineData(4096L, PageSizes.Small)]
    [InlineData(4097L, PageSizes.Huge2M)]
    [InlineData(2L << 20, PageSizes.Huge2M)]
    [InlineData((2L << 20) + 4096, PageSizes.Huge1G)]
    public void Contiguous_buffers_follow_opaes_rule_with_no_fallback(long length, long expected)
    {
        using var pools = new FakeHugePages(free2M: 100, total2M: 100, free1G: 4, total1G: 4);
        Assert.Equal([expected], PageSizePolicy.Candidates(length, requiresContiguous: true, pools.Pools));
    }

    [Fact]
    public void Without_reserved_hugepages_flexible_buffers_use_small_pages()
    {
        using var pools = new FakeHugePages();
        Assert.Equal([PageSizes.Small], PageSizePolicy.Candidates(64L << 20, requiresContiguous: false, pools.Pools));
    }

    [Fact]
    public void A_flexible_buffer_that_fills_a_hugepage_prefers_it_and_keeps_small_pages_as_fallback()
    {
        using var pools = new FakeHugePages(free2M: 2, total2M: 2);
        Assert.Equal([PageSizes.Huge2M, PageSizes.Small], PageSizePolicy.Candidates(2L << 20, requiresContiguous: false, pools.Pools));
    }

    [Fact]
    public void A_3_MiB_buffer_never_takes_a_1_GiB_page()
    {
        using var pools = new FakeHugePages(free2M: 0, free1G: 8, total1G: 8);
        Assert.Equal([PageSizes.Small], PageSizePolicy.Candidates(3L << 20, requiresContiguous: false, pools.Pools));
    }

    [Fact]
    public void Hugepages_are_skipped_when_too_few_are_free()
    {
        using var pools = new FakeHugePages(free2M: 1, total2M: 1);
        Assert.Equal([PageSizes.Small], PageSizePolicy.Candidates(4L << 20, requiresContiguous: false, pools.Pools));
    }

    [Fact]
    public void A_small_buffer_uses_small_pages_even_with_hugepages_free()
    {
        using var pools = new FakeHugePages(free2M: 10, total2M: 10);
        Assert.Equal([PageSizes.Small], PageSizePolicy.Candidates(8192, requiresContiguous: false, pools.Pools));
    }
}
