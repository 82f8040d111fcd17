using OpaeSharp.Devices;
using OpaeSharp.Devices.Simulated;
using OpaeSharp.Memory;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Devices;

/// <summary>The buffer suite on the embedded simulator (memory calls through a fake kernel that reaches the real one).</summary>
public sealed class BufferSuiteSimulated : BufferSuite
{
    private readonly FakeKernel _kernel = new();
    private readonly SimulatedBackend _backend;

    public BufferSuiteSimulated() => _backend = TestSim.NewBackend(memory: new BufferAllocator(_kernel, new HugePages(_kernel)));

    private protected override ReadOnlyDecision ReadOnly => ReadOnlyDecision.DeviceReadsOnly;

    private protected override bool RequiresContiguous => false;

    private protected override bool DriverPins => false;

    private protected override FakeKernel Kernel => _kernel;

    private protected override int DeviceMappings => _backend.Cards[0].Iommu.Count;

    private protected override Accelerator Open(bool shared = false) => Accelerator.Open(TestSim.AcceleratorOf(_backend), shared);

    private protected override bool DeviceMayWrite(SharedBuffer buffer)
    {
        var mapping = _backend.Cards[0].Iommu.Enter(buffer.IoAddress, 1, DmaAccess.Write, "test");
        mapping?.Exit();
        return mapping is not null;
    }

    protected override void Dispose(bool disposing)
    {
        _kernel.Dispose();
        base.Dispose(disposing);
    }
}
