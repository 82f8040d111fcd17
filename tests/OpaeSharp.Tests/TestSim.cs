using OpaeSharp.Devices.Simulated;
using OpaeSharp.Enumeration;
using OpaeSharp.Memory;
using OpaeSharp.Simulation;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests;

/// <summary>Opens accelerators on a private simulator, so tests never share a card.</summary>
internal static class TestSim
{
    internal static SimulatedBackend NewBackend(SimulatorOptions? options = null, BufferAllocator? memory = null) => new(options ?? new SimulatorOptions(), memory);

    internal static Accelerator Open(SimulatorOptions? options = null, bool shared = false, BufferAllocator? allocator = null)
    {
        var backend = NewBackend(options, allocator);
        var token = AcceleratorOf(backend);
        return Accelerator.Open(token, shared);
    }

    /// <summary>An accelerator whose memory system calls go through <paramref name="kernel"/> (faults, traces, fake hugepage pools).</summary>
    internal static Accelerator Open(FakeKernel kernel, SimulatorOptions? options = null, bool useHugePages = true) =>
        Open(options, allocator: new BufferAllocator(kernel, new HugePages(kernel), useHugePages));

    /// <summary>What the simulated IOMMU refused on this accelerator's card.</summary>
    internal static IReadOnlyList<DmaFault> Faults(Accelerator accelerator) => SimulatedAccelerator.Of(accelerator)!.DmaFaults;

    internal static AcceleratorToken AcceleratorOf(SimulatedBackend backend, int card = 0) =>
        backend.Enumerate().Where(t => t.ObjectType == FpgaObjectType.Accelerator).ElementAt(card);

    internal static AcceleratorToken DeviceOf(SimulatedBackend backend, int card = 0) =>
        backend.Enumerate().Where(t => t.ObjectType == FpgaObjectType.Device).ElementAt(card);

    internal static SimulatedCard CardOf(Accelerator accelerator) => ((SimulatedDevice)accelerator.Device!).Card;

    internal static SimulatedPort PortOf(Accelerator accelerator) => ((SimulatedDevice)accelerator.Device!).Port;

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
