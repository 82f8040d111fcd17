using System.Diagnostics;

namespace OpaeSharp.Devices;

/// <summary>
/// How a wait for device-written memory spends its time: a few microseconds of spinning (a device
/// that is nearly done answers fastest that way), then yielding the core for a while, then sleeps
/// that double from 50 µs up to 1 ms — a long wait costs next to no CPU, and notices the value at
/// most a millisecond late (sooner where the device signals its writes, see <see cref="DeviceWrites"/>).
/// </summary>
internal struct PollBackoff(bool spin)
{
    private static readonly long s_spinTicks = Stopwatch.Frequency / 50_000;   // 20 µs
    private static readonly long s_yieldTicks = Stopwatch.Frequency / 1_000;   // 1 ms
    private static readonly TimeSpan s_firstSleep = TimeSpan.FromMicroseconds(50);
    private static readonly TimeSpan s_longestSleep = TimeSpan.FromMilliseconds(1);

    private long _started;
    private TimeSpan _sleep;
    private SpinWait _spinner;

    /// <summary>Spins or yields and returns null, or returns how long to sleep (never past <paramref name="remainingTicks"/>).</summary>
    internal TimeSpan? NextSleep(long remainingTicks)
    {
        var now = Stopwatch.GetTimestamp();
        if (_started == 0)
        {
            _started = now;
        }

        var waited = now - _started;
        if (spin && waited < s_spinTicks)
        {
            _spinner.SpinOnce(sleep1Threshold: -1);
            return null;
        }

        if (spin && waited < s_yieldTicks)
        {
            Thread.Yield();
            return null;
        }

        _sleep = _sleep == TimeSpan.Zero ? s_firstSleep : TimeSpan.FromTicks(Math.Min(_sleep.Ticks * 2, s_longestSleep.Ticks));
        var remaining = TimeSpan.FromSeconds((double)remainingTicks / Stopwatch.Frequency);
        return remaining < _sleep ? remaining : _sleep;
    }
}
