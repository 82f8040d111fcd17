using OpaeSharp.Devices.Simulated;
using OpaeSharp.Enumeration;
using OpaeSharp.Memory;

namespace OpaeSharp.Tests;

/// <summary>Opens accelerators on a private simulator, so tests never share a card.</summary>
internal static class TestSim
{
    internal static SimulatedBackend NewBackend(SimulatorOptions? options = null) => new(options ?? new SimulatorOptions());

    internal static Accelerator Open(SimulatorOptions? options = null, bool shared = false, BufferAllocator? allocator = null)
    {
        var backend = NewBackend(options);
        var token = AcceleratorOf(backend);
        return new Accelerator(token, backend.Open(token, shared), shared, allocator);
    }

    internal static AcceleratorToken AcceleratorOf(SimulatedBackend backend, int card = 0) =>
        backend.Enumerate().Where(t => t.ObjectType == FpgaObjectType.Accelerator).ElementAt(card);

    internal static AcceleratorToken DeviceOf(SimulatedBackend backend, int card = 0) =>
        backend.Enumerate().Where(t => t.ObjectType == FpgaObjectType.Device).ElementAt(card);

    internal static SimulatedCard CardOf(Accelerator accelerator) => ((SimulatedDevice)accelerator.Device).Card;

    internal static OpaeException Fails(FpgaResult expected, Action action)
    {
        var e = Assert.Throws<OpaeException>(action);
        Assert.Equal(expected, e.Result);
        return e;
    }
}

/// <summary>Tests that measure process-wide state (locked memory, mappings) run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessMemoryCollection
{
    public const string Name = "process memory";
}
