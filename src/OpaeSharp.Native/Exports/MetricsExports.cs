using System.Runtime.InteropServices;
using System.Text;
using OpaeSharp.Objects;

namespace OpaeSharp.Native.Exports;

/// <summary>
/// <c>opae/metrics.h</c>: an FPGA device's power, thermal and performance metrics
/// (<see cref="MetricCatalog"/>). A handle on an accelerator, or on a device whose backend exposes
/// no sensors (vfio-pci), answers NOT_SUPPORTED with a log line saying why.
/// </summary>
internal static unsafe class MetricsExports
{
    private const int StringSize = 256;

    [UnmanagedCallersOnly(EntryPoint = "fpgaGetNumMetrics")]
    internal static FpgaResult GetNumMetrics(nint handle, ulong* count)
    {
        const string Function = "fpgaGetNumMetrics";
        try
        {
            if (Catalog(Function, handle, out var sources, out _) is { } refused)
            {
                return refused;
            }

            if (count == null)
            {
                return Abi.Invalid(Function, "num_metrics is NULL");
            }

            *count = (ulong)sources!.Count;
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaGetMetricsInfo")]
    internal static FpgaResult GetMetricsInfo(nint handle, FpgaMetricInfo* info, ulong* count)
    {
        const string Function = "fpgaGetMetricsInfo";
        try
        {
            if (Catalog(Function, handle, out var sources, out _) is { } refused)
            {
                return refused;
            }

            if (info == null || count == null)
            {
                return Abi.Invalid(Function, "metric_info or num_metrics is NULL");
            }

            var n = (int)Math.Min(*count, (ulong)sources!.Count);
            for (var i = 0; i < n; i++)
            {
                var source = sources[i];
                var entry = &info[i];
                *entry = default;
                entry->MetricNum = (ulong)source.Index;
                Copy(source.Group, entry->QualifierName);
                Copy(source.Group, entry->GroupName);
                Copy(source.Name, entry->MetricName);
                Copy(source.Units, entry->MetricUnits);
                entry->MetricDataType = source.IsInteger ? 0 : 2; // FPGA_METRIC_DATATYPE_INT / _DOUBLE
                entry->MetricType = (int)source.Kind;
            }

            *count = (ulong)n;
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaGetMetricsByIndex")]
    internal static FpgaResult GetMetricsByIndex(nint handle, ulong* indexes, ulong count, FpgaMetricValue* metrics)
    {
        const string Function = "fpgaGetMetricsByIndex";
        try
        {
            if (Catalog(Function, handle, out var sources, out var accelerator) is { } refused)
            {
                return refused;
            }

            if (indexes == null || metrics == null)
            {
                return Abi.Invalid(Function, "metric_num or metrics is NULL");
            }

            for (ulong i = 0; i < count; i++)
            {
                if (indexes[i] >= (ulong)sources!.Count)
                {
                    return Abi.Invalid(Function, $"metric {indexes[i]} is past the {sources.Count} metrics of {accelerator!.Token.Name}");
                }

                Fill(&metrics[i], sources[(int)indexes[i]], accelerator!);
            }

            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaGetMetricsByName")]
    internal static FpgaResult GetMetricsByName(nint handle, byte** names, ulong count, FpgaMetricValue* metrics)
    {
        const string Function = "fpgaGetMetricsByName";
        try
        {
            if (Catalog(Function, handle, out var sources, out var accelerator) is { } refused)
            {
                return refused;
            }

            if (names == null || metrics == null)
            {
                return Abi.Invalid(Function, "metrics_names or metrics is NULL");
            }

            for (ulong i = 0; i < count; i++)
            {
                var name = names[i] == null ? "" : NativeStrings.Read(names[i]);

                // "group:name" as OPAE spells a qualified metric, or the name alone.
                var found = sources!.FirstOrDefault(s =>
                    string.Equals($"{s.Group}:{s.Name}", name, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
                if (found is null)
                {
                    return Abi.Invalid(Function, $"{accelerator!.Token.Name} has no metric '{name}'");
                }

                Fill(&metrics[i], found, accelerator!);
            }

            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaGetMetricsThresholdInfo")]
    internal static FpgaResult GetMetricsThresholdInfo(nint handle, FpgaMetricThreshold* thresholds, uint* count)
    {
        const string Function = "fpgaGetMetricsThresholdInfo";
        try
        {
            if (Catalog(Function, handle, out var sources, out var accelerator) is { } refused)
            {
                return refused;
            }

            if (count == null)
            {
                return Abi.Invalid(Function, "num_thresholds is NULL");
            }

            var sensors = sources!.Where(s => s.Kind is MetricKind.Power or MetricKind.Thermal).ToList();
            if (thresholds == null)
            {
                *count = (uint)sensors.Count;
                return FpgaResult.Ok;
            }

            var n = (int)Math.Min(*count, (uint)sensors.Count);
            var sysfs = accelerator!.Token.Sysfs!;
            for (var i = 0; i < n; i++)
            {
                var entry = &thresholds[i];
                *entry = default;
                Copy(sensors[i].Name, entry->MetricName);
                var values = sensors[i].Thresholds(sysfs);
                Threshold(&entry->UpperNonRecoverable, "Upper Non-Recoverable", values, "emergency");
                Threshold(&entry->UpperCritical, "Upper Critical", values, "crit");
                Threshold(&entry->UpperNonCritical, "Upper Non-Critical", values, "max");
                Threshold(&entry->LowerNonRecoverable, "Lower Non-Recoverable", values, "lemergency");
                Threshold(&entry->LowerCritical, "Lower Critical", values, "lcrit");
                Threshold(&entry->LowerNonCritical, "Lower Non-Critical", values, "min");
            }

            *count = (uint)n;
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    private static FpgaResult? Catalog(string function, nint handle, out IReadOnlyList<MetricSource>? sources, out Accelerator? accelerator)
    {
        sources = null;
        if (!Abi.TryGetHandle(handle, out accelerator))
        {
            return Abi.BadHandle(function, handle);
        }

        var token = accelerator.Token;
        if (token.ObjectType != FpgaObjectType.Device)
        {
            // OPAE's DFL plugin looks for metrics an AFU defines itself and, finding none, says NOT_FOUND.
            return Abi.Refuse(function, FpgaResult.NotFound, $"{token.Name} is an accelerator with no metrics of its own; power, thermal and performance metrics belong to its FPGA device (this library reads no AFU-defined metrics)");
        }

        if (token.Sysfs is not { } sysfs || token.SysfsPath is not { } path)
        {
            return Abi.Refuse(function, FpgaResult.NotSupported, $"{token.Name}: the {token.BackendImpl.Name} backend exposes no sensors");
        }

        sources = MetricCatalog.Of(sysfs, path);
        return null;
    }

    private static void Fill(FpgaMetricValue* metric, MetricSource source, Accelerator accelerator)
    {
        var value = source.Read(accelerator.Token.Sysfs!);
        metric->MetricNum = (ulong)source.Index;
        metric->Value = value is not { } v ? 0 : source.IsInteger ? (ulong)v : BitConverter.DoubleToUInt64Bits(v);
        metric->IsValid = value is null ? (byte)0 : (byte)1;
    }

    private static void Threshold(FpgaThreshold* threshold, string name, IReadOnlyDictionary<string, double> values, string key)
    {
        Copy(name, threshold->ThresholdName);
        if (values.TryGetValue(key, out var value))
        {
            threshold->IsValid = 1;
            threshold->Value = value;
        }
    }

    private static void Copy(string text, byte* destination)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var n = Math.Min(bytes.Length, StringSize - 1);
        bytes.AsSpan(0, n).CopyTo(new Span<byte>(destination, n));
        destination[n] = 0;
    }
}
