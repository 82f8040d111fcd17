using OpaeSharp.Interop;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// The error interrupt of a simulated FME or port: one vector, raised every time error bits are
/// set in the block (an AFU fault, an injected error), as the DFL driver's error reporting feature
/// does. Like the hardware, it signals one eventfd at a time for the whole card.
/// </summary>
/// <remarks>Thread-safe; raising takes no lock.</remarks>
internal sealed class SimulatedErrorInterrupt : IInterruptLines
{
    private readonly SimulatedInterrupts _line = new(LinuxKernel.Instance, count: 1);

    internal SimulatedErrorInterrupt(SimulatedErrors errors) => errors.Raised += (_, _) => _line.Raise(0);

    public int Count => 1;

    /// <summary>Error interrupts raised since power-on, signalled or not.</summary>
    internal long Raised => _line.Raised;

    public Status Attach(int vector, SafeFileDescriptor eventFd) => _line.Attach(vector, eventFd);

    public Status Detach(int vector) => _line.Detach(vector);
}
