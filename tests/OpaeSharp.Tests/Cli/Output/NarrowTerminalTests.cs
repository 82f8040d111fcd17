using System.Text.Json.Nodes;
using OpaeSharp.Simulation;

namespace OpaeSharp.Tests.Cli.Output;

/// <summary>At 80 columns no GUID, word or command to copy is split across lines.</summary>
public sealed class NarrowTerminalTests
{
    private const int Width = 80;

    private const string Configuration = """
        { "cards": [
            { "pci": "0000:5e:00.0", "link": { "gbps": 16, "latencyNs": 800 }, "ports": [ "nlb0", { "afu": "he-lpbk", "faults": [ { "kind": "dmaFailure", "after": 3 } ] } ] },
            { "ports": [ "dummy-afu" ] } ] }
        """;

    private static string[] Lines(string output) => output.Split('\n');

    private static void AssertWhole(string output, string text) =>
        Assert.True(Lines(output).Any(l => l.Contains(text, StringComparison.Ordinal)), $"'{text}' is not whole on one line of:\n{output}");

    [Fact]
    public void List_keeps_each_guid_and_pci_address_on_one_line()
    {
        using var system = new FakeSystem(SimulatorConfiguration.Parse(Configuration));
        var (_, json, _) = CliRunner.RunOn(system, "--backend", "sim", "list", "--json");

        var (code, output, _) = CliRunner.RunAt(Width, system.Backends, "--backend", "sim", "list");

        Assert.Equal(0, code);
        foreach (var item in JsonNode.Parse(json)!.AsArray())
        {
            AssertWhole(output, (string)item!["guid"]!);
            AssertWhole(output, (string)item["pciAddress"]!);
        }

        Assert.All(Lines(output), l => Assert.True(l.Length <= Width, $"{l.Length} columns: {l}"));
    }

    [Fact]
    public void Info_keeps_each_hugepage_reserve_command_on_one_line()
    {
        using var system = new FakeSystem().HugePages(2048, free: 0, total: 0).HugePages(1048576, free: 0, total: 0);

        var (code, output, _) = CliRunner.RunAt(Width, system.Backends, "info");

        Assert.Equal(0, code);
        AssertWhole(output, "echo N | sudo tee /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages");
        AssertWhole(output, "echo N | sudo tee /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages");
        Assert.All(Lines(output), l => Assert.True(l.Length <= Width, $"{l.Length} columns: {l}"));
    }

    [Fact]
    public void Info_keeps_the_driver_load_commands_of_the_backend_reasons_on_one_line()
    {
        using var system = new FakeSystem();

        var (code, output, _) = CliRunner.RunAt(Width, system.Backends, "info");

        Assert.Equal(0, code);
        AssertWhole(output, "modprobe dfl-pci");
        AssertWhole(output, "modprobe intel-fpga-pci");
    }

    [Fact]
    public void Sim_keeps_afu_ids_and_fault_descriptions_words_whole()
    {
        using var system = new FakeSystem(SimulatorConfiguration.Parse(Configuration));
        var (_, json, _) = CliRunner.RunOn(system, "sim", "--json");

        var (code, output, _) = CliRunner.RunAt(Width, system.Backends, "sim");

        Assert.Equal(0, code);
        var root = JsonNode.Parse(json)!;
        foreach (var id in root["cards"]!.AsArray().SelectMany(c => c!["ports"]!.AsArray()).Select(p => (string)p!["afuId"]!).Concat(root["models"]!.AsArray().Select(m => (string)m!["afuId"]!)))
        {
            AssertWhole(output, id);
        }

        AssertWhole(output, "DmaFailure,");
        Assert.All(Lines(output), l => Assert.True(l.Length <= Width, $"{l.Length} columns: {l}"));
    }

    [Fact]
    public void A_table_that_fits_stays_a_table()
    {
        using var system = new FakeSystem().HugePages(2048, free: 3, total: 5);

        var (_, output, _) = CliRunner.RunAt(200, system.Backends, "info");

        Assert.Contains(Lines(output), l => l.Contains("Reserve with", StringComparison.Ordinal) && l.Contains("Page size", StringComparison.Ordinal));
    }
}
