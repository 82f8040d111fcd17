using System.Globalization;
using System.Text;
using System.Xml;

namespace OpaeSharp.Cli.Bench;

/// <summary>One line of a <see cref="LinePanel"/>: a value per x position.</summary>
/// <param name="Label">The legend text.</param>
/// <param name="Values">One y value per x position of the panel.</param>
/// <param name="Color">An SVG colour ("#1f77b4").</param>
internal sealed record LineSeries(string Label, IReadOnlyList<double> Values, string Color);

/// <summary>A horizontal reference line (a target), dashed.</summary>
internal sealed record ReferenceLine(string Label, double Value, string Color);

/// <summary>
/// A line chart whose x positions are given (for us the log10 of the measured sizes, ticked and
/// labelled at each measured point) and whose y axis starts at zero.
/// </summary>
internal sealed class LinePanel
{
    public required string Title { get; init; }

    public required string XLabel { get; init; }

    public required string YLabel { get; init; }

    /// <summary>Where the points sit on the x axis, in any unit; ticks are drawn at each.</summary>
    public required IReadOnlyList<double> X { get; init; }

    /// <summary>The label under each x tick.</summary>
    public required IReadOnlyList<string> XTickLabels { get; init; }

    public required IReadOnlyList<LineSeries> Series { get; init; }

    public IReadOnlyList<ReferenceLine> References { get; init; } = [];

    /// <summary>The top of the y axis; it is rounded up to the next tick.</summary>
    public required double YMax { get; init; }

    /// <summary>Legend in the upper left corner instead of the upper right.</summary>
    public bool LegendLeft { get; init; }
}

/// <summary>
/// Writes <see cref="LinePanel"/>s side by side as one self-contained SVG document: no fonts,
/// images or scripts to fetch, so it opens in any browser and renders in Markdown previews.
/// </summary>
internal static class SvgChart
{
    // Matplotlib's first two category colours, as the plot always used.
    internal const string Blue = "#1f77b4";
    internal const string Orange = "#ff7f0e";
    internal const string Gray = "#7f7f7f";

    private const double PanelWidth = 700, Height = 560;
    private const double Left = 80, Right = 30, Top = 50, Bottom = 70;
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    internal static void Save(string path, IReadOnlyList<LinePanel> panels)
    {
        using var stream = File.Create(path);
        Write(stream, panels);
    }

    internal static void Write(Stream stream, IReadOnlyList<LinePanel> panels)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
        using var svg = XmlWriter.Create(stream, settings);
        var width = PanelWidth * panels.Count;
        svg.WriteStartElement("svg", "http://www.w3.org/2000/svg");
        svg.WriteAttributeString("width", N(width));
        svg.WriteAttributeString("height", N(Height));
        svg.WriteAttributeString("viewBox", $"0 0 {N(width)} {N(Height)}");
        svg.WriteAttributeString("font-family", "DejaVu Sans, Arial, Helvetica, sans-serif");
        svg.WriteAttributeString("font-size", "14");
        Element(svg, "rect", ("width", "100%"), ("height", "100%"), ("fill", "white"));
        for (var i = 0; i < panels.Count; i++)
        {
            svg.WriteStartElement("g");
            svg.WriteAttributeString("class", "panel");
            svg.WriteAttributeString("transform", $"translate({N(i * PanelWidth)},0)");
            WritePanel(svg, panels[i]);
            svg.WriteEndElement();
        }

        svg.WriteEndElement();
    }

    private static void WritePanel(XmlWriter svg, LinePanel panel)
    {
        var plotWidth = PanelWidth - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var (yStep, yTop) = Ticks(panel.YMax);
        var (xMin, xMax) = panel.X.Count == 0 ? (0.0, 1.0) : (panel.X.Min(), panel.X.Max());
        var xPad = xMax > xMin ? (xMax - xMin) * 0.05 : 0.5;
        (xMin, xMax) = (xMin - xPad, xMax + xPad);
        double Px(double x) => Left + ((x - xMin) / (xMax - xMin) * plotWidth);
        double Py(double y) => Top + plotHeight - (Math.Clamp(y, 0, yTop) / yTop * plotHeight);

        Text(svg, panel.Title, PanelWidth / 2, 30, anchor: "middle", size: 18, weight: "bold");
        Text(svg, panel.XLabel, Left + (plotWidth / 2), Height - 20, anchor: "middle");
        svg.WriteStartElement("text");
        svg.WriteAttributeString("transform", $"translate(22,{N(Top + (plotHeight / 2))}) rotate(-90)");
        svg.WriteAttributeString("text-anchor", "middle");
        svg.WriteString(panel.YLabel);
        svg.WriteEndElement();

        // Grid and ticks.
        for (var y = 0.0; y <= yTop + (yStep / 2); y += yStep)
        {
            Element(svg, "line", ("x1", N(Left)), ("x2", N(Left + plotWidth)), ("y1", N(Py(y))), ("y2", N(Py(y))), ("stroke", "#e5e5e5"));
            Text(svg, Number(y, yStep), Left - 8, Py(y) + 5, anchor: "end");
        }

        for (var i = 0; i < panel.X.Count; i++)
        {
            Element(svg, "line", ("x1", N(Px(panel.X[i]))), ("x2", N(Px(panel.X[i]))), ("y1", N(Top)), ("y2", N(Top + plotHeight)), ("stroke", "#e5e5e5"));
            Text(svg, panel.XTickLabels[i], Px(panel.X[i]), Top + plotHeight + 20, anchor: "middle");
        }

        Element(svg, "rect", ("x", N(Left)), ("y", N(Top)), ("width", N(plotWidth)), ("height", N(plotHeight)), ("fill", "none"), ("stroke", "#333333"));

        foreach (var reference in panel.References)
        {
            Element(svg, "line", ("class", "reference"), ("x1", N(Left)), ("x2", N(Left + plotWidth)), ("y1", N(Py(reference.Value))), ("y2", N(Py(reference.Value))),
                ("stroke", reference.Color), ("stroke-width", "1.5"), ("stroke-dasharray", "6 4"));
        }

        foreach (var series in panel.Series)
        {
            var points = string.Join(" ", series.Values.Take(panel.X.Count).Select((v, i) => $"{N(Px(panel.X[i]))},{N(Py(v))}"));
            svg.WriteStartElement("g");
            svg.WriteAttributeString("class", "series");
            svg.WriteStartElement("title");
            svg.WriteString(series.Label);
            svg.WriteEndElement();
            Element(svg, "polyline", ("points", points), ("fill", "none"), ("stroke", series.Color), ("stroke-width", "2"));
            for (var i = 0; i < Math.Min(series.Values.Count, panel.X.Count); i++)
            {
                Element(svg, "circle", ("cx", N(Px(panel.X[i]))), ("cy", N(Py(series.Values[i]))), ("r", "4"), ("fill", series.Color));
            }

            svg.WriteEndElement();
        }

        // Legend: one row per series, then per reference line.
        var entries = panel.Series.Select(s => (s.Label, s.Color, Dashed: false))
            .Concat(panel.References.Select(r => (r.Label, r.Color, Dashed: true))).ToList();
        var legendWidth = 40 + (entries.Select(e => e.Label.Length).DefaultIfEmpty(0).Max() * 8);
        var legendX = panel.LegendLeft ? Left + 10 : Left + plotWidth - legendWidth - 10;
        var legendY = Top + 10;
        Element(svg, "rect", ("x", N(legendX)), ("y", N(legendY)), ("width", N(legendWidth)), ("height", N(10 + (entries.Count * 22))),
            ("fill", "white"), ("fill-opacity", "0.9"), ("stroke", "#cccccc"));
        for (var i = 0; i < entries.Count; i++)
        {
            var y = legendY + 16 + (i * 22);
            Element(svg, "line", ("x1", N(legendX + 8)), ("x2", N(legendX + 32)), ("y1", N(y)), ("y2", N(y)), ("stroke", entries[i].Color), ("stroke-width", "2"),
                ("stroke-dasharray", entries[i].Dashed ? "6 4" : "none"));
            Text(svg, entries[i].Label, legendX + 38, y + 5);
        }
    }

    /// <summary>A tick step of 1, 2 or 5 × 10^k giving about five ticks, and the top tick at or above <paramref name="max"/>.</summary>
    internal static (double Step, double Top) Ticks(double max)
    {
        if (!(max > 0) || double.IsInfinity(max))
        {
            max = 1;
        }

        var rough = max / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = (rough / magnitude) switch
        {
            <= 1 => magnitude,
            <= 2 => 2 * magnitude,
            <= 5 => 5 * magnitude,
            _ => 10 * magnitude,
        };
        return (step, Math.Ceiling((max / step) - 1e-9) * step);
    }

    private static string Number(double value, double step) =>
        value.ToString(step >= 1 ? "0" : step >= 0.1 ? "0.0" : "0.00", s_invariant);

    private static string N(double value) => Math.Round(value, 2).ToString("0.##", s_invariant);

    private static void Text(XmlWriter svg, string text, double x, double y, string anchor = "start", int size = 14, string? weight = null)
    {
        svg.WriteStartElement("text");
        svg.WriteAttributeString("x", N(x));
        svg.WriteAttributeString("y", N(y));
        svg.WriteAttributeString("text-anchor", anchor);
        if (size != 14)
        {
            svg.WriteAttributeString("font-size", size.ToString(s_invariant));
        }

        if (weight is not null)
        {
            svg.WriteAttributeString("font-weight", weight);
        }

        svg.WriteString(text);
        svg.WriteEndElement();
    }

    private static void Element(XmlWriter svg, string name, params ReadOnlySpan<(string Name, string Value)> attributes)
    {
        svg.WriteStartElement(name);
        foreach (var (attribute, value) in attributes)
        {
            svg.WriteAttributeString(attribute, value);
        }

        svg.WriteEndElement();
    }
}
