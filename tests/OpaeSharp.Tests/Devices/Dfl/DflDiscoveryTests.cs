using OpaeSharp.Devices.Dfl;
using OpaeSharp.Enumeration;
using OpaeSharp.Interop;
using OpaeSharp.Memory;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Devices.Dfl;

public sealed class DflDiscoveryTests : IDisposable
{
    private readonly FakeKernel _kernel = new();

    [Fact]
    public void A_dfl_card_is_one_fpga_device_and_one_accelerator_with_the_port_afu_id_and_pci_identity()
    {
        FakeDflCards.Add(_kernel, legacy: false);
        var tokens = new DflBackend(_kernel, DflDriver.Upstream).Enumerate();

        Assert.Equal(2, tokens.Count);
        var device = Assert.Single(tokens, t => t.ObjectType == FpgaObjectType.Device);
        var port = Assert.Single(tokens, t => t.ObjectType == FpgaObjectType.Accelerator);
        Assert.Equal(FakeDflCards.Nlb0, port.Guid);
        Assert.Equal(FakeDflCards.InterfaceId, device.Guid);
        Assert.Same(device, port.Parent);
        Assert.Equal("0000:3b:00.0", port.PciAddress);
        Assert.Equal((ushort)0x8086, port.VendorId);
        Assert.Equal((ushort)0x0b30, port.DeviceId);
        Assert.Equal((byte)1, port.SocketId);
        Assert.Equal("/dev/dfl-port.0", port.Name);
        Assert.Equal(BackendKind.Dfl, port.Backend);
    }

    [Fact]
    public void A_legacy_intel_fpga_card_is_found_under_sys_class_fpga()
    {
        FakeDflCards.Add(_kernel, legacy: true, pci: "0000:5e:00.0");
        var tokens = new DflBackend(_kernel, DflDriver.Legacy).Enumerate();

        var port = Assert.Single(tokens, t => t.ObjectType == FpgaObjectType.Accelerator);
        Assert.Equal("/dev/intel-fpga-port.0", port.Name);
        Assert.Equal(FakeDflCards.Nlb0, port.Guid);
        Assert.Equal((byte)0x5e, port.Bus);
        Assert.Equal(FakeDflCards.InterfaceId, port.Parent!.Guid);
    }

    [Fact]
    public void Filters_select_by_guid_bus_and_parent_as_on_the_simulator()
    {
        var other = Guid.NewGuid();
        FakeDflCards.Add(_kernel, legacy: false, index: 0, pci: "0000:3b:00.0");
        FakeDflCards.Add(_kernel, legacy: false, index: 1, pci: "0000:af:00.0", afuId: other);
        var backend = new DflBackend(_kernel, DflDriver.Upstream);
        var tokens = backend.Enumerate();

        var byGuid = tokens.Where(AcceleratorFilter.ForAfu(other).Matches).ToList();
        var byBus = tokens.Where(new AcceleratorFilter { Bus = 0x3b, ObjectType = FpgaObjectType.Accelerator }.Matches).ToList();
        var secondDevice = tokens.Single(t => t.ObjectType == FpgaObjectType.Device && t.Bus == 0xaf);
        var byParent = tokens.Where(new AcceleratorFilter { Parent = secondDevice }.Matches).ToList();

        Assert.Equal("/dev/dfl-port.1", Assert.Single(byGuid).Name);
        Assert.Equal("/dev/dfl-port.0", Assert.Single(byBus).Name);
        Assert.Equal("/dev/dfl-port.1", Assert.Single(byParent).Name);
    }

    [Fact]
    public void Without_the_driver_nothing_is_found_and_the_status_says_to_load_it()
    {
        var backend = new DflBackend(_kernel, DflDriver.Upstream);

        Assert.Empty(backend.Enumerate());
        var status = backend.Status();
        Assert.False(status.Available);
        Assert.Contains("modprobe dfl-pci", status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_port_this_user_may_not_open_is_reported_as_no_permission()
    {
        FakeDflCards.Add(_kernel, legacy: false);
        _kernel.DenyAccess("/dev/dfl-port.0", Errno.EACCES);

        var status = new DflBackend(_kernel, DflDriver.Upstream).Status();

        Assert.False(status.Available);
        Assert.Contains("no permission on /dev/dfl-port.0", status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_warns_when_no_2_MiB_hugepages_are_free()
    {
        FakeDflCards.Add(_kernel, legacy: false);
        var status = new DflBackend(_kernel, DflDriver.Upstream).Status();

        Assert.True(status.Available);
        Assert.Contains("no free 2 MiB hugepages", status.Detail, StringComparison.Ordinal);
    }

    public void Dispose() => _kernel.Dispose();
}
