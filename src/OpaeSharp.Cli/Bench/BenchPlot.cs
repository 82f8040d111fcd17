using System.Globalization;

namespace OpaeSharp.Cli.Bench;

/// <summary>
/// Draws the two curves of a bench run side by side as an SVG: IO address lookup latency against
/// live buffers, and copy throughput against size. Both x axes are logarithmic, ticked at the
/// measured points.
/// </summary>
internal static class BenchPlot
{
    /// <summary>The lookup target the latency panel marks, in ns.</summary>
    internal const double LookupTargetNs = 30;

    internal static void Save(BenchReport report, string path) => SvgChart.Save(path, Panels(report));

    internal static IReadOnlyList<LinePanel> Panels(BenchReport report)
    {
        var latencyMax = report.Latency.Select(p => Math.Max(p.LookupNs, p.DictionaryNs)).DefaultIfEmpty(0).Max();
        var latency = new LinePanel
        {
            Title = "IO address lookup latency",
            XLabel = "live buffers",
            YLabel = "ns per lookup",
            X = [.. report.Latency.Select(p => Math.Log10(p.LiveBuffers))],
            XTickLabels = [.. report.Latency.Select(p => p.LiveBuffers.ToString("N0", CultureInfo.InvariantCulture))],
            Series =
            [
                new LineSeries("GetIoAddress", [.. report.Latency.Select(p => p.LookupNs)], SvgChart.Blue),
                new LineSeries("Dictionary (floor)", [.. report.Latency.Select(p => p.DictionaryNs)], SvgChart.Orange),
            ],
            References = [new ReferenceLine($"target {LookupTargetNs:0} ns", LookupTargetNs, SvgChart.Gray)],
            YMax = Math.Max(40, latencyMax * 1.15),
            LegendLeft = true,
        };

        var throughput = new LinePanel
        {
            Title = "Copy throughput",
            XLabel = "bytes copied",
            YLabel = "GB/s",
            X = [.. report.Throughput.Select(p => Math.Log10(p.Bytes))],
            XTickLabels = [.. report.Throughput.Select(p => CliApp.Bytes(p.Bytes))],
            Series =
            [
                new LineSeries("simulated NLB0 copy", [.. report.Throughput.Select(p => p.Nlb0GBps)], SvgChart.Blue),
                new LineSeries("memcpy (floor)", [.. report.Throughput.Select(p => p.MemcpyGBps)], SvgChart.Orange),
            ],
            YMax = report.Throughput.Select(p => Math.Max(p.Nlb0GBps, p.MemcpyGBps)).DefaultIfEmpty(1).Max() * 1.2,
        };

        return [latency, throughput];
    }
}
