using OpaeSharp.Simulation;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// A card's host link as a timeline: each direction is free again at some timestamp, and a
/// transfer reserves it for its bytes at the configured bandwidth; the ports of the card share it,
/// as they share the PCIe slot. Without a <see cref="LinkModel"/> every transfer is instant.
/// Timestamps are those of <see cref="Time"/>. Thread-safe (a short lock, never held while waiting).
/// </summary>
internal sealed class CardLink
{
    private readonly Lock _lock = new();
    // In fractional timestamp units since Origin: a transfer of a few hundred nanoseconds must not
    // be rounded on a clock that counts in 100 ns (a fake TimeProvider's), or the rounding adds up;
    // and relative to Origin, so a double keeps that precision (absolute timestamps are ~2^59).
    private double _readFree;
    private double _writeFree;

    internal CardLink(LinkModel? model, TimeProvider time)
    {
        model?.Validate();
        Model = model;
        Time = time;
        Origin = time.GetTimestamp();
    }

    internal LinkModel? Model { get; }

    internal TimeProvider Time { get; }

    /// <summary>When the card was made: time zero of its AFUs' clocks.</summary>
    internal long Origin { get; }

    private double ExactTicks(double seconds) => seconds * Time.TimestampFrequency;

    internal long Ticks(TimeSpan span) => (long)(span.Ticks * (Time.TimestampFrequency / (double)TimeSpan.TicksPerSecond));

    internal TimeSpan Span(long ticks) => TimeSpan.FromTicks((long)(ticks * ((double)TimeSpan.TicksPerSecond / Time.TimestampFrequency)));

    /// <summary>Books a transfer that may start at <paramref name="start"/>; returns the timestamp it completes at.</summary>
    internal long Reserve(long start, ulong readBytes, ulong writeBytes)
    {
        if (Model is not { } link || (readBytes == 0 && writeBytes == 0))
        {
            return start;
        }

        double from = start - Origin;
        var end = from;
        lock (_lock)
        {
            if (readBytes > 0)
            {
                _readFree = Math.Max(from, _readFree) + ExactTicks(readBytes / (link.GigabytesPerSecond * 1e9));
                end = Math.Max(end, _readFree);
            }

            if (writeBytes > 0)
            {
                _writeFree = Math.Max(from, _writeFree) + ExactTicks(writeBytes / (link.GigabytesPerSecond * 1e9));
                end = Math.Max(end, _writeFree);
            }
        }

        return Origin + (long)Math.Ceiling(end + ExactTicks(link.Latency.TotalSeconds));
    }
}
