using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using OpaeSharp.Cli.Bench;
using OpaeSharp.Cli.Output;
using Spectre.Console;

namespace OpaeSharp.Cli.Commands;

/// <summary>
/// <c>opae bench</c>: a short run of bench/OpaeSharp.Benchmarks on the simulator — each case
/// against its floor, a table with the ratios and targets, and an SVG plot.
/// </summary>
internal static class BenchCommand
{
    internal static Command Create(CliContext context, Option<string?> backendOption)
    {
        var plot = new Option<string>("--plot") { Description = "Where to write the SVG plot", DefaultValueFactory = _ => "opae-bench.svg" };
        var noPlot = new Option<bool>("--no-plot") { Description = "Do not write the plot" };
        var maxLive = RangeOptions.Count("--max-live", "Largest live-buffer count for the lookup curve, 10 to 100000 (100000 takes about a minute)", 10_000, 10, 100_000, "live buffers");
        var quick = new Option<bool>("--quick") { Description = "Twentieth of the iterations: a smoke test, not a measurement" };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON instead of a table" };
        var command = new Command("bench", "Measure prepare/release, IO address lookups, NLB0 copies and the pool against their floors (simulator)")
        {
            plot, noPlot, maxLive, quick, json,
        };
        command.SetAction(parse =>
        {
            if (CliApp.Backend(parse, backendOption) is { } backend && backend != BackendKind.Simulated && backend != BackendKind.Auto)
            {
                throw new UsageException("bench measures the library on the simulator; --backend dfl/vfio is not supported");
            }

            var plotPath = parse.GetValue(noPlot) ? null : parse.GetValue(plot);
            if (plotPath is not null && Path.GetDirectoryName(Path.GetFullPath(plotPath)) is { } directory && !Directory.Exists(directory))
            {
                // Said before the run rather than after a minute of measuring.
                throw new UsageException($"--plot {plotPath}: the directory {directory} does not exist");
            }

            var bench = new QuickBench(parse.GetValue(quick), parse.GetValue(maxLive));
            var metadata = BenchMetadata.Current(bench.IsQuick, parse.GetValue(maxLive), TimeProvider.System);
            return Run(context, bench.Steps(), metadata, plotPath, parse.GetValue(json));
        });
        return command;
    }

    /// <summary>Runs <paramref name="steps"/> with a progress display that moves as each case is done, then prints or writes the results.</summary>
    internal static int Run(CliContext context, IReadOnlyList<BenchStep> steps, BenchMetadata metadata, string? plotPath, bool json)
    {
        var report = new BenchReport();
        if (json || !context.Console.Profile.Capabilities.Interactive)
        {
            // Without a terminal a progress bar cannot redraw: a line per step and per case on stderr, with the share done.
            var total = Math.Max(1, steps.Sum(s => s.Cases));
            var done = 0;
            for (var i = 0; i < steps.Count; i++)
            {
                context.Error.WriteLine($"opae bench: [{i + 1}/{steps.Count}] {steps[i].Name}");
                steps[i].Run(report, name =>
                {
                    done++;
                    context.Error.WriteLine($"opae bench: {100 * done / total,3}% {name}");
                });
            }
        }
        else
        {
            context.Console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(progress =>
                {
                    var tasks = steps.Select(s => (Task: progress.AddTask(Markup.Escape(s.Name), autoStart: false, maxValue: Math.Max(1, s.Cases)), Step: s)).ToList();
                    foreach (var (task, step) in tasks)
                    {
                        task.StartTask();
                        step.Run(report, _ => task.Increment(1));
                        task.Value = task.MaxValue;
                        task.StopTask();
                    }
                });
        }

        if (plotPath is not null)
        {
            try
            {
                BenchPlot.Save(report, plotPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot write the plot {plotPath}: {e.Message}");
            }
        }

        if (json)
        {
            CliApp.WriteJson(context, ToJson(report, metadata, plotPath));
        }
        else
        {
            Print(context, report, metadata, plotPath);
        }

        return ExitCodes.Success;
    }

    private static void Print(CliContext context, BenchReport report, BenchMetadata metadata, string? plotPath)
    {
        var table = new CliTable("Group", "Case", "OpaeSharp", "Floor", "Floor time", "Ratio", "Target");
        foreach (var row in report.Rows)
        {
            table.AddRow(
                row.Group,
                row.Detail is null ? row.Case : $"{row.Case} ({row.Detail})",
                Time(row.Nanoseconds),
                row.BaselineName,
                Time(row.BaselineNanoseconds),
                row.Ratio.ToString("0.00", CultureInfo.InvariantCulture),
                row.Met switch
                {
                    true => new CliCell($"met ({row.Target})", "green"),
                    false => new CliCell($"missed ({row.Target})", "red"),
                    null => "-",
                });
        }

        table.Write(context);
        foreach (var note in report.Notes)
        {
            context.WriteWrapped($"note: {note}", 0, 6);
        }

        context.WriteWrapped(
            $"{(metadata.Quick ? "Quick run (a smoke test, not a measurement)" : "Full run")}: stopwatch medians of 5 rounds on a private simulator, " +
            $"OpaeSharp {metadata.Version}{(metadata.Commit is { } commit ? $" ({commit[..Math.Min(12, commit.Length)]})" : "")} on {metadata.Host}, {metadata.Runtime}, {metadata.CpuCount} CPUs; " +
            "bench/OpaeSharp.Benchmarks measures the same pairs with BenchmarkDotNet.");
        if (plotPath is not null)
        {
            context.WriteWrapped($"plot written to {Path.GetFullPath(plotPath)}");
        }
    }

    private static string Time(double ns) => ns switch
    {
        >= 1e6 => $"{ns / 1e6:0.00} ms",
        >= 1e3 => $"{ns / 1e3:0.00} µs",
        _ => $"{ns:0.0} ns",
    };

    /// <summary>
    /// Every number as a JSON number with its unit (<c>{"value": 812.5, "unit": "ns"}</c>), the
    /// measured curves, and the run's <see cref="BenchMetadata"/>.
    /// </summary>
    private static JsonObject ToJson(BenchReport report, BenchMetadata metadata, string? plotPath)
    {
        var rows = new JsonArray();
        foreach (var r in report.Rows)
        {
            var row = new JsonObject
            {
                ["group"] = r.Group,
                ["case"] = r.Case,
                ["time"] = Quantity(r.Nanoseconds, "ns"),
                ["baseline"] = r.BaselineName,
                ["baselineTime"] = Quantity(r.BaselineNanoseconds, "ns"),
                ["ratio"] = Quantity(r.Ratio, "ratio"),
                ["target"] = r.Target,
                ["met"] = r.Met,
            };
            foreach (var quantity in r.Quantities)
            {
                row[quantity.Name] = Quantity(quantity.Value, quantity.Unit);
            }

            rows.Add((JsonNode)row);
        }

        return new JsonObject
        {
            ["metadata"] = metadata.ToJson(),
            ["rows"] = rows,
            ["lookupLatency"] = new JsonArray([.. report.Latency.Select(p => (JsonNode?)new JsonObject
            {
                ["liveBuffers"] = Quantity(p.LiveBuffers, "buffers"),
                ["getIoAddress"] = Quantity(p.LookupNs, "ns"),
                ["dictionary"] = Quantity(p.DictionaryNs, "ns"),
            })]),
            ["copyThroughput"] = new JsonArray([.. report.Throughput.Select(p => (JsonNode?)new JsonObject
            {
                ["size"] = Quantity(p.Bytes, "bytes"),
                ["nlb0"] = Quantity(p.Nlb0GBps, "GB/s"),
                ["memcpy"] = Quantity(p.MemcpyGBps, "GB/s"),
            })]),
            ["notes"] = new JsonArray([.. report.Notes.Select(n => (JsonNode?)n)]),
            ["plot"] = plotPath is null ? null : Path.GetFullPath(plotPath),
        };
    }

    // JSON has no NaN or infinity: a value that is not finite (a floor of 0 ns) is null.
    private static JsonObject Quantity(double value, string unit) => new()
    {
        ["value"] = double.IsFinite(value) ? Significant(value) : null,
        ["unit"] = unit,
    };

    // Four significant digits are finer than a stopwatch median's noise; whole numbers (counts, sizes) stay exact.
    private static double Significant(double value) =>
        value == Math.Round(value) ? value : Math.Round(value, Math.Clamp(3 - (int)Math.Floor(Math.Log10(Math.Abs(value))), 0, 15));
}
