namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// One port's AFU clock: the later of its base time and the time its paced transfers and delays
/// have reached. A transfer that the link model says ends in the future makes the clock run ahead;
/// the worker then waits for the base to catch up only once it is more than <see cref="Quantum"/>
/// ahead, so pacing costs a timer wait per millisecond of link time, not per transfer. The base is
/// real time less what the simulator itself overslept in those waits (a timer fires late; a test
/// moves a fake clock on in steps): that time belongs to no device, so what the AFU measures (its
/// tick counters) follows the link model, while the host still sees the device at the link's pace.
/// Waits go through the card's <see cref="TimeProvider"/> and end early on reset.
/// </summary>
internal sealed class AfuClock(CardLink link)
{
    /// <summary>How far the clock may run ahead of real time before the worker waits.</summary>
    internal static readonly TimeSpan Quantum = TimeSpan.FromMilliseconds(1);

    private long _reached;
    private long _overslept;

    internal CardLink Link => link;

    /// <summary>The current timestamp of this AFU.</summary>
    internal long Now => Math.Max(Base, Volatile.Read(ref _reached));

    /// <summary>Real time, less the time pacing waits overslept.</summary>
    private long Base => link.Time.GetTimestamp() - Volatile.Read(ref _overslept);

    /// <summary>Time since the card was made, on this AFU's clock.</summary>
    internal TimeSpan Elapsed => link.Span(Now - link.Origin);

    /// <summary>Books a transfer on the link and waits as the link model says; false when cancelled (reset).</summary>
    internal bool Transfer(ulong readBytes, ulong writeBytes, CancellationToken cancel)
    {
        if (link.Model is null)
        {
            return !cancel.IsCancellationRequested;
        }

        // Requests are pipelined, as a DMA engine keeps several in flight: the next one may issue
        // now; the link's timeline serialises the bytes, and only completion waits out the latency.
        var done = link.Reserve(Base, readBytes, writeBytes);
        Reach(done);
        return WaitFor(done, cancel);
    }

    /// <summary>Lets <paramref name="span"/> pass on this AFU's clock; false when cancelled.</summary>
    internal bool Delay(TimeSpan span, CancellationToken cancel)
    {
        var done = Now + link.Ticks(span);
        Reach(done);
        return WaitFor(done, cancel);
    }

    /// <summary>A hung AFU: waits until the port is reset or closed; always false.</summary>
    internal static bool WaitForever(CancellationToken cancel)
    {
        cancel.WaitHandle.WaitOne();
        return false;
    }

    private void Reach(long timestamp)
    {
        var seen = Volatile.Read(ref _reached);
        while (timestamp > seen)
        {
            var found = Interlocked.CompareExchange(ref _reached, timestamp, seen);
            if (found == seen)
            {
                return;
            }

            seen = found;
        }
    }

    private bool WaitFor(long timestamp, CancellationToken cancel)
    {
        var ahead = link.Span(timestamp - Base);
        if (ahead <= Quantum)
        {
            return !cancel.IsCancellationRequested;
        }

        try
        {
            Task.Delay(ahead, link.Time, cancel).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        var late = Base - timestamp;
        if (late > 0)
        {
            Interlocked.Add(ref _overslept, late);
        }

        return true;
    }
}
