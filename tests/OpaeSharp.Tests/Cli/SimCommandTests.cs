using System.Text.Json.Nodes;
using OpaeSharp.Simulation;

namespace OpaeSharp.Tests.Cli;

public sealed class SimCommandTests
{
    private const string Configuration = """
        { "cards": [
            { "pci": "0000:5e:00.0", "link": { "gbps": 16, "latencyNs": 800 }, "ports": [ "nlb0", { "afu": "he-lpbk", "faults": [ { "kind": "dmaFailure", "after": 3 } ] } ] },
            { "ports": [ "dummy-afu" ] } ] }
        """;

    [Fact]
    public void Sim_json_lists_cards_ports_links_faults_and_models()
    {
        using var system = new FakeSystem(SimulatorConfiguration.Parse(Configuration));
        var (code, output, _) = CliRunner.RunOn(system, "sim", "--json");
        Assert.Equal(0, code);
        var root = JsonNode.Parse(output)!;
        var cards = root["cards"]!.AsArray();
        Assert.Equal(2, cards.Count);
        Assert.Equal("0000:5e:00.0", (string?)cards[0]!["pciAddress"]);
        Assert.Equal(16.0, (double)cards[0]!["link"]!["gbps"]!);
        Assert.Equal(800.0, (double)cards[0]!["link"]!["latencyNs"]!);
        var he = cards[0]!["ports"]![1]!;
        Assert.Equal("he-lpbk", (string?)he["afu"]);
        Assert.Equal("0000:5e:00.1", (string?)he["pciAddress"]);
        Assert.Equal(4, (int)he["interrupts"]!);
        var fault = he["faults"]![0]!;
        Assert.Equal("dmaFailure", (string?)fault["kind"]);
        Assert.Equal(3, (int)fault["after"]!);
        Assert.Null(cards[1]!["link"]);
        Assert.Contains(root["models"]!.AsArray(), m => (string?)m!["name"] == "hello-afu");
    }

    [Fact]
    public void Sim_shows_a_table_of_ports_with_their_models_and_faults()
    {
        using var system = new FakeSystem(SimulatorConfiguration.Parse(Configuration));
        var (code, output, _) = CliRunner.RunOn(system, "sim", "show");
        Assert.Equal(0, code);
        Assert.Contains("he-lpbk", output, StringComparison.Ordinal);
        Assert.Contains("16 GB/s, 800 ns", output, StringComparison.Ordinal);
        Assert.Contains("DmaFailure, after 3 DMA(s), once", output, StringComparison.Ordinal);
        Assert.Contains("dummy-afu", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Sim_config_shows_a_file_instead_of_the_running_simulator()
    {
        var path = Path.Combine(Path.GetTempPath(), $"opae-sim-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "cards": [ { "ports": [ "hello-afu", "nlb3" ] } ] }""");
        try
        {
            using var system = new FakeSystem();
            var (code, output, _) = CliRunner.RunOn(system, "sim", "--config", path, "--json");
            Assert.Equal(0, code);
            var root = JsonNode.Parse(output)!;
            Assert.Equal(path, (string?)root["configuration"]);
            Assert.Equal(["hello-afu", "nlb3"], root["cards"]![0]!["ports"]!.AsArray().Select(p => (string?)p!["afu"]));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Sim_config_with_an_unknown_model_fails_with_invalid_param_and_names_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"opae-sim-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "cards": [ { "ports": [ "nlb42" ] } ] }""");
        try
        {
            using var system = new FakeSystem();
            var (code, _, error) = CliRunner.RunOn(system, "sim", "--config", path);
            Assert.NotEqual(0, code);
            Assert.Contains("nlb42", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void List_names_the_built_in_afu_models()
    {
        using var system = new FakeSystem(SimulatorConfiguration.Parse(Configuration));
        var (code, output, _) = CliRunner.RunOn(system, "list", "--backend", "sim", "--json");
        Assert.Equal(0, code);
        var afus = JsonNode.Parse(output)!.AsArray().Select(t => (string?)t!["afu"]).ToList();
        Assert.Equal([null, "nlb0", "he-lpbk", null, "dummy-afu"], afus);
    }
}
