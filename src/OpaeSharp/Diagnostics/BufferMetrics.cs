using System.Diagnostics;

namespace OpaeSharp.Diagnostics;

/// <summary>What the buffer pipeline records on the <c>OpaeSharp</c> meter: counts, bytes and durations.</summary>
/// <remarks>
/// Every instrument is asked whether anyone listens before it is fed, and durations are timed only
/// then: reading the clock twice per call and feeding six idle instruments were a measurable part
/// of a 4 KiB prepare+release (bench/RESULTS.md). As with any meter, a listener that attaches while
/// buffers are live sees only the changes from then on.
/// </remarks>
internal static class BufferMetrics
{
    /// <summary>A start time for <see cref="Prepared"/>/<see cref="Released"/>, or 0 when no one listens to the durations.</summary>
    internal static long Start() => OpaeMetrics.PrepareDuration.Enabled || OpaeMetrics.ReleaseDuration.Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>A buffer entered the table; <see cref="Released"/> balances it.</summary>
    internal static void Live(long bytes)
    {
        if (OpaeMetrics.LiveBuffers.Enabled)
        {
            OpaeMetrics.LiveBuffers.Add(1);
        }

        if (OpaeMetrics.PinnedBytes.Enabled)
        {
            OpaeMetrics.PinnedBytes.Add(bytes);
        }
    }

    internal static void Prepared(long started)
    {
        if (OpaeMetrics.Prepares.Enabled)
        {
            OpaeMetrics.Prepares.Add(1);
        }

        if (started != 0 && OpaeMetrics.PrepareDuration.Enabled)
        {
            OpaeMetrics.PrepareDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    internal static void PrepareFailed() => OpaeMetrics.PrepareFailures.Add(1);

    internal static void Released(long started, long bytes)
    {
        if (OpaeMetrics.LiveBuffers.Enabled)
        {
            OpaeMetrics.LiveBuffers.Add(-1);
        }

        if (OpaeMetrics.PinnedBytes.Enabled)
        {
            OpaeMetrics.PinnedBytes.Add(-bytes);
        }

        if (OpaeMetrics.Releases.Enabled)
        {
            OpaeMetrics.Releases.Add(1);
        }

        if (started != 0 && OpaeMetrics.ReleaseDuration.Enabled)
        {
            OpaeMetrics.ReleaseDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    internal static void Leaked(int count) => OpaeMetrics.LeakedBuffers.Add(count);
}
