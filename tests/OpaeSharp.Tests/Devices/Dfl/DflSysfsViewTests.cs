using OpaeSharp.Devices.Dfl;
using OpaeSharp.Enumeration;
using OpaeSharp.Objects;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Devices.Dfl;

/// <summary>Properties, sysobjects and error registers of a DFL card, read from the driver's sysfs attributes.</summary>
public sealed class DflSysfsViewTests : IDisposable
{
    private const string Region = "/sys/devices/pci0000:3a/0000:3a:00.0/0000:3b:00.0/fpga_region/region0";
    private const string Fme = Region + "/dfl-fme.0";
    private const string Port = Region + "/dfl-port.0";
    private readonly FakeKernel _kernel = new();

    public DflSysfsViewTests()
    {
        FakeDflCards.Add(_kernel, legacy: false);
        _kernel.WriteFile(Fme + "/dev", "509:0");
        _kernel.WriteFile(Fme + "/ports_num", "1");
        _kernel.WriteFile(Fme + "/bitstream_id", "0x0225000000000001");
        _kernel.WriteFile(Fme + "/errors/pcie0_errors", "0x0");
        _kernel.WriteFile(Fme + "/errors/catfatal_errors", "0x4");
        _kernel.WriteFile(Fme + "/errors/revision", "1");
        _kernel.WriteFile(Port + "/dev", "510:3");
        _kernel.WriteFile(Port + "/errors/errors", "18");
        _kernel.WriteFile(Port + "/errors/first_error", "0x2");
        _kernel.WriteFile("/sys/devices/pci0000:3a/0000:3a:00.0/0000:3b:00.0/subsystem_vendor", "0x8086");
        _kernel.WriteFile("/sys/devices/pci0000:3a/0000:3a:00.0/0000:3b:00.0/subsystem_device", "0x1771");
    }

    private AcceleratorToken Device => new DflBackend(_kernel, DflDriver.Upstream).Enumerate().Single(t => t.ObjectType == FpgaObjectType.Device);

    private AcceleratorToken PortToken => new DflBackend(_kernel, DflDriver.Upstream).Enumerate().Single(t => t.ObjectType == FpgaObjectType.Accelerator);

    [Fact]
    public void The_fme_reports_slots_bitstream_id_and_its_version_from_sysfs()
    {
        Assert.Equal(1u, Device.SlotCount);
        Assert.Equal(0x0225000000000001UL, Device.BitstreamId);
        Assert.Equal(new Version(2, 2, 5), Device.BitstreamVersion);
        Assert.Equal(FpgaInterface.Dfl, Device.Interface);
        Assert.Equal((ushort)0x1771, Device.SubsystemDeviceId);
    }

    [Fact]
    public void The_object_id_is_the_device_number_as_opae_packs_it()
    {
        Assert.Equal((509UL << 20) | 0, Device.ObjectId);
        Assert.Equal((510UL << 20) | 3, PortToken.ObjectId);
    }

    [Fact]
    public void Error_registers_leave_out_revision_and_are_numbered_in_natural_order()
    {
        var errors = Device.ReadErrors();
        Assert.Equal(["catfatal_errors", "pcie0_errors"], errors.Select(e => e.Name));
        Assert.Equal(0x4UL, errors[0].Value);
        Assert.False(errors[0].CanClear);
        Assert.True(errors[1].CanClear);
        Assert.Equal(2u, Device.ErrorCount);
    }

    [Fact]
    public void Clearing_a_port_error_writes_the_value_it_holds_back()
    {
        PortToken.ClearErrors();
        // The driver reads "18", and clears by being given that value back (OPAE writes it in hex).
        Assert.Equal("0x12", _kernel.ReadAttribute(Port + "/errors/errors"));
    }

    [Fact]
    public void A_token_object_reads_the_attribute_and_a_glob_of_several_is_a_group()
    {
        Assert.Equal(0x0225000000000001UL, Device.GetObject("bitstream_id").Read64());
        var group = Device.GetObject("errors/*_errors");
        Assert.True(group.IsGroup);
        Assert.Equal(["catfatal_errors", "pcie0_errors"], group.Children.Select(c => c.Name));
    }

    [Fact]
    public void A_token_object_cannot_be_written()
    {
        var attribute = Device.GetObject("errors/pcie0_errors");
        Assert.Equal(FpgaResult.InvalidParam, TestSim.Fails(FpgaResult.InvalidParam, () => attribute.Write64(1)).Result);
    }

    [Fact]
    public void A_name_that_leaves_the_object_is_invalid_and_a_missing_one_not_found()
    {
        TestSim.Fails(FpgaResult.InvalidParam, () => Device.GetObject("../dfl-port.0/afu_id"));
        TestSim.Fails(FpgaResult.InvalidParam, () => Device.GetObject("/etc/passwd"));
        TestSim.Fails(FpgaResult.NotFound, () => Device.GetObject("no_such_attribute"));
    }

    [Fact]
    public void Sync_rereads_and_without_it_the_object_keeps_what_it_read()
    {
        var status = FpgaObject.Find(Device, "errors/pcie0_errors", ObjectFlags.None, writable: false, out var node);
        Assert.True(status.IsOk);
        _kernel.WriteFile(Fme + "/errors/pcie0_errors", "0x8");
        Assert.True(node!.Read64(ObjectFlags.None, out var stale).IsOk);
        Assert.Equal(0UL, stale);
        Assert.True(node.Read64(ObjectFlags.Sync, out var fresh).IsOk);
        Assert.Equal(8UL, fresh);
    }

    [Fact]
    public void Recurse_one_makes_one_level_of_children()
    {
        Assert.True(FpgaObject.Find(Device, "errors", ObjectFlags.RecurseOne, writable: false, out var errors).IsOk);
        Assert.Equal(3, errors!.Children.Count);
        Assert.True(FpgaObject.Find(Device, "errors", ObjectFlags.None, writable: false, out var flat).IsOk);
        Assert.Empty(flat!.Children);
    }

    public void Dispose() => _kernel.Dispose();
}
