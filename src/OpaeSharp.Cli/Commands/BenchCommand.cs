using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using OpaeSharp.Cli.Bench;
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
        var maxLive = new Option<int>("--max-live") { Description = "Largest live-buffer count for the lookup curve (100000 takes about a minute)", DefaultValueFactory = _ => 10_000 };
        var quick = new Option<bool>("--quick") { Description = "Twentieth of the iterations: a smoke test, not a measurement" };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON instead of a table" };
        maxLive.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 10 or > 100_000)
            {
                r.AddError("--max-live must be between 10 and 100000");
            }
        });
        var command = new Command("bench", "Measure prepare/release, IO address lookups, NLB0 copies and the pool against their floors (simulator)")
        {
            plot, noPlot, maxLive, quick, json,
        };
        command.SetAction(parse =>
        {
            if (CliApp.Backend(parse, backendOption) is { } backend && backend != BackendKind.Simulated && backend != BackendKind.Auto)
            {
                context.Error.WriteLine("opae: bench measures the library on the simulator; --backend dfl/vfio is not supported");
                return ExitCodes.Usage;
            }

            return Run(context, parse.GetValue(quick), parse.GetValue(maxLive), parse.GetValue(noPlot) ? null : parse.GetValue(plot), parse.GetValue(json));
        });
        return command;
    }

    internal static int Run(CliContext context, bool quick, int maxLive, string? plotPath, bool json)
    {
        var bench = new QuickBench(quick, maxLive);
        var report = new BenchReport();
        var steps = bench.Steps();
        if (json || !context.Console.Profile.Capabilities.Interactive)
        {
            // Without a terminal a progress bar cannot redraw: say what runs, one line per step, on stderr.
            for (var i = 0; i < steps.Count; i++)
            {
                context.Error.WriteLine($"opae bench: [{i + 1}/{steps.Count}] {steps[i].Name}");
                steps[i].Run(report);
            }
        }
        else
        {
            context.Console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn())
                .Start(progress =>
                {
                    var tasks = steps.Select(s => (Task: progress.AddTask(Markup.Escape(s.Name), autoStart: false, maxValue: 1), s.Run)).ToList();
                    foreach (var (task, run) in tasks)
                    {
                        task.StartTask();
                        run(report);
                        task.Increment(1);
                        task.StopTask();
                    }
                });
        }

        if (plotPath is not null)
        {
            BenchPlot.Save(report, plotPath);
        }

        if (json)
        {
            CliApp.WriteJson(context, ToJson(report, plotPath));
        }
        else
        {
            Print(context.Console, report, plotPath);
        }

        return ExitCodes.Success;
    }

    private static void Print(IAnsiConsole console, BenchReport report, string? plotPath)
    {
        var table = new Table()
            .AddColumn("Group")
            .AddColumn("Case")
            .AddColumn(new TableColumn("OpaeSharp").RightAligned())
            .AddColumn("Floor")
            .AddColumn(new TableColumn("Floor time").RightAligned())
            .AddColumn(new TableColumn("Ratio").RightAligned())
            .AddColumn("Target");
        foreach (var row in report.Rows)
        {
            table.AddRow(
                Markup.Escape(row.Group),
                Markup.Escape(row.Case),
                Markup.Escape(Time(row.Nanoseconds)),
                Markup.Escape(row.BaselineName),
                Markup.Escape(Time(row.BaselineNanoseconds)),
                row.Ratio.ToString("0.00", CultureInfo.InvariantCulture),
                row.Met switch
                {
                    true => $"[green]met[/] ({Markup.Escape(row.Target!)})",
                    false => $"[red]missed[/] ({Markup.Escape(row.Target!)})",
                    null => "-",
                });
        }

        console.Write(table);
        foreach (var note in report.Notes)
        {
            console.MarkupLineInterpolated($"[grey]note: {note}[/]");
        }

        console.MarkupLine("[grey]Stopwatch medians of 5 rounds on a private simulator; bench/OpaeSharp.Benchmarks measures the same pairs with BenchmarkDotNet.[/]");
        if (plotPath is not null)
        {
            console.MarkupLineInterpolated($"plot written to {Path.GetFullPath(plotPath)}");
        }
    }

    private static string Time(double ns) => ns switch
    {
        >= 1e6 => $"{ns / 1e6:0.00} ms",
        >= 1e3 => $"{ns / 1e3:0.00} µs",
        _ => $"{ns:0.0} ns",
    };

    private static JsonObject ToJson(BenchReport report, string? plotPath) => new()
    {
        ["rows"] = new JsonArray([.. report.Rows.Select(r => (JsonNode?)new JsonObject
        {
            ["group"] = r.Group,
            ["case"] = r.Case,
            ["ns"] = Math.Round(r.Nanoseconds, 2),
            ["baseline"] = r.BaselineName,
            ["baselineNs"] = Math.Round(r.BaselineNanoseconds, 2),
            ["ratio"] = Math.Round(r.Ratio, 3),
            ["target"] = r.Target,
            ["met"] = r.Met,
        })]),
        ["notes"] = new JsonArray([.. report.Notes.Select(n => (JsonNode?)n)]),
        ["plot"] = plotPath is null ? null : Path.GetFullPath(plotPath),
    };
}
