using System.Globalization;
using System.Text.RegularExpressions;
using OpaeSharp.Cli;
using OpaeSharp.Cli.Bench;
using OpaeSharp.Cli.Commands;

namespace OpaeSharp.Tests.Cli.Bench;

public sealed partial class BenchProgressTests
{
    [GeneratedRegex(@"^opae bench: +(\d+)% ")]
    private static partial Regex PercentLine();

    private static BenchStep FakeStep(string name, int cases) =>
        new(name, cases, (report, done) =>
        {
            for (var i = 0; i < cases; i++)
            {
                done($"{name} case {i}");
            }
        });

    [Fact]
    public void A_quick_bench_step_reports_each_case_as_soon_as_it_is_measured()
    {
        var step = new QuickBench(quick: true, maxLiveBuffers: 10).Steps().Single(s => s.Name.StartsWith("pool", StringComparison.Ordinal));
        var report = new BenchReport();
        var rowsWhenReported = new List<int>();

        step.Run(report, _ => rowsWhenReported.Add(report.Rows.Count));

        // Each report comes right after its row, not all of them at the end.
        Assert.Equal(Enumerable.Range(1, step.Cases), rowsWhenReported);
    }

    [Fact]
    public void Every_quick_bench_step_reports_as_many_cases_as_it_announces_even_when_it_skips_some()
    {
        var step = new QuickBench(quick: true, maxLiveBuffers: 10).Steps().Single(s => s.Name.StartsWith("GetIoAddress", StringComparison.Ordinal));
        var reported = new List<string>();

        step.Run(new BenchReport(), reported.Add);

        Assert.Equal(step.Cases, reported.Count);
        Assert.Contains(reported, r => r.EndsWith("(skipped)", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_terminal_progress_moves_case_by_case_within_each_step()
    {
        var error = new StringWriter();
        var context = new CliContext(new StringWriter(), error, interactive: false);
        var metadata = BenchMetadata.Current(quick: true, 10, TimeProvider.System);

        BenchCommand.Run(context, [FakeStep("first", 4), FakeStep("second", 4), FakeStep("third", 2)], metadata, plotPath: null, json: true);

        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var percentages = lines.Select(l => PercentLine().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], percentages);
        // Between the first step's line and the second's, the first step's four cases.
        var first = Array.FindIndex(lines, l => l.Contains("[1/3] first", StringComparison.Ordinal));
        var second = Array.FindIndex(lines, l => l.Contains("[2/3] second", StringComparison.Ordinal));
        Assert.Equal(4, second - first - 1);
    }
}
