using Microsoft.Extensions.Time.Testing;
using OpaeSharp.Devices.Simulated;
using OpaeSharp.Simulation;

namespace OpaeSharp.Tests.Devices.Simulated;

/// <summary>The AFU clock against a link model, on a fake clock whose timers fire late.</summary>
public sealed class AfuClockTests
{
    private const int Chunk = 2 << 20;       // 2 MiB: 2.1 ms at 1 GB/s, more than the pacing quantum
    private const int Chunks = 50;           // 105 ms of link time in all

    private static readonly double LinkSeconds = Chunks * (double)Chunk / 1e9;

    [Fact]
    public void Timer_waits_that_fire_late_do_not_slow_the_device_below_its_link()
    {
        var time = new FakeTimeProvider();
        var clock = new AfuClock(new CardLink(new LinkModel(1, TimeSpan.Zero), time));
        var start = time.GetUtcNow();

        // The fake clock moves in 5 ms steps: every pacing wait wakes up to 4 ms late, as a 1 ms
        // timer does on a busy VM.
        RunWithCoarseTimer(time, () =>
        {
            start = time.GetUtcNow();
            for (var i = 0; i < Chunks; i++)
            {
                Assert.True(clock.Transfer(Chunk, 0, CancellationToken.None));
            }
        });

        // The link time, plus the last wait's oversleep, plus one step of slack for a step that
        // lands between two transfers (the device then restarts at real time). Without making up
        // for late wake-ups the run takes a step per chunk: 250 ms.
        var elapsed = (time.GetUtcNow() - start).TotalSeconds;
        Assert.InRange(elapsed, LinkSeconds - 0.002, LinkSeconds + 0.011);
    }

    [Fact]
    public void The_device_clock_advances_by_the_link_time_of_its_transfers()
    {
        var time = new FakeTimeProvider();
        var link = new CardLink(new LinkModel(1, TimeSpan.Zero), time);
        var clock = new AfuClock(link);
        var before = clock.Now;
        var after = before;

        RunWithCoarseTimer(time, () =>
        {
            before = clock.Now;
            for (var i = 0; i < Chunks; i++)
            {
                clock.Transfer(Chunk, 0, CancellationToken.None);
            }

            after = clock.Now;
        });

        // The transfers ran back to back on the device's timeline, late wake-ups or not (slack: one
        // step landing between two transfers).
        Assert.InRange(link.Span(after - before).TotalSeconds, LinkSeconds, LinkSeconds + 0.0051);
    }

    [Fact]
    public void A_device_idle_for_longer_than_the_last_oversleep_starts_afresh_at_real_time()
    {
        var time = new FakeTimeProvider();
        var link = new CardLink(new LinkModel(1, TimeSpan.Zero), time);
        var clock = new AfuClock(link);
        RunWithCoarseTimer(time, () => clock.Transfer(Chunk, 0, CancellationToken.None));

        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(time.GetTimestamp(), clock.Now);
    }

    /// <summary>Runs <paramref name="work"/> while another thread moves the fake clock on in 5 ms steps.</summary>
    private static void RunWithCoarseTimer(FakeTimeProvider time, Action work)
    {
        var stop = false;
        var ticker = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                time.Advance(TimeSpan.FromMilliseconds(5));
                Thread.Sleep(1);
            }
        });
        ticker.Start();
        try
        {
            work();
        }
        finally
        {
            Volatile.Write(ref stop, true);
            ticker.Join();
        }
    }
}
