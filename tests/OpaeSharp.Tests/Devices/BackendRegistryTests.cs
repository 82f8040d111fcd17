using OpaeSharp.Devices.Simulated.Afus;
using OpaeSharp.Devices;
using OpaeSharp.Devices.Simulated;
using OpaeSharp.Devices.Vfio;
using OpaeSharp.Enumeration;
using OpaeSharp.Tests.Devices.Dfl;
using OpaeSharp.Tests.Devices.Kernel;
using OpaeSharp.Tests.Devices.Vfio;

namespace OpaeSharp.Tests.Devices;

/// <summary>Which backends a program talks to, and that finding them has no side effects.</summary>
public sealed class BackendRegistryTests : IDisposable
{
    private readonly FakeKernel _kernel = new();
    private readonly BackendRegistry _registry;

    public BackendRegistryTests() => _registry = new BackendRegistry(_kernel, () => TestSim.NewBackend(), new VfioOptions());

    [Fact]
    public void Auto_on_a_machine_without_fpga_drivers_or_cards_is_the_simulator()
    {
        var resolution = _registry.Resolve(BackendKind.Auto);

        Assert.Equal([BackendKind.Simulated], resolution.Backends.Select(b => b.Kind));
        Assert.Null(resolution.Why);
    }

    [Fact]
    public void Auto_with_an_fpga_card_whose_driver_is_missing_finds_nothing_and_says_why()
    {
        _kernel.WriteFile("/sys/bus/pci/devices/0000:3b:00.0/vendor", "0x8086");
        _kernel.WriteFile("/sys/bus/pci/devices/0000:3b:00.0/device", "0x0b30");

        var resolution = _registry.Resolve(BackendKind.Auto);

        Assert.Empty(resolution.Backends);
        Assert.Contains("0000:3b:00.0", resolution.Why, StringComparison.Ordinal);
        var e = TestSim.Fails(FpgaResult.NotFound, () => Accelerator.Open(_registry, null, shared: false, BackendKind.Auto));
        Assert.Contains("no FPGA driver exposes it", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_with_a_dfl_card_uses_the_dfl_driver_and_never_the_simulator()
    {
        FakeDflCards.Add(_kernel, legacy: false);

        var found = Accelerator.Enumerate(_registry, [], BackendKind.Auto);

        Assert.NotEmpty(found);
        Assert.All(found, t => Assert.Equal(BackendKind.Dfl, t.Backend));
    }

    [Fact]
    public void Hardware_never_resolves_to_the_simulator()
    {
        Assert.DoesNotContain(_registry.Resolve(BackendKind.Hardware).Backends, b => b.Kind == BackendKind.Simulated);
        Assert.Empty(Accelerator.Enumerate(_registry, [], BackendKind.Hardware));
    }

    [Theory]
    [InlineData("hw", BackendKind.Hardware)]
    [InlineData("sim", BackendKind.Simulated)]
    [InlineData(" VFIO ", BackendKind.Vfio)]
    [InlineData("", BackendKind.Auto)]
    public void Backend_names_parse(string text, BackendKind kind) => Assert.Equal(kind, BackendRegistry.Parse(text));

    [Fact]
    public void Enumerating_vfio_functions_opens_no_device()
    {
        var vfio = new FakeVfio(_kernel);
        vfio.LoadAfu(Nlb0Afu.Id);

        var tokens = Accelerator.Enumerate(_registry, [], BackendKind.Auto);

        Assert.Equal(2, tokens.Count);
        Assert.Equal(0, _kernel.OpensOf("/dev/vfio/7"));
        Assert.Equal(0, vfio.Bar0Reads);
    }

    [Fact]
    public void Opening_by_afu_id_opens_the_vfio_group_exactly_once_and_keeps_that_open()
    {
        var vfio = new FakeVfio(_kernel);
        vfio.LoadAfu(Nlb0Afu.Id);

        using var acc = Accelerator.Open(_registry, AcceleratorFilter.ForAfu(Nlb0Afu.Id), shared: false, BackendKind.Auto);

        Assert.Equal(1, _kernel.OpensOf("/dev/vfio/7"));
        Assert.Equal(Nlb0Afu.Id, acc.Token.Guid);
        Assert.True(vfio.GroupOpen);
    }

    [Fact]
    public void Opening_by_an_afu_id_the_function_does_not_hold_opens_it_once_and_closes_it_again()
    {
        var vfio = new FakeVfio(_kernel);
        vfio.LoadAfu(Nlb0Afu.Id);

        TestSim.Fails(FpgaResult.NotFound, () => Accelerator.Open(_registry, AcceleratorFilter.ForAfu(Guid.NewGuid()), shared: false, BackendKind.Vfio));

        Assert.Equal(1, _kernel.OpensOf("/dev/vfio/7"));
        Assert.False(vfio.GroupOpen);
        Assert.Equal(0, _kernel.OpenDescriptors);
    }

    [Fact]
    public void Status_of_every_backend_opens_no_device()
    {
        var vfio = new FakeVfio(_kernel);
        vfio.LoadAfu(Nlb0Afu.Id);
        FakeDflCards.Add(_kernel, legacy: false);

        var status = _registry.Status();

        Assert.Equal(["sim", "dfl", "intel-fpga", "vfio"], status.Select(s => s.Name));
        Assert.Equal(0, _kernel.Calls(Syscall.Open));
    }

    public void Dispose() => _kernel.Dispose();
}
