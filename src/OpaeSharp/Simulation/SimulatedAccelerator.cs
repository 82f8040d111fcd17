using OpaeSharp.Devices.Simulated;

namespace OpaeSharp.Simulation;

/// <summary>
/// The simulator's side of an open accelerator: what the simulated card saw, which no hardware
/// can tell (device accesses its IOMMU refused, interrupts nobody listened to), and the faults a
/// test injects into it. Get one with <see cref="Of"/>.
/// </summary>
/// <remarks>Thread-safe; reads are snapshots.</remarks>
public sealed class SimulatedAccelerator
{
    private readonly SimulatedPort _port;

    private SimulatedAccelerator(SimulatedPort port) => _port = port;

    /// <summary>Device accesses the simulated IOMMU refused (or a fault made fail) on this card, oldest first (the newest 1,024 are kept).</summary>
    public IReadOnlyList<DmaFault> DmaFaults => _port.Card.Faults.Snapshot();

    /// <summary>Every refused access since the card was created, including those no longer kept.</summary>
    public long DmaFaultCount => _port.Card.Faults.Total;

    /// <summary>Index of the card in its simulator.</summary>
    public int Card => _port.Card.Index;

    /// <summary>Index of the port on its card.</summary>
    public int Port => _port.Index;

    /// <summary>The model in the port.</summary>
    public AfuModel Model => _port.Afu;

    /// <summary>Interrupts the AFU raised, and how many of them signalled no event (none registered, or dropped by a fault).</summary>
    public (long Raised, long Dropped) Interrupts => (_port.Interrupts.Raised, _port.Interrupts.Dropped);

    /// <summary>The port's <c>errors</c> register.</summary>
    public ulong PortErrors => _port.Errors.Read(SimulatedPort.ErrorsRegister);

    /// <summary>Faults still armed on the port.</summary>
    public IReadOnlyList<InjectedFault> ArmedFaults => _port.Faults.Armed;

    /// <summary>Faults that fired, once per firing, oldest first (the newest 256 are kept).</summary>
    public IReadOnlyList<InjectedFault> FiredFaults => _port.Faults.Fired;

    /// <summary>True while an injected <see cref="FaultKind.Hang"/> holds the AFU (until reset).</summary>
    public bool IsHung => _port.Faults.IsHung;

    /// <summary>The simulated side of <paramref name="accelerator"/>, or null when it is not simulated (hardware, or an FPGA device handle).</summary>
    public static SimulatedAccelerator? Of(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        return accelerator.Device is SimulatedDevice device ? new SimulatedAccelerator(device.Port) : null;
    }

    /// <summary>Arms <paramref name="fault"/> on the accelerator's port.</summary>
    public void Inject(InjectedFault fault) => _port.Inject(fault);

    /// <summary>Disarms every fault still armed on the port.</summary>
    public void ClearFaults() => _port.Faults.Clear();
}
