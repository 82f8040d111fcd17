using OpaeSharp.Objects;

namespace OpaeSharp.Tests.Objects;

public sealed class SysfsObjectTests
{
    [Theory]
    [InlineData("0x1f\n", 0x1fUL)]
    [InlineData("  42", 42UL)]
    [InlineData("017", 15UL)]
    [InlineData("12abc", 12UL)]
    [InlineData("", 0UL)]
    [InlineData("0xffffffffffffffffff", ulong.MaxValue)]
    public void Values_parse_as_strtoull_with_base_zero(string text, ulong expected) =>
        Assert.Equal(expected, SysfsObject.ParseUnsigned(text));
}
