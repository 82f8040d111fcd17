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

    private const double IdleWatts = 22.0;
    private const double BusyPortWatts = 14.0;

    private readonly SimulatedCard _card;
    private readonly Lock _clockLock = new();
    private uint _userClockHighMHz = 400;
    private uint _userClockLowMHz = 200;

    internal SimulatedFme(SimulatedCard card) => _card = card;

    /// <summary>The FME's error registers, named as the DFL driver's sysfs attributes are.</summary>
    internal SimulatedErrors Errors { get; } = new("errors", "pcie0_errors", "pcie1_errors", "nonfatal_errors", "catfatal_errors", "inject_errors");

    /// <summary>The FPGA interface id (what an FPGA_DEVICE token's GUID is, and what a bitstream must match).</summary>
    internal Guid InterfaceId { get; } = DefaultInterfaceId;

    /// <summary>The FME's <c>bitstream_id</c>: fixed for the simulated static region.</summary>
    internal ulong BitstreamId { get; } = 0x0300_0001_2021_0601;

    /// <summary>The FME's <c>bitstream_metadata</c> (build date 2021-06-01, seed 0).</summary>
    internal ulong BitstreamMetadata { get; } = 0x2021_0601_0000;

    /// <summary>Board power: an idle figure plus a share for each port whose AFU is working.</summary>
    internal double PowerWatts => IdleWatts + (BusyPortWatts * _card.Ports.Count(p => p.Worker.IsBusy));

    /// <summary>FPGA core temperature, following power.</summary>
    internal double FpgaTemperatureCelsius => 38.0 + (PowerWatts * 0.45);

    /// <summary>Board temperature, following power more slowly.</summary>
    internal double BoardTemperatureCelsius => 31.0 + (PowerWatts * 0.2);

    /// <summary>The user clock's high frequency in MHz (what the AFU's uClk_usr runs at).</summary>
    internal uint UserClockHighMHz
    {
        get
        {
            lock (_clockLock)
            {
                return _userClockHighMHz;
            }
        }
    }

    /// <summary>The user clock's low frequency in MHz (uClk_usrDiv2).</summary>
    internal uint UserClockLowMHz
    {
        get
        {
            lock (_clockLock)
            {
                return _userClockLowMHz;
            }
        }
    }

    /// <summary>
    /// Sets the user clock (<c>fpgaSetUserClock</c>, MHz). A low frequency of 0 means half the high
    /// one, as OPAE's userclk tool does. INVALID_PARAM outside 10–1200 MHz or low above high.
    /// </summary>
    internal Status SetUserClock(uint highMHz, uint lowMHz)
    {
        if (lowMHz == 0)
        {
            lowMHz = highMHz / 2;
        }

        if (highMHz is < 10 or > 1200 || lowMHz < 5 || lowMHz > highMHz)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"user clock {highMHz}/{lowMHz} MHz: the high clock must be 10-1200 MHz and the low one at most the high one");
        }

        lock (_clockLock)
        {
            _userClockHighMHz = highMHz;
            _userClockLowMHz = lowMHz;
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

        var status = _card.Ports[port].Load(model);
        if (status.IsOk)
        {
            _card.OnReconfigured();
        }

        return status;
    }
}
