using Microsoft.Extensions.Logging;
using OpaeSharp.Diagnostics;

namespace OpaeSharp.Buffers;

/// <summary>The buffers a close had to release because nobody had: counted, and logged with where each came from when tracking is on.</summary>
internal sealed class LeakReport
{
    internal int Count { get; private set; }

    internal long Bytes { get; private set; }

    internal void Add(SharedBuffer buffer)
    {
        if (Accelerator.TrackLeaks && buffer.PreparedAt is { } stack)
        {
            OpaeLogging.Logger.LogWarning("buffer {Wsid} ({Bytes} bytes) was prepared at:\n{Stack}", buffer.WorkspaceId, buffer.Length, stack);
        }

        Count++;
        Bytes += buffer.Length;
    }

    /// <summary>Logs and counts the leak, if there was one.</summary>
    internal void Publish(string handleName, bool finalizing)
    {
        if (Count == 0)
        {
            return;
        }

        BufferMetrics.Leaked(Count);
        OpaeLogging.Logger.LogWarning(
            "{How} {Name} released {Count} buffer(s) still prepared ({Bytes} bytes){Hint}",
            finalizing ? "finalizing unclosed handle of" : "closing",
            handleName,
            Count,
            Bytes,
            Accelerator.TrackLeaks ? "" : "; set OPAESHARP_TRACK_LEAKS=1 to log where each was prepared");
    }
}
