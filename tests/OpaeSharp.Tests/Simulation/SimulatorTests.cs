using OpaeSharp.Devices.Simulated.Afus;
using OpaeSharp.Simulation;

namespace OpaeSharp.Tests.Simulation;

public sealed class SimulatorTests
{
    [Fact]
    public void Loading_an_afu_into_a_closed_port_changes_the_id_it_enumerates_with()
    {
        var simulator = TestSim.Create("nlb0");
        simulator.LoadAfu(0, 0, HostExerciserAfu.LoopbackId);
        Assert.Equal(HostExerciserAfu.LoopbackId, simulator.AfuIdOf(0, 0));
        using var acc = TestSim.Open(simulator, HostExerciserAfu.LoopbackId);
        Assert.Equal("he-lpbk", SimulatedAccelerator.Of(acc)!.Model.Name);
    }

    [Fact]
    public void Loading_into_an_open_port_is_busy()
    {
        var simulator = TestSim.Create("nlb0");
        using var acc = TestSim.Open(simulator, Nlb0Afu.Id);
        TestSim.Fails(FpgaResult.Busy, () => simulator.LoadAfu(0, 0, HelloAfu.Id));
        Assert.Equal(Nlb0Afu.Id, simulator.AfuIdOf(0, 0));
    }

    [Fact]
    public void Loading_an_id_no_model_has_is_not_found()
    {
        var simulator = TestSim.Create("nlb0");
        var e = TestSim.Fails(FpgaResult.NotFound, () => simulator.LoadAfu(0, 0, Guid.NewGuid()));
        Assert.Contains("nlb3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_model_registered_in_the_configuration_can_be_loaded_by_id()
    {
        var configuration = new SimulatorConfiguration().AddModel("mine", () => new Mine());
        configuration.Cards.Add(new SimulatedCardConfiguration { Ports = { "nlb0" } });
        var simulator = Simulator.Create(configuration);
        simulator.LoadAfu(0, 0, Mine.Id);
        using var acc = TestSim.Open(simulator, Mine.Id);
        Assert.Equal(Mine.Id, acc.Token.Guid);
    }

    [Fact]
    public void Open_with_no_match_is_not_found_and_says_what_the_simulator_has()
    {
        var simulator = TestSim.Create("nlb0");
        var e = TestSim.Fails(FpgaResult.NotFound, () => simulator.Open(OpaeSharp.Enumeration.AcceleratorFilter.ForAfu(HelloAfu.Id)));
        Assert.Contains("nlb0", e.Message, StringComparison.Ordinal);
    }

    private sealed class Mine : AfuModel
    {
        internal static readonly Guid Id = new("6a1f5c34-52e9-4b0f-8e0e-0f7d9f1c2a10");

        public override Guid AfuId => Id;
    }
}
