using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using OpaeSharp.Cli;
using OpaeSharp.Cli.Bench;
using OpaeSharp.Cli.Commands;

namespace OpaeSharp.Tests.Cli.Bench;

public sealed class BenchMetadataTests
{
    private static JsonNode RunJson(BenchMetadata metadata)
    {
        var output = new StringWriter();
        BenchCommand.Run(new CliContext(output, new StringWriter(), interactive: false), [], metadata, plotPath: null, json: true);
        return JsonNode.Parse(output.ToString())!["metadata"]!;
    }

    [Fact]
    public void Bench_json_metadata_carries_the_date_in_iso_8601_utc_the_host_and_the_mode()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)));

        var metadata = RunJson(BenchMetadata.Current(quick: true, 100, time));

        Assert.Equal("2026-03-04T03:06:07Z", (string?)metadata["date"]);
        Assert.Equal(Environment.MachineName, (string?)metadata["host"]);
        Assert.Equal("quick", (string?)metadata["mode"]);
        Assert.Equal(Environment.ProcessorCount, (int)metadata["cpuCount"]!);
        Assert.StartsWith(".NET ", (string?)metadata["runtime"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_without_quick_is_the_full_mode()
    {
        var metadata = RunJson(BenchMetadata.Current(quick: false, 100, TimeProvider.System));

        Assert.Equal("full", (string?)metadata["mode"]);
    }

    [Fact]
    public void Bench_json_metadata_names_the_version_and_commit_the_build_came_from()
    {
        // The library and the tool are built from one checkout: the same informational version "0.1.0+<commit>".
        var library = typeof(Accelerator).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+');

        var metadata = RunJson(BenchMetadata.Current(quick: true, 100, TimeProvider.System));

        Assert.Equal(library[0], (string?)metadata["opaeSharpVersion"]);
        Assert.Equal(library.Length > 1 ? library[1] : null, (string?)metadata["commit"]);
    }
}
