using OpaeSharp.Devices;
using OpaeSharp.Devices.Simulated;

namespace OpaeSharp.Tests.Devices;

/// <summary>The buffer suite on the embedded simulator.</summary>
public sealed class BufferSuiteSimulated : BufferSuite
{
    private readonly SimulatedBackend _backend = TestSim.NewBackend();

    private protected override ReadOnlyDecision ReadOnly => ReadOnlyDecision.DeviceReadsOnly;

    private protected override bool RequiresContiguous => false;

    private protected override int DeviceMappings => _backend.Cards[0].Iommu.Count;

    private protected override Accelerator Open(bool shared = false) => Accelerator.Open(TestSim.AcceleratorOf(_backend), shared);

    private protected override bool DeviceMayWrite(SharedBuffer buffer)
    {
        var mapping = _backend.Cards[0].Iommu.Enter(buffer.IoAddress, 1, DmaAccess.Write, "test");
        mapping?.Exit();
        return mapping is not null;
    }
}
