using System.Text.Json.Nodes;

namespace OpaeSharp.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed class BenchCommandTests : IDisposable
{
    private readonly string _plot = Path.Combine(Path.GetTempPath(), $"opae-bench-test-{Guid.NewGuid():N}.png");

    public void Dispose() => File.Delete(_plot);

    [Fact]
    public void Bench_json_pairs_every_case_with_its_floor_and_writes_a_png()
    {
        var (code, output, error) = CliRunner.Run("bench", "--quick", "--max-live", "100", "--json", "--plot", _plot);

        Assert.True(code == 0, error);
        var rows = JsonNode.Parse(output)!["rows"]!.AsArray();
        Assert.Equal(
            ["prepare+release", "GetIoAddress", "NLB0 copy", "pool"],
            rows.Select(r => (string)r!["group"]!).Distinct());
        Assert.All(rows, r => Assert.True((double)r!["ratio"]! > 0));
        Assert.All(rows, r => Assert.Equal((double)r!["ns"]! / (double)r["baselineNs"]!, (double)r["ratio"]!, 0.01));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(_plot).Take(4));
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
}
