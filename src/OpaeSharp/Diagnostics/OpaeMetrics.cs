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

    // Preparing spans 4 KiB pages (microseconds) to gigabytes of hugepages (seconds); the default
    // buckets (0 to 10,000) would put every call in the first one.
    private static readonly InstrumentAdvice<double> s_durationAdvice = new()
    {
        HistogramBucketBoundaries = [1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2, 5e-2, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    private static long s_poolHits;
    private static long s_poolMisses;

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
        s_meter.CreateHistogram("opaesharp.buffers.prepare.duration", "s", "Time to allocate, pin and map a buffer", tags: null, s_durationAdvice);

    internal static readonly Histogram<double> ReleaseDuration =
        s_meter.CreateHistogram("opaesharp.buffers.release.duration", "s", "Time to unmap and free a buffer", tags: null, s_durationAdvice);

    internal static readonly Counter<long> DmaFaults =
        s_meter.CreateCounter<long>("opaesharp.dma.faults", "{fault}", "Device accesses refused by the simulated IOMMU");

    internal static readonly Counter<long> LeakedBuffers =
        s_meter.CreateCounter<long>("opaesharp.buffers.leaked", "{buffer}", "Buffers still prepared when their accelerator was closed");

    internal static readonly Counter<long> PoolHits =
        s_meter.CreateCounter<long>("opaesharp.pool.hits", "{rent}", "Pool rents served by an idle buffer");

    internal static readonly Counter<long> PoolMisses =
        s_meter.CreateCounter<long>("opaesharp.pool.misses", "{rent}", "Pool rents that had to prepare a buffer");

    internal static readonly UpDownCounter<long> PoolRetainedBytes =
        s_meter.CreateUpDownCounter<long>("opaesharp.pool.retained", "By", "Idle prepared memory held by pools for reuse");

    internal static readonly Counter<long> PoolTrimmed =
        s_meter.CreateCounter<long>("opaesharp.pool.trimmed", "{buffer}", "Idle pooled buffers released by trimming");

    internal static readonly ObservableGauge<double> PoolHitRatio =
        s_meter.CreateObservableGauge("opaesharp.pool.hit_ratio", ObservePoolHitRatio, "1", "Share of pool rents served by an idle buffer, all pools, since the process started");

    internal static void RecordPoolRent(bool hit, KeyValuePair<string, object?> pool)
    {
        if (hit)
        {
            Interlocked.Increment(ref s_poolHits);
            PoolHits.Add(1, pool);
        }
        else
        {
            Interlocked.Increment(ref s_poolMisses);
            PoolMisses.Add(1, pool);
        }
    }

    private static double ObservePoolHitRatio()
    {
        var hits = Interlocked.Read(ref s_poolHits);
        var total = hits + Interlocked.Read(ref s_poolMisses);
        return total == 0 ? 0 : (double)hits / total;
    }
}
