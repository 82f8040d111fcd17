using OpaeSharp.Devices.Dfl;
using OpaeSharp.Enumeration;
using OpaeSharp.Interop;
using OpaeSharp.Tests.Devices.Dfl;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Devices;

/// <summary>The buffer suite on the legacy intel-fpga port driver, over a fake kernel.</summary>
public sealed class BufferSuiteLegacyDfl : BufferSuite
{
    private readonly FakeKernel _kernel = new();
    private readonly FakeDflPort _port;
    private readonly DflBackend _backend;

    public BufferSuiteLegacyDfl()
    {
        _port = FakeDflCards.Add(_kernel, Legacy);
        _backend = new DflBackend(_kernel, Legacy ? DflDriver.Legacy : DflDriver.Upstream);
    }

    private static bool Legacy => true;

    private protected override ReadOnlyDecision ReadOnly => ReadOnlyDecision.DeviceReadsOnly;

    private protected override bool RequiresContiguous => true;

    private protected override int DeviceMappings => _port.MappingCount;

    private protected override bool DriverPins => true;

    private protected override FakeKernel Kernel => _kernel;

    private protected override int OpenDescriptors => _kernel.OpenDescriptors + _kernel.LiveMappings;

    private protected override Accelerator Open(bool shared = false) =>
        Accelerator.Open(_backend.Enumerate().First(t => t.ObjectType == FpgaObjectType.Accelerator), shared);

    private protected override bool DeviceMayWrite(SharedBuffer buffer) => (_port.FlagsOf(buffer.IoAddress) & IntelFpga.FPGA_DMA_FROM_DEV) != 0;

    protected override void Dispose(bool disposing)
    {
        _kernel.Dispose();
        base.Dispose(disposing);
    }
}
