using System.Globalization;
using OpaeSharp.Interop;

namespace OpaeSharp.Objects;

/// <summary>One metric a device offers: where it is read and how its raw value scales.</summary>
internal sealed record MetricSource(int Index, string Group, string Name, string Units, MetricKind Kind, string Path, double Scale, bool IsInteger)
{
    /// <summary>The thresholds beside a hwmon input (<c>_max</c>, <c>_crit</c>, <c>_emergency</c>, <c>_min</c>, <c>_lcrit</c>), scaled; missing ones null.</summary>
    internal IReadOnlyDictionary<string, double> Thresholds(ISysfs sysfs)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (!Path.EndsWith("_input", StringComparison.Ordinal))
        {
            return result;
        }

        var stem = Path[..^"_input".Length];
        foreach (var suffix in new[] { "max", "crit", "emergency", "min", "lcrit", "lemergency" })
        {
            if (sysfs.ReadAttribute($"{stem}_{suffix}") is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var raw))
            {
                result[suffix] = raw * Scale;
            }
        }

        return result;
    }

    internal double? Read(ISysfs sysfs) =>
        sysfs.ReadAttribute(Path) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var raw) ? raw * Scale : null;
}

/// <summary>
/// The power, thermal and performance metrics of an FPGA device, from its sysfs view: the hwmon
/// sensors the DFL FME driver registers (<c>hwmon/hwmon*/temp*_input</c> in m°C,
/// <c>power*_input</c> in µW) and the fabric performance counters of a <c>*perf/fabric</c> group.
/// </summary>
internal static class MetricCatalog
{
    internal static IReadOnlyList<MetricSource> Of(ISysfs sysfs, string devicePath)
    {
        var list = new List<MetricSource>();
        foreach (var hwmon in sysfs.List($"{devicePath}/hwmon", "hwmon*"))
        {
            var directory = $"{devicePath}/hwmon/{hwmon}";
            foreach (var input in sysfs.List(directory, "temp*_input"))
            {
                var stem = input[..^"_input".Length];
                list.Add(new MetricSource(list.Count, "thermal_mgmt", sysfs.ReadAttribute($"{directory}/{stem}_label") ?? stem, "Celsius", MetricKind.Thermal, $"{directory}/{input}", 0.001, false));
            }

            foreach (var input in sysfs.List(directory, "power*_input"))
            {
                var stem = input[..^"_input".Length];
                list.Add(new MetricSource(list.Count, "power_mgmt", sysfs.ReadAttribute($"{directory}/{stem}_label") ?? stem, "Watts", MetricKind.Power, $"{directory}/{input}", 0.000001, false));
            }
        }

        foreach (var perf in sysfs.List(devicePath, "*perf"))
        {
            var fabric = $"{devicePath}/{perf}/fabric";
            foreach (var counter in sysfs.List(fabric))
            {
                if (counter is "freeze" or "enable" || sysfs.IsDirectory($"{fabric}/{counter}"))
                {
                    continue;
                }

                list.Add(new MetricSource(list.Count, "performance", $"fabric:{counter}", "count", MetricKind.PerformanceCounter, $"{fabric}/{counter}", 1, true));
            }
        }

        return list;
    }
}
