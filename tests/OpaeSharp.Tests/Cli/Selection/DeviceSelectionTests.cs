using System.Text.Json.Nodes;
using OpaeSharp.Devices.Simulated.Afus;
using OpaeSharp.Simulation;

namespace OpaeSharp.Tests.Cli.Selection;

/// <summary>-S/-B/-D/-F, a PCI address, xbutil's --device BDF and --guid on list, hello and sim.</summary>
public sealed class DeviceSelectionTests
{
    private const string TwoCardsConfiguration = """
        { "cards": [
            { "pci": "0000:3b:00.0", "ports": [ "nlb0" ] },
            { "pci": "0000:5e:00.0", "ports": [ "nlb0", "dummy-afu" ] } ] }
        """;

    private static readonly string s_dummyAfu = DummyAfu.Id.ToString();

    private static FakeSystem TwoCards() => new(SimulatorConfiguration.Parse(TwoCardsConfiguration));

    private static List<string?> Addresses(string json) =>
        [.. JsonNode.Parse(json)!.AsArray().Select(o => (string?)o!["pciAddress"])];

    [Fact]
    public void Hello_with_bus_0x3b_runs_on_the_simulators_default_card()
    {
        using var system = new FakeSystem();

        var (code, output, error) = CliRunner.RunOn(system, "--backend", "sim", "hello", "-B", "0x3b", "--json");

        Assert.True(code == 0, error);
        Assert.Contains("at 0000:3b:00.0", (string?)JsonNode.Parse(output)!["steps"]![0], StringComparison.Ordinal);
    }

    [Fact]
    public void Hello_opens_the_card_a_positional_pci_address_names()
    {
        using var system = TwoCards();

        var (code, output, error) = CliRunner.RunOn(system, "--backend", "sim", "hello", "0000:5e:00.0", "--json");

        Assert.True(code == 0, error);
        Assert.Contains("at 0000:5e:00.0", (string?)JsonNode.Parse(output)!["steps"]![0], StringComparison.Ordinal);
    }

    [Fact]
    public void Device_takes_a_whole_bdf_as_xbutil_does()
    {
        using var system = TwoCards();

        var (code, output, error) = CliRunner.RunOn(system, "--backend", "sim", "hello", "--device", "5e:00.0", "--json");

        Assert.True(code == 0, error);
        Assert.Contains("at 0000:5e:00.0", (string?)JsonNode.Parse(output)!["steps"]![0], StringComparison.Ordinal);
    }

    [Fact]
    public void List_with_a_bus_shows_only_that_cards_objects()
    {
        using var system = TwoCards();

        var (code, output, _) = CliRunner.RunOn(system, "--backend", "sim", "list", "-B", "0x5e", "--json");

        Assert.Equal(0, code);
        Assert.Equal(["0000:5e:00.0", "0000:5e:00.0", "0000:5e:00.1"], Addresses(output));
    }

    [Fact]
    public void A_decimal_bus_selects_the_same_card_as_its_hex_spelling()
    {
        using var system = TwoCards();

        var (_, hex, _) = CliRunner.RunOn(system, "--backend", "sim", "list", "-B", "0x5e", "--json");
        var (code, dec, _) = CliRunner.RunOn(system, "--backend", "sim", "list", "-B", "94", "--json");

        Assert.Equal(0, code);
        Assert.Equal(Addresses(hex), Addresses(dec));
    }

    [Fact]
    public void Function_and_segment_narrow_the_list_to_one_port()
    {
        using var system = TwoCards();

        var (code, output, _) = CliRunner.RunOn(system, "--backend", "sim", "list", "-S", "0", "-B", "0x5e", "-D", "0", "-F", "1", "--json");

        Assert.Equal(0, code);
        Assert.Equal(["0000:5e:00.1"], Addresses(output));
    }

    [Fact]
    public void Guid_lists_only_the_accelerators_with_that_afu_id()
    {
        using var system = TwoCards();

        var (code, output, _) = CliRunner.RunOn(system, "--backend", "sim", "list", "--guid", s_dummyAfu, "--json");

        Assert.Equal(0, code);
        var only = Assert.Single(JsonNode.Parse(output)!.AsArray());
        Assert.Equal(s_dummyAfu, (string?)only!["guid"]);
    }

    [Fact]
    public void An_address_nothing_has_is_not_found_and_the_message_names_it_and_what_there_is()
    {
        using var system = TwoCards();

        var (code, _, error) = CliRunner.RunOn(system, "--backend", "sim", "list", "0000:99:00.0");

        Assert.Equal(10 + (int)FpgaResult.NotFound, code);
        Assert.Contains("0000:99:00.0", error, StringComparison.Ordinal);
        Assert.Contains("accelerator 0000:5e:00.1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Hello_on_a_bus_without_an_nlb0_is_not_found_naming_the_bus()
    {
        using var system = TwoCards();

        var (code, _, error) = CliRunner.RunOn(system, "--backend", "sim", "hello", "-B", "0x99");

        Assert.Equal(10 + (int)FpgaResult.NotFound, code);
        Assert.Contains("bus 0x99", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-B", "0x1ff", "--bus")]
    [InlineData("-B", "3b", "--bus")]
    [InlineData("-S", "0x10000", "--segment")]
    [InlineData("-D", "0x20", "--device")]
    [InlineData("-D", "3b:0g.0", "--device")]
    [InlineData("-F", "8", "--function")]
    [InlineData("--guid", "nlb0", "--guid")]
    public void A_value_out_of_range_or_malformed_is_a_usage_error_naming_the_option(string option, string value, string named)
    {
        using var system = new FakeSystem();

        var (code, output, error) = CliRunner.RunOn(system, "list", option, value);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains($"{named} '{value}'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_positional_address_is_a_usage_error()
    {
        using var system = new FakeSystem();

        var (code, _, error) = CliRunner.RunOn(system, "list", "3b:00");

        Assert.Equal(2, code);
        Assert.Contains("'3b:00' is not a PCI address", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_address_and_a_bus_that_disagree_are_a_usage_error()
    {
        using var system = new FakeSystem();

        var (code, _, error) = CliRunner.RunOn(system, "list", "3b:00.0", "-B", "0x5e");

        Assert.Equal(2, code);
        Assert.Contains("disagree on the PCI bus", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sim_with_a_bus_shows_only_that_cards_ports()
    {
        using var system = TwoCards();

        var (code, output, _) = CliRunner.RunOn(system, "sim", "-B", "0x5e", "--json");

        Assert.Equal(0, code);
        var card = Assert.Single(JsonNode.Parse(output)!["cards"]!.AsArray());
        Assert.Equal(["0000:5e:00.0", "0000:5e:00.1"], card!["ports"]!.AsArray().Select(p => (string?)p!["pciAddress"]));
    }

    [Fact]
    public void Sim_show_with_an_address_no_port_has_is_not_found()
    {
        using var system = TwoCards();

        var (code, _, error) = CliRunner.RunOn(system, "sim", "show", "0000:3b:00.1");

        Assert.Equal(10 + (int)FpgaResult.NotFound, code);
        Assert.Contains("0000:3b:00.1", error, StringComparison.Ordinal);
    }
}
