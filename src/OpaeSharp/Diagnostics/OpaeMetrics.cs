using System.Diagnostics.Metrics;

namespace OpaeSharp.Diagnostics;

/// <summary>
/// The library's instruments on the meter <c>OpaeSharp</c> (watch with
/// <c>dotnet-counters monitor --counters OpaeSharp</c>).
/// </summary>
internal static class OpaeMetrics
{
    internal const string MeterName = "OpaeSharp";

    private static readonly Meter s_meter = new(MeterName);

    internal static readonly UpDownCounter<long> LiveBuffers =
        s_meter.CreateUpDownCounter<long>("opaesharp.buffers.live", "{buffer}", "Buffers prepared and not yet released");

    internal static readonly UpDownCounter<long> PinnedBytes =
        s_meter.CreateUpDownCounter<long>("opaesharp.buffers.pinned", "By", "Host memory pinned for device DMA");

    internal static readonly Counter<long> Prepares =
        s_meter.CreateCounter<long>("opaesharp.buffers.prepared", "{buffer}", "Successful buffer preparations");

    internal static readonly Counter<long> PrepareFailures =
        s_meter.CreateCounter<long>("opaesharp.buffers.prepare_failures", "{call}", "Buffer preparations that failed");

    internal static readonly Counter<long> Releases =
        s_meter.CreateCounter<long>("opaesharp.buffers.released", "{buffer}", "Buffer releases");

    internal static readonly Histogram<double> PrepareDuration =
        s_meter.CreateHistogram<double>("opaesharp.buffers.prepare.duration", "s", "Time to allocate, pin and map a buffer");

    internal static readonly Histogram<double> ReleaseDuration =
        s_meter.CreateHistogram<double>("opaesharp.buffers.release.duration", "s", "Time to unmap and free a buffer");

    internal static readonly Counter<long> DmaFaults =
        s_meter.CreateCounter<long>("opaesharp.dma.faults", "{fault}", "Device accesses refused by the simulated IOMMU");

    internal static readonly Counter<long> LeakedBuffers =
        s_meter.CreateCounter<long>("opaesharp.buffers.leaked", "{buffer}", "Buffers still prepared when their accelerator was closed");
}
