namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// What the simulated sysfs tree, reconfiguration, the user clock and the metrics read of one
/// simulated card: its FME (bitstream, interface id, sensors, error registers, user clock) and its
/// ports (AFU ids, errors, MMIO traffic). A thin view over <see cref="SimulatedCard.Fme"/> and
/// <see cref="SimulatedCard.Ports"/>; members that name "the port" mean port 0. Thread-safe.
/// </summary>
internal sealed class SimulatedCardView(SimulatedCard card)
{
    /// <summary>The range OPAE's user clock accepts.</summary>
    internal const ulong MinUserClockMhz = SimulatedFme.MinUserClockMhz;

    internal const ulong MaxUserClockMhz = SimulatedFme.MaxUserClockMhz;

    internal SimulatedCard Card { get; } = card;

    internal int Index => Card.Index;

    internal Guid InterfaceId => Card.Fme.InterfaceId;

    internal ulong BitstreamId => Card.Fme.BitstreamId;

    internal ulong BitstreamMetadata => Card.Fme.BitstreamMetadata;

    internal int PortCount => Card.Ports.Count;

    internal Guid AfuId => Card.Ports[0].AfuId;

    internal bool IsPortOpen => Card.Ports[0].IsOpen;

    internal SimulatedErrors FmeErrors => Card.Fme.Errors;

    internal SimulatedErrors PortErrors => Card.Ports[0].Errors;

    /// <summary>MMIO reads of every port of the card (the FME's fabric counters count the card).</summary>
    internal long MmioReads => Card.Ports.Sum(p => p.MmioReads);

    internal long MmioWrites => Card.Ports.Sum(p => p.MmioWrites);

    internal double PowerWatts => Card.Fme.PowerWatts;

    internal double TemperatureCelsius => Card.Fme.TemperatureCelsius;

    internal ulong ClockTicks => Card.Fme.ClockTicks;

    internal (ulong High, ulong Low) UserClock => Card.Fme.UserClock;

    internal Status SetUserClock(ulong highMhz, ulong lowMhz) => Card.Fme.SetUserClock(highMhz, lowMhz);

    internal Status LoadAfu(int port, Guid afuId) => Card.Fme.LoadAfu(port, afuId);
}
