using OpaeSharp.Devices.Dfl;
using OpaeSharp.Enumeration;
using OpaeSharp.Tests.Devices.Dfl;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Devices;

/// <summary>The buffer suite on the upstream DFL port driver, over a fake kernel.</summary>
public sealed class BufferSuiteDfl : BufferSuite
{
    private readonly FakeKernel _kernel = new();
    private readonly FakeDflPort _port;
    private readonly DflBackend _backend;

    public BufferSuiteDfl()
    {
        _port = FakeDflCards.Add(_kernel, Legacy);
        _backend = new DflBackend(_kernel, Legacy ? DflDriver.Legacy : DflDriver.Upstream);
    }

    private static bool Legacy => false;

    private protected override ReadOnlyDecision ReadOnly => ReadOnlyDecision.NotSupported;

    private protected override bool RequiresContiguous => true;

    private protected override int DeviceMappings => _port.MappingCount;

    private protected override bool DriverPins => true;

    private protected override FakeKernel Kernel => _kernel;

    private protected override int OpenDescriptors => _kernel.OpenDescriptors + _kernel.LiveMappings;

    private protected override Accelerator Open(bool shared = false) =>
        Accelerator.Open(_backend.Enumerate().First(t => t.ObjectType == FpgaObjectType.Accelerator), shared);

    // Upstream maps every buffer both ways: it has no flags.
    private protected override bool DeviceMayWrite(SharedBuffer buffer) => _port.FlagsOf(buffer.IoAddress) == 0;

    protected override void Dispose(bool disposing)
    {
        _kernel.Dispose();
        base.Dispose(disposing);
    }
}
