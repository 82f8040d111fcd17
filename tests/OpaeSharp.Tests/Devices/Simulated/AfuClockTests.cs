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
        var time = new WaitCountingTime();
        var clock = new AfuClock(new CardLink(new LinkModel(1, TimeSpan.Zero), time));
        var start = time.GetUtcNow();

        // Every pacing wait wakes up to 4 ms late, as a 1 ms timer does on a busy VM.
        RunWithCoarseTimer(time, () =>
        {
            start = time.GetUtcNow();
            for (var i = 0; i < Chunks; i++)
            {
                Assert.True(clock.Transfer(Chunk, 0, CancellationToken.None));
            }
        });

        // The link time, less the quantum the clock may run ahead, plus the last wait's oversleep.
        // Without making up for late wake-ups the run takes a 5 ms step per chunk: 250 ms.
        var elapsed = (time.GetUtcNow() - start).TotalSeconds;
        Assert.InRange(elapsed, LinkSeconds - 0.001, LinkSeconds + 0.005);
    }

    [Fact]
    public void The_device_clock_advances_by_the_link_time_of_its_transfers()
    {
        var time = new WaitCountingTime();
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

        // The transfers ran back to back on the device's timeline, late wake-ups or not (each
        // completion rounds up to the fake clock's 100 ns).
        Assert.InRange(link.Span(after - before).TotalSeconds, LinkSeconds, LinkSeconds + (Chunks * 100e-9));
    }

    [Fact]
    public void A_device_idle_for_longer_than_the_last_oversleep_starts_afresh_at_real_time()
    {
        var time = new WaitCountingTime();
        var link = new CardLink(new LinkModel(1, TimeSpan.Zero), time);
        var clock = new AfuClock(link);
        RunWithCoarseTimer(time, () => clock.Transfer(Chunk, 0, CancellationToken.None));

        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(time.GetTimestamp(), clock.Now);
    }

    /// <summary>
    /// Runs <paramref name="work"/> while another thread moves the fake clock on by 5 ms each time
    /// the clock starts a timer wait, so every wait wakes late and nothing else sees time jump.
    /// </summary>
    private static void RunWithCoarseTimer(WaitCountingTime time, Action work)
    {
        var stop = false;
        var ticker = new Thread(() =>
        {
            var answered = 0;
            while (!Volatile.Read(ref stop))
            {
                if (time.Waits > answered)
                {
                    answered++;
                    time.Advance(TimeSpan.FromMilliseconds(5));
                }
                else
                {
                    Thread.Sleep(0);
                }
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

    /// <summary>A fake clock that counts the timers started on it (each a pacing wait).</summary>
    private sealed class WaitCountingTime : TimeProvider
    {
        private readonly FakeTimeProvider _fake = new();
        private int _waits;

        internal int Waits => Volatile.Read(ref _waits);

        public override long TimestampFrequency => _fake.TimestampFrequency;

        public override long GetTimestamp() => _fake.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = _fake.CreateTimer(callback, state, dueTime, period);
            Interlocked.Increment(ref _waits);
            return timer;
        }

        internal void Advance(TimeSpan by) => _fake.Advance(by);
    }
}
