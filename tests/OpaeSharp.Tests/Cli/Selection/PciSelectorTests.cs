using OpaeSharp.Cli.Selection;

namespace OpaeSharp.Tests.Cli.Selection;

public sealed class PciSelectorTests
{
    [Theory]
    [InlineData("0x3b", 0x3b)]
    [InlineData("0X3B", 0x3b)]
    [InlineData("59", 0x3b)]
    [InlineData("073", 0x3b)]
    [InlineData("0", 0)]
    [InlineData("0xff", 0xff)]
    public void Numbers_read_like_strtoul_with_base_0(string text, int expected)
    {
        Assert.True(PciSelector.TryParseNumber(text, PciSelector.MaxBus, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("0x100")]
    [InlineData("256")]
    [InlineData("3b")]
    [InlineData("08")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("0x")]
    [InlineData(" 1")]
    [InlineData("")]
    public void Numbers_out_of_range_signed_or_with_stray_characters_are_refused(string text) =>
        Assert.False(PciSelector.TryParseNumber(text, PciSelector.MaxBus, out _));

    [Fact]
    public void A_full_address_sets_all_four_fields()
    {
        Assert.True(PciSelector.TryParseAddress("0001:3b:1f.7", out var address));
        Assert.Equal(new PciSelector(1, 0x3b, 0x1f, 7), address);
    }

    [Fact]
    public void A_short_address_leaves_the_segment_open()
    {
        Assert.True(PciSelector.TryParseAddress("3b:00.0", out var address));
        Assert.Equal(new PciSelector(null, 0x3b, 0, 0), address);
    }

    [Theory]
    [InlineData("3b:00")]
    [InlineData("0000:3b:20.0")]
    [InlineData("0000:3b:00.8")]
    [InlineData("0000:3g:00.0")]
    [InlineData("10000:3b:00.0")]
    [InlineData("0000:3b:00.0.1")]
    [InlineData("0:0000:3b:00.0")]
    [InlineData("3b:00.")]
    public void Malformed_addresses_are_refused(string text) => Assert.False(PciSelector.TryParseAddress(text, out _));

    [Fact]
    public void Merging_names_the_field_two_selectors_disagree_on()
    {
        var merged = new PciSelector(null, 0x3b, 0, 0).Merge(new PciSelector(null, 0x5e, null, null), out var conflict);

        Assert.Null(merged);
        Assert.Equal("bus", conflict);
    }

    [Fact]
    public void Merging_selectors_that_agree_combines_their_fields()
    {
        var merged = new PciSelector(null, 0x3b, null, null).Merge(new PciSelector(0, 0x3b, 0, 0), out var conflict);

        Assert.Null(conflict);
        Assert.Equal(new PciSelector(0, 0x3b, 0, 0), merged);
    }
}
