using OpaeSharp.Devices.Simulated;
using OpaeSharp.Enumeration;
using OpaeSharp.Interop;
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

    /// <summary>
    /// Bytes of this process's memory held for devices: pinned without mlock (VmPin: the simulator's
    /// pins of caller memory, like a driver's) plus mlocked (VmLck: the simulator's own allocations).
    /// Each pinned page counts once per pin, as the kernel counts it.
    /// </summary>
    internal static long PinnedBytes() => MemoryLimits.PinnedBytes() + MemoryLimits.LockedBytes();

    internal static SimulatedPort PortOf(Accelerator accelerator) => ((SimulatedDevice)accelerator.Device!).Port;

    /// <summary>A private simulator of one card whose ports hold <paramref name="ports"/> (model names).</summary>
    internal static Simulator Create(params string[] ports) => Create(null, ports);

    internal static Simulator Create(TimeProvider? time, params string[] ports)
    {
        var configuration = new SimulatorConfiguration { Time = time ?? TimeProvider.System };
        var card = new SimulatedCardConfiguration();
        foreach (var port in ports)
        {
            card.Ports.Add(port);
        }

        configuration.Cards.Add(card);
        return Simulator.Create(configuration);
    }

    /// <summary>Opens the accelerator with AFU id <paramref name="afuId"/> on <paramref name="simulator"/>.</summary>
    internal static Accelerator Open(Simulator simulator, Guid afuId, bool shared = false) =>
        simulator.Open(AcceleratorFilter.ForAfu(afuId), shared);

    /// <summary>An eventfd attached to interrupt <paramref name="vector"/> of the accelerator (what fpgaRegisterEvent does underneath).</summary>
    internal static SafeFileDescriptor Interrupt(Accelerator accelerator, int vector)
    {
        Assert.Equal(Errno.None, LinuxKernel.Instance.EventFd(0, Libc.EFD_NONBLOCK, out var fd));
        Assert.True(accelerator.Device!.Interrupts!.Attach(vector, fd!).IsOk);
        return fd!;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the eventfd to count, then reads (and clears) its counter.</summary>
    internal static ulong WaitInterrupt(SafeFileDescriptor fd, TimeSpan timeout)
    {
        Span<byte> counter = stackalloc byte[8];
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (LinuxKernel.Instance.Read(fd, counter, out var count) == Errno.None && count == 8)
            {
                return BitConverter.ToUInt64(counter);
            }

            if (DateTime.UtcNow > deadline)
            {
                return 0;
            }

            Thread.Sleep(1);
        }
    }

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
