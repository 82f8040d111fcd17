using OpaeSharp.Devices.Vfio;
using OpaeSharp.Enumeration;
using OpaeSharp.Tests.Devices.Kernel;
using OpaeSharp.Tests.Devices.Vfio;

namespace OpaeSharp.Tests.Devices;

/// <summary>The buffer suite on vfio-pci attached through iommufd (device cdev + IOAS), over a fake kernel.</summary>
public sealed class BufferSuiteVfioIommufd : BufferSuite
{
    private readonly FakeKernel _kernel = new();
    private readonly FakeVfio _vfio;
    private readonly VfioBackend _backend;

    public BufferSuiteVfioIommufd()
    {
        _vfio = new FakeVfio(_kernel, iommufd: true);
        _backend = new VfioBackend(_kernel, new VfioOptions { Iommu = VfioIommuMode.Iommufd });
    }

    private protected override ReadOnlyDecision ReadOnly => ReadOnlyDecision.DeviceReadsOnly;

    private protected override bool RequiresContiguous => false;

    private protected override int DeviceMappings => _vfio.Mappings.Count;

    private protected override bool DriverPins => true;

    private protected override FakeKernel Kernel => _kernel;

    private protected override int OpenDescriptors => _kernel.OpenDescriptors + _kernel.LiveMappings;

    private protected override Accelerator Open(bool shared = false) =>
        Accelerator.Open(_backend.Enumerate().First(t => t.ObjectType == FpgaObjectType.Accelerator), shared);

    private protected override bool DeviceMayWrite(SharedBuffer buffer) =>
        (_vfio.Mappings[buffer.IoAddress].Flags & OpaeSharp.Interop.Iommufd.IOMMU_IOAS_MAP_WRITEABLE) != 0;

    protected override void Dispose(bool disposing)
    {
        _kernel.Dispose();
        base.Dispose(disposing);
    }
}
