using OpaeSharp.Devices.Simulated;

namespace OpaeSharp.Simulation;

/// <summary>
/// The simulator's side of an open accelerator: what the simulated card saw, which no hardware
/// can tell (device accesses its IOMMU refused). Get one with <see cref="Of"/>.
/// </summary>
/// <remarks>Thread-safe; reads are snapshots.</remarks>
public sealed class SimulatedAccelerator
{
    private readonly SimulatedCard _card;

    private SimulatedAccelerator(SimulatedCard card) => _card = card;

    /// <summary>Device accesses the simulated IOMMU refused, oldest first (the newest 1,024 are kept).</summary>
    public IReadOnlyList<DmaFault> DmaFaults => _card.Faults.Snapshot();

    /// <summary>Every refused access since the card was created, including those no longer kept.</summary>
    public long DmaFaultCount => _card.Faults.Total;

    /// <summary>The simulated side of <paramref name="accelerator"/>, or null when it is not simulated (hardware, or an FPGA device handle).</summary>
    public static SimulatedAccelerator? Of(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        return accelerator.Device is SimulatedDevice device ? new SimulatedAccelerator(device.Card) : null;
    }
}
