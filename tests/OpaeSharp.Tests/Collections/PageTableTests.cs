using OpaeSharp.Collections;

namespace OpaeSharp.Tests.Collections;

public sealed class PageTableTests
{
    private const ulong Page = 4096;
    private const ulong Large = 2UL << 20;
    private const ulong Huge = 1UL << 30;

    [Fact]
    public void A_value_is_found_at_every_page_of_its_range_and_nowhere_else()
    {
        var table = new PageTable<string>();
        table.Set(0x7000, 3 * Page, "a");

        Assert.Null(table.Find(0x6fff));
        Assert.Equal("a", table.Find(0x7000));
        Assert.Equal("a", table.Find(0x8123));
        Assert.Equal("a", table.Find(0x9fff));
        Assert.Null(table.Find(0xa000));
    }

    [Fact]
    public void A_range_crossing_large_pages_is_found_at_both_unaligned_ends_and_inside()
    {
        // 4 KiB pages below a 2 MiB boundary, two whole 2 MiB slots, 4 KiB pages after.
        var table = new PageTable<string>();
        var start = Large - (2 * Page);
        var length = (2 * Page) + (2 * Large) + Page;
        table.Set(start, length, "a");

        Assert.Null(table.Find(start - 1));
        Assert.Equal("a", table.Find(start));
        Assert.Equal("a", table.Find(Large + 12345));
        Assert.Equal("a", table.Find((3 * Large) - 1));
        Assert.Equal("a", table.Find(start + length - 1));
        Assert.Null(table.Find(start + length));
    }

    [Fact]
    public void Clearing_part_of_a_whole_large_slot_keeps_its_value_on_the_rest()
    {
        var table = new PageTable<string>();
        table.Set(Huge, Huge, "whole");

        table.Set(Huge + Large + Page, Page, null);

        Assert.Equal("whole", table.Find(Huge + Large));
        Assert.Null(table.Find(Huge + Large + Page));
        Assert.Equal("whole", table.Find(Huge + Large + (2 * Page)));
        Assert.Equal("whole", table.Find((2 * Huge) - 1));
    }

    [Fact]
    public void A_cleared_range_is_found_nowhere_and_can_be_set_again()
    {
        var table = new PageTable<string>();
        table.Set(0x200000, Large + Page, "a");
        table.Set(0x200000, Large + Page, null);

        Assert.Null(table.Find(0x200000));
        Assert.Null(table.Find(0x400000));

        table.Set(0x201000, Page, "b");
        Assert.Equal("b", table.Find(0x201000));
        Assert.Null(table.Find(0x200000));
    }

    [Fact]
    public void A_whole_slot_written_over_smaller_entries_replaces_them_all()
    {
        var table = new PageTable<string>();
        table.Set(Large, Page, "small");
        table.Set(Large + (5 * Page), Page, "small");

        table.Set(Large, Large, "large");

        Assert.Equal("large", table.Find(Large));
        Assert.Equal("large", table.Find(Large + (5 * Page)));
        Assert.Equal("large", table.Find(Large + (100 * Page)));
    }

    [Fact]
    public void First_match_finds_a_value_anywhere_in_the_range_that_the_predicate_accepts()
    {
        var table = new PageTable<string>();
        table.Set(Large + (7 * Page), Page, "dead");
        table.Set(Large + (9 * Page), Page, "live");

        Assert.Equal("live", table.FirstMatch(Large, Large, v => v == "live"));
        Assert.Equal("dead", table.FirstMatch(Large, Large, v => v == "dead"));
        Assert.Null(table.FirstMatch(Large, 7 * Page, _ => true));
        Assert.Null(table.FirstMatch(0, Huge, v => v == "gone"));
    }

    [Fact]
    public void First_match_sees_a_whole_slot_that_covers_a_smaller_range()
    {
        var table = new PageTable<string>();
        table.Set(Huge, Huge, "whole");

        Assert.Equal("whole", table.FirstMatch(Huge + (3 * Large) + Page, Page, _ => true));
    }

    [Fact]
    public void Find_at_or_below_gives_the_nearest_lower_value_inside_the_same_2_MiB()
    {
        var table = new PageTable<string>();
        table.Set(Large + (3 * Page), Page, "low");
        table.Set(Large + (9 * Page), Page, "high");

        Assert.Equal("high", table.FindAtOrBelow(Large + (100 * Page)));
        Assert.Equal("low", table.FindAtOrBelow(Large + (8 * Page)));
        Assert.Null(table.FindAtOrBelow(Large + (2 * Page)));

        // The value in the 2 MiB below is not looked at.
        Assert.Null(table.FindAtOrBelow((2 * Large) + Page));
    }

    [Fact]
    public void Find_at_or_below_gives_a_whole_slot_holding_the_address()
    {
        var table = new PageTable<string>();
        table.Set(Huge, Large, "whole");

        Assert.Equal("whole", table.FindAtOrBelow(Huge + Page));
        Assert.Null(table.FindAtOrBelow(Huge - Page));
    }

    [Fact]
    public void A_4_KiB_write_after_a_whole_2_MiB_write_replaced_its_level_is_found()
    {
        var table = new PageTable<string>();
        table.Set(Large + Page, Page, "a");
        table.Set(Large, Large, "whole");
        table.Set(Large, Large, null);

        table.Set(Large + (2 * Page), Page, "b");

        Assert.Equal("b", table.Find(Large + (2 * Page)));
        Assert.Null(table.Find(Large + Page));
    }

    [Fact]
    public void Alternating_4_KiB_writes_in_two_2_MiB_slots_each_land_in_their_own()
    {
        var table = new PageTable<string>();
        for (var i = 0; i < 4; i++)
        {
            table.Set(Large + ((ulong)i * Page), Page, $"low{i}");
            table.Set((3 * Large) + ((ulong)i * Page), Page, $"high{i}");
        }

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal($"low{i}", table.Find(Large + ((ulong)i * Page)));
            Assert.Equal($"high{i}", table.Find((3 * Large) + ((ulong)i * Page)));
        }
    }

    [Fact]
    public void Addresses_at_or_above_2_to_the_48_are_never_found()
    {
        var table = new PageTable<string>();
        table.Set(PageTableLevel.Limit - Page, Page, "top");

        Assert.Equal("top", table.Find(PageTableLevel.Limit - 1));
        Assert.Null(table.Find(PageTableLevel.Limit));
        Assert.Null(table.Find(ulong.MaxValue));
    }

    [Theory]
    [InlineData(0x1000UL, 0x1000UL, true)]
    [InlineData(0x1000UL, 0UL, false)]
    [InlineData(0x1001UL, 0x1000UL, false)]
    [InlineData(0x1000UL, 0x1001UL, false)]
    [InlineData(PageTableLevel.Limit - 0x1000, 0x1000UL, true)]
    [InlineData(PageTableLevel.Limit - 0x1000, 0x2000UL, false)]
    [InlineData(PageTableLevel.Limit, 0x1000UL, false)]
    public void Covers_only_non_empty_page_aligned_ranges_below_2_to_the_48(ulong start, ulong length, bool covered) =>
        Assert.Equal(covered, PageTableLevel.Covers(start, length));

    [Fact]
    public void Writes_of_disjoint_ranges_on_two_threads_lose_nothing()
    {
        // Both threads install levels in the same empty region at once.
        var table = new PageTable<string>();
        const int PerThread = 2000;
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                var at = ((ulong)((i * 2) + t) * Large) + ((ulong)t * Page);
                table.Set(at, Page, $"{t}:{i}");
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        for (var t = 0; t < 2; t++)
        {
            for (var i = 0; i < PerThread; i++)
            {
                Assert.Equal($"{t}:{i}", table.Find(((ulong)((i * 2) + t) * Large) + ((ulong)t * Page)));
            }
        }
    }
}
