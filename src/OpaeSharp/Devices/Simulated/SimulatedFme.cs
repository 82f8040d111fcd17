using OpaeSharp.Simulation;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// The FPGA management engine of a simulated card: its error registers, the ids of its FPGA
/// interface and bitstream, simple sensors, the user clock, and partial reconfiguration of a port
/// (<see cref="LoadAfu"/>). What the DFL driver's FME exposes, as plain state. Thread-safe.
/// </summary>
internal sealed class SimulatedFme
{
    /// <summary>The id of the FPGA interface (PR region) every simulated card reports.</summary>
    internal static readonly Guid DefaultInterfaceId = new("5c3b1f6e-6d1a-4f8b-9a7e-0b5e5f0a5e51");

    /// <summary>The range OPAE's user clock accepts (MHz).</summary>
    internal const ulong MinUserClockMhz = 25;

    internal const ulong MaxUserClockMhz = 1200;

    private const double IdleWatts = 24.5;
    private const double BusyPortWatts = 14.0;

    private readonly SimulatedCard _card;
    private readonly Lock _clockLock = new();
    private ulong _userClockHigh = 312_500_000;
    private ulong _userClockLow = 156_250_000;

    internal SimulatedFme(SimulatedCard card) => _card = card;

    /// <summary>The FME's error registers, named as the DFL driver's sysfs attributes are.</summary>
    internal SimulatedErrors Errors { get; } = new("errors", "pcie0_errors", "pcie1_errors", "nonfatal_errors", "catfatal_errors", "inject_errors");

    /// <summary>The FPGA interface id (what an FPGA_DEVICE token's GUID is, and what a bitstream must match).</summary>
    internal Guid InterfaceId { get; } = DefaultInterfaceId;

    /// <summary>The FME's <c>bitstream_id</c>: the simulated static image, version 1.2.3 in bits 59:48 as the DFL FME reports it.</summary>
    internal ulong BitstreamId { get; } = 0x0123_0000_5afe_c0deUL;

    /// <summary>The FME's <c>bitstream_metadata</c>: a build date (yyyymmdd in hex digits), then a seed.</summary>
    internal ulong BitstreamMetadata { get; } = 0x2026_1202_0000_0001UL;

    /// <summary>Board power in watts: an idle floor plus a share for each port whose AFU is working.</summary>
    internal double PowerWatts => IdleWatts + (BusyPortWatts * _card.Ports.Count(p => p.Worker.IsBusy));

    /// <summary>FPGA core temperature in °C, following power.</summary>
    internal double TemperatureCelsius => 38.0 + (PowerWatts * 0.45);

    /// <summary>Board temperature in °C, following power more slowly.</summary>
    internal double BoardTemperatureCelsius => 31.0 + (PowerWatts * 0.2);

    /// <summary>The FME's free-running clock (its perf counters' time base): 200 MHz since the card was made, on the card's clock.</summary>
    internal ulong ClockTicks => (ulong)(_card.Link.Span(_card.Link.Time.GetTimestamp() - _card.Link.Origin).TotalSeconds * 200_000_000);

    /// <summary>The user clock in Hz: the 1x clock (uClk_usr) and the low one (uClk_usrDiv2).</summary>
    internal (ulong High, ulong Low) UserClock
    {
        get
        {
            lock (_clockLock)
            {
                return (_userClockHigh, _userClockLow);
            }
        }
    }

    /// <summary>
    /// Programs the user clock (<c>fpgaSetUserClock</c>, MHz): <paramref name="highMhz"/> 25..1200,
    /// <paramref name="lowMhz"/> 0 (half of high, as OPAE's userclk does) or up to high; else INVALID_PARAM.
    /// </summary>
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

        lock (_clockLock)
        {
            _userClockHigh = highMhz * 1_000_000;
            _userClockLow = lowMhz == 0 ? highMhz * 500_000 : lowMhz * 1_000_000;
        }

        return Status.Ok;
    }

    /// <summary>
    /// Partial reconfiguration: puts a new instance of the registered model with <paramref name="afuId"/>
    /// in port <paramref name="port"/>. INVALID_PARAM for a port the card does not have, NOT_FOUND
    /// when no registered model has that AFU id, BUSY while the port is open.
    /// </summary>
    internal Status LoadAfu(int port, Guid afuId)
    {
        if ((uint)port >= (uint)_card.Ports.Count)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"simulated card {_card.Index} has no port {port} (it has {_card.Ports.Count})");
        }

        if (!_card.Catalog.TryFind(afuId, out var entry))
        {
            return Status.Fail(FpgaResult.NotFound, $"no simulated AFU model has id {afuId} (known: {string.Join(", ", _card.Catalog.Entries.Select(e => $"{e.Name} {e.AfuId}"))})");
        }

        AfuModel model;
        try
        {
            model = entry.Create();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Status.Fail(FpgaResult.Exception, $"the simulated AFU model {entry.Name} could not be made: {e.Message}");
        }

        return _card.Ports[port].Load(model);
    }
}
