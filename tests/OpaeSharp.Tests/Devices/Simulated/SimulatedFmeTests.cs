using OpaeSharp.Devices.Simulated;
using OpaeSharp.Devices.Simulated.Afus;

namespace OpaeSharp.Tests.Devices.Simulated;

public sealed class SimulatedFmeTests
{
    [Fact]
    public void Load_afu_replaces_the_model_and_sizes_the_vectors_to_it()
    {
        var card = TestSim.Create("nlb0").Backend.Cards[0];
        Assert.Equal(0, card.Ports[0].Interrupts.Count);
        Assert.True(card.Fme.LoadAfu(0, HostExerciserAfu.LoopbackId).IsOk);
        Assert.Equal(HostExerciserAfu.LoopbackId, card.Ports[0].AfuId);
        Assert.Equal(4, card.Ports[0].Interrupts.Count);
    }

    [Fact]
    public void Load_afu_refuses_an_open_port_an_unknown_id_and_a_missing_port()
    {
        var simulator = TestSim.Create("nlb0");
        var card = simulator.Backend.Cards[0];
        Assert.Equal(FpgaResult.NotFound, card.Fme.LoadAfu(0, Guid.NewGuid()).Result);
        Assert.Equal(FpgaResult.InvalidParam, card.Fme.LoadAfu(1, Nlb0Afu.Id).Result);
        using var acc = TestSim.Open(simulator, Nlb0Afu.Id);
        Assert.Equal(FpgaResult.Busy, card.Fme.LoadAfu(0, Nlb3Afu.Id).Result);
    }

    [Fact]
    public void Port_errors_survive_reconfiguration()
    {
        var card = TestSim.Create("nlb0").Backend.Cards[0];
        card.Ports[0].Errors.Set(SimulatedPort.ErrorsRegister, 2);
        Assert.True(card.Fme.LoadAfu(0, Nlb3Afu.Id).IsOk);
        Assert.Equal(2UL, card.Ports[0].Errors.Read(SimulatedPort.ErrorsRegister));
    }

    [Fact]
    public void The_user_clock_takes_frequencies_in_range_and_halves_high_for_a_zero_low()
    {
        var fme = TestSim.Create("nlb0").Backend.Cards[0].Fme;
        Assert.True(fme.SetUserClock(400, 0).IsOk);
        Assert.Equal((400_000_000UL, 200_000_000UL), fme.UserClock);
        Assert.Equal(FpgaResult.InvalidParam, fme.SetUserClock(2000, 0).Result);
        Assert.Equal(FpgaResult.InvalidParam, fme.SetUserClock(100, 200).Result);
        Assert.Equal((400_000_000UL, 200_000_000UL), fme.UserClock);
    }

    [Fact]
    public void Power_rises_while_an_afu_works()
    {
        var simulator = TestSim.Create("nlb3");
        var fme = simulator.Backend.Cards[0].Fme;
        var idle = fme.PowerWatts;
        using var acc = TestSim.Open(simulator, Nlb3Afu.Id);
        using var dsm = acc.PrepareBuffer(4096);
        using var input = acc.PrepareBuffer(4096);
        acc.WriteMmio32(NlbAfu.Ctl, 1);
        acc.WriteMmio64(NlbAfu.DsmBase, dsm.IoAddress);
        acc.WriteMmio64(NlbAfu.SrcAddr, input.IoAddress >> 6);
        acc.WriteMmio32(NlbAfu.NumLines, 8);
        acc.WriteMmio32(NlbAfu.Cfg, (1 << 2) | 2);
        acc.WriteMmio32(NlbAfu.Ctl, 3);
        Assert.True(SpinWait.SpinUntil(() => fme.PowerWatts > idle, TimeSpan.FromSeconds(30)));
        Assert.True(fme.TemperatureCelsius > 38);
        acc.WriteMmio32(NlbAfu.Ctl, 7);
    }

    [Fact]
    public void The_fme_has_the_error_registers_of_the_dfl_driver()
    {
        var fme = TestSim.Create("nlb0").Backend.Cards[0].Fme;
        Assert.Equal(["errors", "pcie0_errors", "pcie1_errors", "nonfatal_errors", "catfatal_errors", "inject_errors"], fme.Errors.Names);
    }
}
