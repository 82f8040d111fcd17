using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace OpaeSharp.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed class BenchCommandTests : IDisposable
{
    private readonly string _plot = Path.Combine(Path.GetTempPath(), $"opae-bench-test-{Guid.NewGuid():N}.svg");

    public void Dispose() => File.Delete(_plot);

    [Fact]
    public void Bench_json_pairs_every_case_with_its_floor_and_writes_an_svg_plot()
    {
        var (code, output, error) = CliRunner.Run("bench", "--quick", "--max-live", "100", "--json", "--plot", _plot);

        Assert.True(code == 0, error);
        var rows = JsonNode.Parse(output)!["rows"]!.AsArray();
        Assert.Equal(
            ["prepare+release", "GetIoAddress", "NLB0 copy", "pool"],
            rows.Select(r => (string)r!["group"]!).Distinct());
        Assert.All(rows, r => Assert.True((double)r!["ratio"]!["value"]! > 0));
        Assert.All(rows, r => Assert.Equal((double)r!["time"]!["value"]! / (double)r["baselineTime"]!["value"]!, (double)r["ratio"]!["value"]!, 0.01));
        var svg = XDocument.Load(_plot).Root!;
        Assert.Equal(XName.Get("svg", "http://www.w3.org/2000/svg"), svg.Name);
        Assert.Equal(2, svg.Elements(svg.Name.Namespace + "g").Count());
        Assert.Equal(_plot, (string)JsonNode.Parse(output)!["plot"]!);
    }

    [Fact]
    public void Bench_prints_a_table_with_ratios_and_says_where_the_plot_went()
    {
        var (code, output, _) = CliRunner.Run("bench", "--quick", "--max-live", "10", "--plot", _plot);

        Assert.Equal(0, code);
        Assert.Contains("Ratio", output, StringComparison.Ordinal);
        Assert.Contains("mmap+madvise+mlock+munmap", output, StringComparison.Ordinal);
        Assert.Contains($"plot written to {_plot}", output, StringComparison.Ordinal);
        Assert.Contains("GetIoAddress at 100 live buffers skipped", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_json_gives_every_number_as_a_json_number_with_its_unit()
    {
        var (code, output, error) = CliRunner.Run("bench", "--quick", "--max-live", "10", "--json", "--no-plot");

        Assert.True(code == 0, error);
        var root = JsonNode.Parse(output)!;
        var quantities = root["rows"]!.AsArray().Concat(root["lookupLatency"]!.AsArray()).Concat(root["copyThroughput"]!.AsArray())
            .SelectMany(r => r!.AsObject().Where(p => p.Value is JsonObject).Select(p => (Name: p.Key, Value: p.Value!)))
            .ToList();
        Assert.Contains(quantities, q => q.Name == "time" && (string?)q.Value["unit"] == "ns");
        Assert.Contains(quantities, q => q.Name == "ratio" && (string?)q.Value["unit"] == "ratio");
        Assert.Contains(quantities, q => q.Name == "size" && (string?)q.Value["unit"] == "bytes");
        Assert.Contains(quantities, q => q.Name == "throughput" && (string?)q.Value["unit"] == "GB/s");
        Assert.All(quantities, q => Assert.Equal(JsonValueKind.Number, q.Value["value"]!.GetValueKind()));
        Assert.All(quantities, q => Assert.False(string.IsNullOrEmpty((string?)q.Value["unit"])));
    }

    [Fact]
    public void Bench_on_a_hardware_backend_is_a_usage_error()
    {
        var (code, _, error) = CliRunner.Run("--backend", "dfl", "bench", "--no-plot");

        Assert.Equal(2, code);
        Assert.Contains("simulator", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_refuses_a_live_buffer_count_beyond_100000()
    {
        var (code, _, error) = CliRunner.Run("bench", "--max-live", "1000000");

        Assert.Equal(2, code);
        Assert.Contains("--max-live", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_refuses_a_plot_in_a_directory_that_does_not_exist_before_it_runs()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"opae-missing-{Guid.NewGuid():N}", "plot.svg");

        var (code, _, error) = CliRunner.Run("bench", "--plot", missing);

        Assert.Equal(2, code);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
        Assert.DoesNotContain("opae bench: [1/", error, StringComparison.Ordinal);
    }
}
