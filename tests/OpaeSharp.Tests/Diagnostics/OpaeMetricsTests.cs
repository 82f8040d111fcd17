using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using OpaeSharp.Devices;
using OpaeSharp.Diagnostics;
using OpaeSharp.Pooling;

namespace OpaeSharp.Tests.Diagnostics;

/// <summary>The meter is process-wide: these tests run alone so their counts are exact.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "metrics";
}

[Collection(MetricsCollection.Name)]
public sealed class OpaeMetricsTests
{
    [Fact]
    public void The_meter_publishes_the_documented_instruments()
    {
        using var recorder = new Recorder();
        Assert.Subset(
            recorder.Published.ToHashSet(),
            new HashSet<string>
            {
                "opaesharp.buffers.live", "opaesharp.buffers.pinned", "opaesharp.buffers.prepared",
                "opaesharp.buffers.prepare_failures", "opaesharp.buffers.released",
                "opaesharp.buffers.prepare.duration", "opaesharp.buffers.release.duration",
                "opaesharp.dma.faults", "opaesharp.buffers.leaked",
                "opaesharp.pool.hits", "opaesharp.pool.misses", "opaesharp.pool.retained",
                "opaesharp.pool.trimmed", "opaesharp.pool.hit_ratio",
            });
    }

    [Fact]
    public void Prepare_and_release_are_counted_timed_and_tracked_as_live_pinned_memory()
    {
        using var acc = TestSim.Open();
        using var recorder = new Recorder();

        var buffer = acc.PrepareBuffer(8192);
        Assert.Equal(1, recorder.Sum("opaesharp.buffers.live"));
        Assert.Equal(8192, recorder.Sum("opaesharp.buffers.pinned"));
        buffer.Dispose();

        Assert.Equal(1, recorder.Sum("opaesharp.buffers.prepared"));
        Assert.Equal(1, recorder.Sum("opaesharp.buffers.released"));
        Assert.Equal(0, recorder.Sum("opaesharp.buffers.live"));
        Assert.Equal(0, recorder.Sum("opaesharp.buffers.pinned"));
        Assert.Single(recorder.Values("opaesharp.buffers.prepare.duration"), d => d > 0);
        Assert.Single(recorder.Values("opaesharp.buffers.release.duration"), d => d > 0);
    }

    [Fact]
    public void A_failed_prepare_is_counted_as_a_failure_not_a_preparation()
    {
        using var acc = TestSim.Open();
        using var recorder = new Recorder();

        Assert.Throws<OpaeException>(() => acc.PrepareBuffer(0));

        Assert.Equal(1, recorder.Sum("opaesharp.buffers.prepare_failures"));
        Assert.Equal(0, recorder.Sum("opaesharp.buffers.prepared"));
    }

    [Fact]
    public void A_refused_device_access_is_counted_as_a_dma_fault()
    {
        using var acc = TestSim.Open();
        using var recorder = new Recorder();

        Assert.Null(TestSim.CardOf(acc).Iommu.Enter(0x42_0000_0000, 64, DmaAccess.Read, "test"));

        Assert.Equal(1, recorder.Sum("opaesharp.dma.faults"));
    }

    [Fact]
    public void Buffers_left_at_close_are_counted_as_leaked()
    {
        var acc = TestSim.Open();
        using var recorder = new Recorder();
        acc.PrepareBuffer(4096);

        acc.Dispose();

        Assert.Equal(1, recorder.Sum("opaesharp.buffers.leaked"));
    }

    [Fact]
    public void Pool_rents_are_counted_as_hits_and_misses_under_the_pool_name_with_a_hit_ratio()
    {
        using var acc = TestSim.Open();
        using var pool = new SharedBufferPool(acc, new SharedBufferPoolOptions { Name = "metrics-test", IdleTimeout = Timeout.InfiniteTimeSpan });
        using var recorder = new Recorder();

        pool.Rent(4096).Dispose();
        pool.Rent(4096).Dispose();
        pool.Rent(4096).Dispose();
        recorder.Listener.RecordObservableInstruments();

        Assert.Equal(2, recorder.Sum("opaesharp.pool.hits", "metrics-test"));
        Assert.Equal(1, recorder.Sum("opaesharp.pool.misses", "metrics-test"));
        Assert.Equal(4096, recorder.Sum("opaesharp.pool.retained", "metrics-test"));
        Assert.InRange(recorder.Values("opaesharp.pool.hit_ratio").Last(), double.Epsilon, 1);
        Assert.Equal(1, pool.Trim());
        Assert.Equal(1, recorder.Sum("opaesharp.pool.trimmed", "metrics-test"));
    }

    /// <summary>Collects every measurement of the OpaeSharp meter while it lives.</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly ConcurrentQueue<(string Name, double Value, string? Pool)> _measurements = new();

        public Recorder()
        {
            Listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == OpaeMetrics.MeterName)
                {
                    Published.Add(instrument.Name);
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            Listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
            Listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
            Listener.Start();
        }

        public MeterListener Listener { get; } = new();

        public ConcurrentBag<string> Published { get; } = [];

        public double Sum(string name, string? pool = null) =>
            _measurements.Where(m => m.Name == name && (pool is null || m.Pool == pool)).Sum(m => m.Value);

        public List<double> Values(string name) => [.. _measurements.Where(m => m.Name == name).Select(m => m.Value)];

        public void Dispose() => Listener.Dispose();

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? pool = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "opaesharp.pool.name")
                {
                    pool = tag.Value as string;
                }
            }

            _measurements.Enqueue((instrument.Name, value, pool));
        }
    }
}
