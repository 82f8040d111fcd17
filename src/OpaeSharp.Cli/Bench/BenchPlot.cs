using ScottPlot;

namespace OpaeSharp.Cli.Bench;

/// <summary>
/// Draws the two curves of a bench run side by side: IO address lookup latency against live
/// buffers, and copy throughput against size. Both x axes are logarithmic, ticked at the measured points.
/// </summary>
internal static class BenchPlot
{
    internal static void Save(BenchReport report, string path)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();

        var latency = multiplot.GetPlot(0);
        var live = report.Latency.Select(p => Math.Log10(p.LiveBuffers)).ToArray();
        AddLine(latency, live, [.. report.Latency.Select(p => p.LookupNs)], "GetIoAddress", Colors.C0);
        AddLine(latency, live, [.. report.Latency.Select(p => p.DictionaryNs)], "Dictionary (floor)", Colors.C1);
        var target = latency.Add.HorizontalLine(30, color: Colors.Gray, pattern: LinePattern.Dashed);
        target.LegendText = "target 30 ns";
        latency.Title("IO address lookup latency");
        latency.XLabel("live buffers");
        latency.YLabel("ns per lookup");
        latency.Axes.Bottom.SetTicks(live, [.. report.Latency.Select(p => p.LiveBuffers.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))]);
        latency.Axes.SetLimitsY(0, Math.Max(40, report.Latency.Select(p => Math.Max(p.LookupNs, p.DictionaryNs)).DefaultIfEmpty(0).Max() * 1.15));
        latency.ShowLegend(Alignment.UpperLeft);

        var throughput = multiplot.GetPlot(1);
        var sizes = report.Throughput.Select(p => Math.Log10(p.Bytes)).ToArray();
        AddLine(throughput, sizes, [.. report.Throughput.Select(p => p.Nlb0GBps)], "simulated NLB0 copy", Colors.C0);
        AddLine(throughput, sizes, [.. report.Throughput.Select(p => p.MemcpyGBps)], "memcpy (floor)", Colors.C1);
        throughput.Title("Copy throughput");
        throughput.XLabel("bytes copied");
        throughput.YLabel("GB/s");
        throughput.Axes.Bottom.SetTicks(sizes, [.. report.Throughput.Select(p => CliApp.Bytes(p.Bytes))]);
        throughput.Axes.SetLimitsY(0, report.Throughput.Select(p => Math.Max(p.Nlb0GBps, p.MemcpyGBps)).DefaultIfEmpty(1).Max() * 1.2);
        throughput.ShowLegend(Alignment.UpperRight);

        multiplot.SavePng(path, 1400, 560);
    }

    private static void AddLine(Plot plot, double[] xs, double[] ys, string label, Color color)
    {
        var line = plot.Add.Scatter(xs, ys, color);
        line.LegendText = label;
        line.LineWidth = 2;
        line.MarkerSize = 8;
    }
}
