using OpaeSharp.Devices.Simulated;
using OpaeSharp.Enumeration;

namespace OpaeSharp.Tests;

/// <summary>Opens accelerators on a private simulator, so tests never share a card.</summary>
internal static class TestSim
{
    internal static SimulatedBackend NewBackend(SimulatorOptions? options = null) => new(options ?? new SimulatorOptions());

    internal static Accelerator Open(SimulatorOptions? options = null, bool shared = false)
    {
        var backend = NewBackend(options);
        return Accelerator.Open(AcceleratorOf(backend), shared);
    }

    internal static AcceleratorToken AcceleratorOf(SimulatedBackend backend, int card = 0) =>
        backend.Enumerate().Where(t => t.ObjectType == FpgaObjectType.Accelerator).ElementAt(card);

    internal static SimulatedCard CardOf(Accelerator accelerator) => ((SimulatedDevice)accelerator.Device).Card;
}
