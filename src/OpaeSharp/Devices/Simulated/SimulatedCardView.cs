namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// What the simulated sysfs tree, reconfiguration, the user clock and the metrics read of one
/// simulated card: its FME (bitstream, interface id, sensors, error registers) and its port (AFU id,
/// errors, user clock, MMIO traffic). Kept apart from <see cref="SimulatedCard"/> so that the
/// views stay one file when the card grows an FME and several ports. Thread-safe.
/// </summary>
internal sealed class SimulatedCardView
{
    /// <summary>The simulated static image: version 1.2.3 in bits 59..48 as the DFL FME reports it, the rest an id.</summary>
    internal const ulong DefaultBitstreamId = 0x0123_0000_5afe_c0deUL;

    /// <summary>A build date, as FME bitstream metadata carries one (yyyymmdd in hex digits, then a seed).</summary>
    internal const ulong DefaultBitstreamMetadata = 0x2026_1202_0000_0001UL;

    private readonly Lock _lock = new();
    private readonly long _created = System.Diagnostics.Stopwatch.GetTimestamp();
    private long _mmioReads;
    private long _mmioWrites;
    private ulong _userClockHigh = 312_500_000;
    private ulong _userClockLow = 156_250_000;

    internal SimulatedCardView(SimulatedCard card) => Card = card;

    internal SimulatedCard Card { get; }

    internal int Index => Card.Index;

    internal Guid InterfaceId { get; } = SimulatedBackend.InterfaceId;

    internal ulong BitstreamId { get; } = DefaultBitstreamId;

    internal ulong BitstreamMetadata { get; } = DefaultBitstreamMetadata;

    internal int PortCount { get; } = 1;

    internal Guid AfuId => Card.Afu.AfuId;

    internal bool IsPortOpen => Card.IsOpen;

    internal SimulatedErrors FmeErrors => Card.FmeErrors;

    internal SimulatedErrors PortErrors => Card.PortErrors;

    internal long MmioReads => Interlocked.Read(ref _mmioReads);

    internal long MmioWrites => Interlocked.Read(ref _mmioWrites);

    /// <summary>Board power in watts: an idle floor plus a little per MMIO access, so it moves when the AFU works.</summary>
    internal double PowerWatts => 24.5 + Math.Min(20.0, (MmioReads + MmioWrites) / 100_000.0);

    /// <summary>FPGA core temperature in °C.</summary>
    internal double TemperatureCelsius => 41.0 + Math.Min(30.0, (MmioReads + MmioWrites) / 200_000.0);

    /// <summary>The FME's free-running clock (its perf counters' time base): counts at 200 MHz since the card was made.</summary>
    internal ulong ClockTicks => (ulong)(System.Diagnostics.Stopwatch.GetElapsedTime(_created).TotalSeconds * 200_000_000);

    internal void CountRead() => Interlocked.Increment(ref _mmioReads);

    internal void CountWrite() => Interlocked.Increment(ref _mmioWrites);

    /// <summary>The user clock (Hz): the 1x clock and the 2x clock's half.</summary>
    internal (ulong High, ulong Low) UserClock
    {
        get
        {
            lock (_lock)
            {
                return (_userClockHigh, _userClockLow);
            }
        }
    }

    /// <summary>Programs the user clock; <paramref name="highMhz"/> 25..1200 MHz, <paramref name="lowMhz"/> 0 (half of high) or up to high.</summary>
    internal Status SetUserClock(ulong highMhz, ulong lowMhz)
    {
        if (highMhz is < MinUserClockMhz or > MaxUserClockMhz || lowMhz > MaxUserClockMhz)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"user clock {highMhz}/{lowMhz} MHz is outside {MinUserClockMhz}..{MaxUserClockMhz} MHz");
        }

        if (lowMhz != 0 && lowMhz > highMhz)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"the low user clock ({lowMhz} MHz) is above the high one ({highMhz} MHz)");
        }

        lock (_lock)
        {
            _userClockHigh = highMhz * 1_000_000;
            _userClockLow = lowMhz == 0 ? highMhz * 500_000 : lowMhz * 1_000_000;
        }

        return Status.Ok;
    }

    /// <summary>The range OPAE's user clock accepts.</summary>
    internal const ulong MinUserClockMhz = 25;

    internal const ulong MaxUserClockMhz = 1200;

    /// <summary>Partial reconfiguration of the port: BUSY while it is open; NOT_FOUND when no AFU model has that id.</summary>
    internal Status LoadAfu(int port, Guid afuId)
    {
        if (port != 0)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"simulated card {Index} has no port {port}");
        }

        if (IsPortOpen)
        {
            return Status.Fail(FpgaResult.Busy, $"the port of simulated card {Index} is open; close every handle on the accelerator first");
        }

        if (afuId != Card.Afu.AfuId)
        {
            return Status.Fail(FpgaResult.NotFound, $"the simulator has no AFU model with id {afuId} (it has NLB0, {Card.Afu.AfuId})");
        }

        Card.Afu.Reset();
        return Status.Ok;
    }
}
