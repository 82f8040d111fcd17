using System.Globalization;
using System.Xml.Linq;
using OpaeSharp.Cli.Bench;

namespace OpaeSharp.Tests.Cli;

public sealed class BenchPlotTests
{
    private static readonly XNamespace s_svg = "http://www.w3.org/2000/svg";

    private static BenchReport Report()
    {
        var report = new BenchReport();
        report.Latency.AddRange([(100, 3.0, 2.5), (1_000, 5.0, 4.0), (10_000, 9.0, 6.0)]);
        report.Throughput.AddRange([(64L << 10, 4.0, 30.0), (1L << 20, 12.0, 20.0), (64L << 20, 4.0, 4.5)]);
        return report;
    }

    private static XElement Render(BenchReport report)
    {
        using var stream = new MemoryStream();
        SvgChart.Write(stream, BenchPlot.Panels(report));
        stream.Position = 0;
        return XDocument.Load(stream).Root!;
    }

    private static List<(double X, double Y)> Points(XElement series) =>
    [
        .. series.Element(s_svg + "polyline")!.Attribute("points")!.Value.Split(' ')
            .Select(p => p.Split(','))
            .Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture))),
    ];

    [Fact]
    public void Plot_is_an_svg_with_two_panels_of_two_labelled_series()
    {
        var svg = Render(Report());

        Assert.Equal(s_svg + "svg", svg.Name);
        var panels = svg.Elements(s_svg + "g").ToList();
        Assert.Equal(2, panels.Count);
        Assert.Equal(
            ["GetIoAddress", "Dictionary (floor)", "simulated NLB0 copy", "memcpy (floor)"],
            svg.Descendants(s_svg + "g").Where(g => (string?)g.Attribute("class") == "series").Select(g => g.Element(s_svg + "title")!.Value));
        var texts = svg.Descendants(s_svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("IO address lookup latency", texts);
        Assert.Contains("10,000", texts);
        Assert.Contains("64 MiB", texts);
        Assert.Contains("target 30 ns", texts);
    }

    [Fact]
    public void Points_follow_the_data_left_to_right_and_higher_values_higher()
    {
        var svg = Render(Report());
        var series = svg.Descendants(s_svg + "g").Where(g => (string?)g.Attribute("class") == "series").ToList();

        var lookup = Points(series[0]);
        Assert.Equal(3, lookup.Count);
        Assert.True(lookup[0].X < lookup[1].X && lookup[1].X < lookup[2].X);
        // SVG's y grows downwards: 9 ns sits above 5 ns, which sits above 3 ns.
        Assert.True(lookup[2].Y < lookup[1].Y && lookup[1].Y < lookup[0].Y);
        // Log-scaled x: 100 → 1,000 → 10,000 are evenly spaced.
        Assert.Equal(lookup[1].X - lookup[0].X, lookup[2].X - lookup[1].X, 0.05);

        var nlb0 = Points(series[2]);
        Assert.True(nlb0[1].Y < nlb0[0].Y);
        Assert.Equal(nlb0[0].Y, nlb0[2].Y, 0.01);
    }

    [Fact]
    public void The_target_line_sits_at_30_ns_on_the_latency_axis()
    {
        var svg = Render(Report());
        var panel = svg.Elements(s_svg + "g").First();
        var target = panel.Elements(s_svg + "line").Single(l => (string?)l.Attribute("class") == "reference");
        var zero = panel.Elements(s_svg + "text").Single(t => t.Value == "0");
        var ten = panel.Elements(s_svg + "text").Single(t => t.Value == "10");

        double Y(XElement e, string name) => double.Parse(e.Attribute(name)!.Value, CultureInfo.InvariantCulture);
        var perTen = Y(zero, "y") - Y(ten, "y");
        Assert.Equal(Y(zero, "y") - (3 * perTen), Y(target, "y1") + 5, 0.1);
    }

    [Fact]
    public void An_empty_report_still_writes_a_valid_plot()
    {
        var svg = Render(new BenchReport());

        Assert.Equal(2, svg.Elements(s_svg + "g").Count());
        Assert.All(svg.Descendants(s_svg + "polyline"), p => Assert.Equal("", p.Attribute("points")!.Value));
    }

    [Theory]
    [InlineData(40, 10, 40)]
    [InlineData(41, 10, 50)]
    [InlineData(7.3, 2, 8)]
    [InlineData(0.9, 0.2, 1)]
    [InlineData(0, 0.2, 1)]
    public void Y_ticks_are_1_2_5_steps_up_to_the_next_tick(double max, double step, double top)
    {
        var (s, t) = SvgChart.Ticks(max);

        Assert.Equal(step, s, 1e-9);
        Assert.Equal(top, t, 1e-9);
    }
}
