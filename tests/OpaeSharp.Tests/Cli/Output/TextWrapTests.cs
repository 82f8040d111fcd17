using OpaeSharp.Cli.Output;

namespace OpaeSharp.Tests.Cli.Output;

public sealed class TextWrapTests
{
    [Fact]
    public void Prose_wraps_at_spaces_within_the_width()
    {
        var lines = TextWrap.Wrap("the quick brown fox jumps over the lazy dog", 16);

        Assert.Equal(["the quick brown", "fox jumps over", "the lazy dog"], lines);
    }

    [Fact]
    public void A_command_in_parentheses_stays_on_one_line()
    {
        var lines = TextWrap.Wrap("no driver: load the driver (modprobe dfl-pci) on a kernel built with CONFIG_FPGA_DFL", 30);

        Assert.Contains(lines, l => l.Contains("(modprobe dfl-pci)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_pipeline_to_sudo_tee_is_one_unit_to_its_closing_parenthesis()
    {
        var units = TextWrap.Units("(reserve some: echo 8 | sudo tee /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages) now");

        Assert.Equal(["(reserve", "some:", "echo 8 | sudo tee /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages)", "now"], units);
    }

    [Fact]
    public void A_command_ends_before_an_opening_parenthesis_and_at_a_full_stop()
    {
        var units = TextWrap.Units("VFIO is off: modprobe vfio-pci (docs/hardware.md). Raise it with ulimit -l unlimited. Then");

        Assert.Contains("modprobe vfio-pci", units);
        Assert.Contains("ulimit -l unlimited.", units);
        Assert.Equal("Then", units[^1]);
    }

    [Fact]
    public void A_quoted_span_is_one_unit()
    {
        var units = TextWrap.Units("Raise it with 'ulimit -l' or memlock");

        Assert.Equal(["Raise", "it", "with", "'ulimit -l'", "or", "memlock"], units);
    }

    [Fact]
    public void A_unit_too_wide_for_the_hanging_indent_moves_to_the_fallback_indent()
    {
        var lines = TextWrap.Wrap("echo N | sudo tee /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", 80, firstIndent: 16, hangingIndent: 16);

        Assert.Equal(["", "    echo N | sudo tee /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"], lines);
    }

    [Fact]
    public void A_unit_wider_than_the_line_gets_its_own_line_unbroken()
    {
        var guid = "d8424dc4-a4a3-c413-f89e-433683f9040b";

        var lines = TextWrap.Wrap($"id {guid} here", 20);

        Assert.Equal(["id", guid, "here"], lines);
    }
}
