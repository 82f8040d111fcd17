using OpaeSharp.Devices;
using OpaeSharp.Devices.Dfl;
using OpaeSharp.Enumeration;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Devices.Dfl;

/// <summary>Partial reconfiguration through the DFL FME node: the interface check, the PR ioctl and its errors.</summary>
public sealed class DflReconfigureTests : IDisposable
{
    private readonly FakeKernel _kernel = new();
    private readonly FakeDflFme _fme = new();

    public DflReconfigureTests()
    {
        FakeDflCards.Add(_kernel, legacy: false);
        _kernel.AddNode("/dev/dfl-fme.0", _fme);
    }

    private Accelerator OpenDevice()
    {
        var device = new DflBackend(_kernel, DflDriver.Upstream).Enumerate().Single(t => t.ObjectType == FpgaObjectType.Device);
        return Accelerator.Open(device);
    }

    [Fact]
    public void The_bitstream_after_the_gbs_header_goes_to_the_driver_for_the_slot()
    {
        var payload = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
        using var device = OpenDevice();
        device.Reconfigure(GreenBitstream.Create(FakeDflCards.InterfaceId, FakeDflCards.Nlb0, "nlb0", payload));

        Assert.Equal(payload, _fme.Loaded);
        Assert.Equal(0u, _fme.LoadedPort);
        Assert.Equal(0, _kernel.OpenDescriptors);
    }

    [Fact]
    public void An_image_for_another_interface_never_reaches_the_driver()
    {
        using var device = OpenDevice();
        TestSim.Fails(FpgaResult.InvalidParam, () => device.Reconfigure(GreenBitstream.Create(Guid.NewGuid(), FakeDflCards.Nlb0, "nlb0", new byte[8])));
        Assert.Null(_fme.Loaded);
    }

    [Fact]
    public void A_busy_port_is_busy_and_a_refused_bitstream_a_reconfiguration_error()
    {
        using var device = OpenDevice();
        _fme.PortBusy = true;
        TestSim.Fails(FpgaResult.Busy, () => device.Reconfigure(GreenBitstream.Create(FakeDflCards.InterfaceId, FakeDflCards.Nlb0, "nlb0", new byte[8])));
        _fme.PortBusy = false;
        TestSim.Fails(FpgaResult.ReconfError, () => device.Reconfigure(GreenBitstream.Create(FakeDflCards.InterfaceId, FakeDflCards.Nlb0, "nlb0", new byte[7])));
        Assert.Equal(0, _kernel.OpenDescriptors);
    }

    public void Dispose() => _kernel.Dispose();
}
