using OpaeSharp.Memory;

namespace OpaeSharp.Tests.Memory;

public sealed class PageSizePolicyTests
{
    [Theory]
    [InlineData(4096L, PageSizes.Small)]
    [InlineData(4097L, PageSizes.Huge2M)]
    [InlineData(2L << 20, PageSizes.Huge2M)]
    [InlineData((2L << 20) + 4096, PageSizes.Huge1G)]
    public void Contiguous_buffers_follow_opaes_rule_with_no_fallback(long length, long expected) =>
        Assert.Equal([expected], PageSizePolicy.Candidates(length, requiresContiguous: true).ToArray());

    [Theory]
    [InlineData(4096L)]
    [InlineData((2L << 20) - 4096)]
    public void A_flexible_buffer_smaller_than_a_hugepage_uses_small_pages_only(long length) =>
        Assert.Equal([PageSizes.Small], PageSizePolicy.Candidates(length, requiresContiguous: false).ToArray());

    [Fact]
    public void A_flexible_buffer_that_fills_a_2_MiB_page_tries_it_first_and_falls_back_to_small_pages() =>
        Assert.Equal([PageSizes.Huge2M, PageSizes.Small], PageSizePolicy.Candidates(2L << 20, requiresContiguous: false).ToArray());

    [Fact]
    public void A_3_MiB_buffer_never_takes_a_1_GiB_page() =>
        Assert.DoesNotContain(PageSizes.Huge1G, PageSizePolicy.Candidates(3L << 20, requiresContiguous: false).ToArray());

    [Fact]
    public void Without_hugepages_a_flexible_buffer_gets_small_pages_and_a_contiguous_one_keeps_opaes_rule()
    {
        Assert.Equal([PageSizes.Small], PageSizePolicy.Candidates(1L << 30, requiresContiguous: false, useHugePages: false).ToArray());
        Assert.Equal([PageSizes.Huge2M], PageSizePolicy.Candidates(2L << 20, requiresContiguous: true, useHugePages: false).ToArray());
    }

    [Fact]
    public void A_flexible_buffer_of_1_GiB_or_more_tries_every_size_largest_first() =>
        Assert.Equal([PageSizes.Huge1G, PageSizes.Huge2M, PageSizes.Small], PageSizePolicy.Candidates(1L << 30, requiresContiguous: false).ToArray());
}
