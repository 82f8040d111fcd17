namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// One port's AFU clock: the time its paced transfers and delays have reached, or real time when
/// the device has been idle. A transfer that the link model says ends in the future makes the
/// clock run ahead; the worker waits only once it is more than <see cref="Quantum"/> ahead, so
/// pacing costs a timer wait per millisecond of link time, not per transfer. A timer fires late
/// (on a VM, 1 ms waits take 4), and the link must not idle through that: the device carries on
/// from where its transfers reached, as a DMA engine with requests queued would, until it has
/// caught up with real time. So tick counters (what the AFU measures) follow the link model, and
/// so does what the host sees with its own clock. A device whose clock is behind real time by more
/// than the last oversleep and a quantum has been idle (or starved of the CPU) and starts afresh at
/// real time, so a new run borrows at most that much idle time. Waits go through the card's
/// <see cref="TimeProvider"/> and end early on reset.
/// </summary>
internal sealed class AfuClock(CardLink link)
{
    /// <summary>How far the clock may run ahead of real time before the worker waits.</summary>
    internal static readonly TimeSpan Quantum = TimeSpan.FromMilliseconds(1);

    private readonly long _quantum = link.Ticks(Quantum);
    private long _reached;
    private long _lateness;

    internal CardLink Link => link;

    /// <summary>The current timestamp of this AFU.</summary>
    internal long Now
    {
        get
        {
            var real = link.Time.GetTimestamp();
            var reached = Volatile.Read(ref _reached);

            // Ahead of real time, or catching up after a late wake-up: the device's own timeline;
            // further behind, it was idle and real time is its time.
            return real - reached <= Volatile.Read(ref _lateness) + _quantum ? reached : real;
        }
    }

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
        var done = link.Reserve(Now, readBytes, writeBytes);
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
        var ahead = link.Span(timestamp - link.Time.GetTimestamp());
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

        Volatile.Write(ref _lateness, Math.Max(0, link.Time.GetTimestamp() - timestamp));
        return true;
    }
}
