using System.Diagnostics;

namespace OpaeSharp.Diagnostics;

/// <summary>What the buffer pipeline records on the <c>OpaeSharp</c> meter: counts, bytes and durations.</summary>
internal static class BufferMetrics
{
    internal static long Start() => Stopwatch.GetTimestamp();

    /// <summary>A buffer entered the table; <see cref="Released"/> balances it.</summary>
    internal static void Live(long bytes)
    {
        OpaeMetrics.LiveBuffers.Add(1);
        OpaeMetrics.PinnedBytes.Add(bytes);
    }

    internal static void Prepared(long started)
    {
        OpaeMetrics.Prepares.Add(1);
        OpaeMetrics.PrepareDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    internal static void PrepareFailed() => OpaeMetrics.PrepareFailures.Add(1);

    internal static void Released(long started, long bytes)
    {
        OpaeMetrics.LiveBuffers.Add(-1);
        OpaeMetrics.PinnedBytes.Add(-bytes);
        OpaeMetrics.Releases.Add(1);
        OpaeMetrics.ReleaseDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    internal static void Leaked(int count) => OpaeMetrics.LeakedBuffers.Add(count);
}
