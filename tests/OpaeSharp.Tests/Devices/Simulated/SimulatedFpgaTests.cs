using OpaeSharp.Devices.Simulated.Afus;
using OpaeSharp.Devices;
using OpaeSharp.Devices.Simulated;
using OpaeSharp.Enumeration;

namespace OpaeSharp.Tests.Devices.Simulated;

/// <summary>The simulated card's FME and port as programs see them: sysfs attributes, errors, reconfiguration, user clock, metrics.</summary>
public sealed class SimulatedFpgaTests
{
    private readonly SimulatedBackend _backend = TestSim.NewBackend();

    private AcceleratorToken Device => TestSim.DeviceOf(_backend);

    private AcceleratorToken Port => TestSim.AcceleratorOf(_backend);

    [Fact]
    public void The_simulated_fme_reports_a_slot_a_bitstream_version_and_the_dfl_interface()
    {
        Assert.Equal(1u, Device.SlotCount);
        Assert.Equal(new Version(1, 2, 3), Device.BitstreamVersion);
        Assert.Equal(FpgaInterface.SimulatedDfl, Device.Interface);
        Assert.Equal(SimulatedBackend.InterfaceId, Guid.ParseExact(Device.GetObject("dfl-fme-region.0/fpga_region/region10/compat_id").ReadText(), "N"));
        Assert.Equal(Device.BitstreamId, Device.GetObject("bitstream_id").Read64());
    }

    [Fact]
    public void The_port_reports_one_mmio_region_its_state_and_its_afu_id_in_sysfs()
    {
        Assert.Equal(1u, Port.MmioRegionCount);
        Assert.Equal(AcceleratorState.Unassigned, Port.State);
        Assert.Equal(Nlb0Afu.Id, Guid.ParseExact(Port.GetObject("afu_id").ReadText(), "N"));
        using var open = Accelerator.Open(Port);
        Assert.Equal(AcceleratorState.Assigned, TestSim.AcceleratorOf(_backend).State);
    }

    [Fact]
    public void Writing_inject_errors_through_a_handle_raises_the_fme_error_bits()
    {
        var raised = new List<(string, ulong)>();
        _backend.Cards[0].FmeErrors.Raised += (name, bits) => raised.Add((name, bits));
        using var fme = Accelerator.Open(Device, shared: true);
        fme.GetObject("errors/inject_errors").Write64(0x2);

        Assert.Equal([("inject_errors", 0x2UL)], raised);
        Assert.Equal(0x2UL, Device.ReadErrors().Single(e => e.Name == "inject_errors").Value);
    }

    [Fact]
    public void Inject_errors_takes_only_the_three_inject_bits()
    {
        using var fme = Accelerator.Open(Device, shared: true);
        TestSim.Fails(FpgaResult.Exception, () => fme.GetObject("errors/inject_errors").Write64(0x8));
    }

    [Fact]
    public void A_port_error_set_by_the_card_is_read_and_cleared_by_writing_it_back()
    {
        _backend.Cards[0].PortErrors.Set("errors", 0x40);
        Assert.Equal(0x40UL, Port.ReadErrors().Single(e => e.Name == "errors").Value);
        Assert.Equal(0x40UL, Port.ReadErrors().Single(e => e.Name == "first_error").Value);

        Port.ClearErrors();

        Assert.Equal(0UL, _backend.Cards[0].PortErrors.Read("errors"));
    }

    [Fact]
    public void The_fme_lists_its_error_registers_as_the_dfl_driver_names_them()
    {
        Assert.Equal(
            ["catfatal_errors", "first_error", "fme_errors", "inject_errors", "next_error", "nonfatal_errors", "pcie0_errors", "pcie1_errors"],
            Device.ReadErrors().Select(e => e.Name));
        Assert.Equal(8u, Device.ErrorCount);
    }

    [Fact]
    public void A_gbs_for_the_simulated_interface_reconfigures_the_slot_and_sets_its_user_clock()
    {
        var gbs = GreenBitstream.Create(SimulatedBackend.InterfaceId, Nlb0Afu.Id, "nlb0", new byte[16], clockHighMhz: 400, clockLowMhz: 200);
        using (var fme = Accelerator.Open(Device))
        {
            fme.Reconfigure(gbs);
        }

        using var port = Accelerator.Open(Port);
        Assert.Equal((400_000_000UL, 200_000_000UL), port.GetUserClock());
    }

    [Fact]
    public void A_gbs_for_another_interface_is_invalid_param()
    {
        var gbs = GreenBitstream.Create(Guid.NewGuid(), Nlb0Afu.Id, "nlb0", new byte[16]);
        using var fme = Accelerator.Open(Device);
        TestSim.Fails(FpgaResult.InvalidParam, () => fme.Reconfigure(gbs));
    }

    [Fact]
    public void Reconfiguring_a_slot_whose_accelerator_is_open_is_busy()
    {
        var gbs = GreenBitstream.Create(SimulatedBackend.InterfaceId, Nlb0Afu.Id, "nlb0", new byte[16]);
        using var port = Accelerator.Open(Port);
        using var fme = Accelerator.Open(Device);
        TestSim.Fails(FpgaResult.Busy, () => fme.Reconfigure(gbs));
    }

    [Fact]
    public void An_image_of_an_afu_the_simulator_cannot_model_is_a_reconfiguration_error()
    {
        var gbs = GreenBitstream.Create(SimulatedBackend.InterfaceId, Guid.NewGuid(), "unknown", new byte[16]);
        using var fme = Accelerator.Open(Device);
        TestSim.Fails(FpgaResult.ReconfError, () => fme.Reconfigure(gbs));
    }

    [Fact]
    public void Data_that_is_not_a_gbs_is_invalid_param_and_so_is_an_accelerator_handle()
    {
        using (var fme = Accelerator.Open(Device))
        {
            TestSim.Fails(FpgaResult.InvalidParam, () => fme.Reconfigure(new byte[100]));
        }

        using var port = Accelerator.Open(Port);
        TestSim.Fails(FpgaResult.InvalidParam, () => port.Reconfigure(GreenBitstream.Create(SimulatedBackend.InterfaceId, Nlb0Afu.Id, "nlb0", [])));
    }

    [Fact]
    public void A_gbs_round_trips_its_interface_afu_and_clocks()
    {
        var gbs = GreenBitstream.Create(SimulatedBackend.InterfaceId, Nlb0Afu.Id, "nlb0", new byte[8], 300, 150);
        Assert.True(GreenBitstream.TryParse(gbs, out var image).IsOk);
        Assert.Equal(SimulatedBackend.InterfaceId, image!.InterfaceId);
        Assert.Equal(Nlb0Afu.Id, image.AfuId);
        Assert.Equal((300, 150), (image.ClockHighMhz, image.ClockLowMhz));
        Assert.Equal(gbs.Length - 8, image.PayloadOffset);
    }

    [Theory]
    [InlineData(24UL, 0UL)]
    [InlineData(1201UL, 0UL)]
    [InlineData(300UL, 400UL)]
    public void A_user_clock_out_of_range_is_invalid_param(ulong high, ulong low)
    {
        using var port = Accelerator.Open(Port);
        TestSim.Fails(FpgaResult.InvalidParam, () => port.SetUserClock(high, low));
    }

    [Fact]
    public void A_user_clock_with_no_low_frequency_runs_the_low_clock_at_half()
    {
        using var port = Accelerator.Open(Port);
        port.SetUserClock(500);
        Assert.Equal((500_000_000UL, 250_000_000UL), port.GetUserClock());
        Assert.Equal($"{250_000} {500_000}", Port.GetObject("dfl-uclk.0/userclk/frequency").ReadText());
    }

    [Fact]
    public void The_device_reports_temperature_power_and_mmio_counters_that_follow_the_afu()
    {
        using var fme = Accelerator.Open(Device, shared: true);
        var before = fme.ReadMetrics().Single(m => m.Name == "fabric:mmio_read").Value;
        using (var port = Accelerator.Open(Port))
        {
            port.ReadMmio64(0);
        }

        var metrics = fme.ReadMetrics();
        Assert.Contains(metrics, m => m.Kind == MetricKind.Thermal && m.Units == "Celsius" && m.Value > 0);
        Assert.Contains(metrics, m => m.Kind == MetricKind.Power && m.Units == "Watts" && m.Value > 0);
        Assert.Equal(before + 1, metrics.Single(m => m.Name == "fabric:mmio_read").Value);
    }

    [Fact]
    public void The_perf_clock_and_fabric_counters_are_where_object_api_globs_for_them()
    {
        Assert.True(Device.GetObject("*perf/clock").Read64() > 0);
        var fabric = Device.GetObject("*perf/fabric");
        Assert.Contains(fabric.Children, c => c.Name == "mmio_write");
        Assert.Equal(0UL, fabric.GetObject("mmio_write").Read64());
    }
}
