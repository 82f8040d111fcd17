using OpaeSharp.Devices.Simulated.Afus;
using OpaeSharp.Enumeration;
using OpaeSharp.Simulation;

namespace OpaeSharp.Tests.Simulation;

public sealed class SimulatorConfigurationTests
{
    private const string TwoCardsTwoPorts = """
        {
          // comments and trailing commas are allowed
          "cards": [
            { "pci": "0000:5e:00.0", "ports": [ "nlb0", "he-lpbk" ] },
            { "pci": "af:00.2", "link": { "gbps": 16, "latencyNs": 800 },
              "ports": [ { "afu": "dummy-afu", "faults": [ { "kind": "dmaFailure", "after": 2, "ioAddress": "0x1000", "length": 64 } ] }, "hello-afu" ] },
          ],
        }
        """;

    [Fact]
    public void Two_cards_of_two_ports_enumerate_as_two_devices_and_four_accelerators_at_their_pci_addresses()
    {
        var simulator = Simulator.Create(SimulatorConfiguration.Parse(TwoCardsTwoPorts));
        var tokens = simulator.Enumerate();
        var devices = tokens.Where(t => t.ObjectType == FpgaObjectType.Device).ToList();
        var accelerators = tokens.Where(t => t.ObjectType == FpgaObjectType.Accelerator).ToList();

        Assert.Equal(["0000:5e:00.0", "0000:af:00.2"], devices.Select(d => d.PciAddress));
        Assert.Equal(
            ["0000:5e:00.0", "0000:5e:00.1", "0000:af:00.2", "0000:af:00.3"],
            accelerators.Select(a => a.PciAddress));
        Assert.Equal([Nlb0Afu.Id, HostExerciserAfu.LoopbackId, DummyAfu.Id, HelloAfu.Id], accelerators.Select(a => a.Guid));
        Assert.Same(devices[1], accelerators[3].Parent);
    }

    [Fact]
    public void Each_port_opens_on_its_own_and_both_ports_of_a_card_share_its_iommu()
    {
        var simulator = Simulator.Create(SimulatorConfiguration.Parse(TwoCardsTwoPorts));
        using var nlb0 = TestSim.Open(simulator, Nlb0Afu.Id);
        using var he = TestSim.Open(simulator, HostExerciserAfu.LoopbackId);
        using var hello = TestSim.Open(simulator, HelloAfu.Id);
        Assert.Same(TestSim.CardOf(nlb0), TestSim.CardOf(he));
        Assert.NotSame(TestSim.CardOf(nlb0), TestSim.CardOf(hello));
        Assert.Equal((1, 1), (SimulatedAccelerator.Of(hello)!.Card, SimulatedAccelerator.Of(hello)!.Port));
        using var buffer = nlb0.PrepareBuffer(4096);
        Assert.Equal(1, TestSim.CardOf(he).Iommu.Count);
        Assert.Equal(0, TestSim.CardOf(hello).Iommu.Count);
    }

    [Fact]
    public void A_card_link_and_port_faults_are_read_from_json()
    {
        var configuration = SimulatorConfiguration.Parse(TwoCardsTwoPorts);
        Assert.Null(configuration.Cards[0].Link);
        Assert.Equal(new LinkModel(16, TimeSpan.FromMicroseconds(0.8)), configuration.Cards[1].Link);
        var fault = Assert.Single(configuration.Cards[1].Ports[0].Faults);
        Assert.Equal(new InjectedFault(FaultKind.DmaFailure) { After = 2, IoAddress = 0x1000, Length = 64 }, fault);
        var simulator = Simulator.Create(configuration);
        using var dummy = TestSim.Open(simulator, DummyAfu.Id);
        Assert.Equal([fault], SimulatedAccelerator.Of(dummy)!.ArmedFaults);
    }

    [Fact]
    public void A_count_repeats_a_card_on_the_following_buses()
    {
        var configuration = SimulatorConfiguration.Parse("""{ "cards": [ { "pci": "0000:3b:00.0", "count": 3, "ports": [ "nlb0" ] } ] }""");
        Assert.Equal(["0000:3b:00.0", "0000:3c:00.0", "0000:3d:00.0"], configuration.Cards.Select(c => c.PciAddress));
    }

    [Fact]
    public void An_unknown_model_names_its_place_and_the_known_models()
    {
        var e = TestSim.Fails(FpgaResult.InvalidParam, () => Simulator.Create(SimulatorConfiguration.Parse("""{ "cards": [ { "ports": [ "nlb0", "nlb9" ] } ] }""")));
        Assert.Contains("card 0 port 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("\"nlb9\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("he-lpbk", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "cards": [ { "ports": [ "nlb0" ], "colour": 1 } ] }""", "cards[0].colour: unknown setting")]
    [InlineData("""{ "cards": [ { "ports": [ { "afu": "nlb0", "faults": [ { "kind": "explode" } ] } ] } ] }""", "cards[0].ports[0].faults[0].kind")]
    [InlineData("""{ "cards": [ { "link": { "latencyNs": 5 }, "ports": [ "nlb0" ] } ] }""", "cards[0].link: a link needs \"gbps\"")]
    [InlineData("""{ "cards": [ { } ] }""", "cards[0]: a card needs \"ports\"")]
    [InlineData("""{ "cards": [ """, "not valid JSON")]
    [InlineData("""{ "models": [ { "name": "x" } ] }""", "models[0]: a model is a C \"plugin\"")]
    public void A_malformed_file_is_invalid_param_naming_the_place(string json, string expected)
    {
        var e = TestSim.Fails(FpgaResult.InvalidParam, () => SimulatorConfiguration.Parse(json));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_cards_at_one_pci_address_are_refused()
    {
        var configuration = new SimulatorConfiguration();
        configuration.Cards.Add(new SimulatedCardConfiguration { PciAddress = "0000:3b:00.0", Ports = { "nlb0" } });
        configuration.Cards.Add(new SimulatedCardConfiguration { PciAddress = "0000:3b:00.4", Ports = { "nlb0" } });
        var e = TestSim.Fails(FpgaResult.InvalidParam, () => Simulator.Create(configuration));
        Assert.Contains("already another card's", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dotnet_model_is_loaded_from_the_assembly_and_type_the_json_names()
    {
        var assembly = typeof(DocsExampleTests.ChecksumAfu).Assembly.Location;
        var json = $$"""
            { "models": [ { "name": "checksum", "assembly": "{{assembly}}", "type": "{{typeof(DocsExampleTests.ChecksumAfu).FullName}}" } ],
              "cards": [ { "ports": [ "checksum" ] } ] }
            """;
        var simulator = Simulator.Create(SimulatorConfiguration.Parse(json));
        Assert.Equal(DocsExampleTests.ChecksumAfu.Id, simulator.AfuIdOf(0, 0));
    }

    [Fact]
    public void A_type_that_is_no_afu_model_is_refused_naming_it()
    {
        var json = $$"""
            { "models": [ { "name": "x", "assembly": "{{typeof(SimulatorConfigurationTests).Assembly.Location}}", "type": "{{typeof(SimulatorConfigurationTests).FullName}}" } ] }
            """;
        var e = TestSim.Fails(FpgaResult.InvalidParam, () => SimulatorConfiguration.Parse(json));
        Assert.Contains("deriving from AfuModel", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_plugin_is_not_found_naming_the_file()
    {
        var e = TestSim.Fails(FpgaResult.InvalidParam, () => SimulatorConfiguration.Parse("""{ "models": [ { "name": "x", "plugin": "/nonexistent/libx.so" } ] }"""));
        Assert.Contains("/nonexistent/libx.so", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configuration_file_is_read_from_disk()
    {
        var path = Path.Combine(Path.GetTempPath(), $"opaesharp-sim-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, TwoCardsTwoPorts);
        try
        {
            var configuration = SimulatorConfiguration.Load(path);
            Assert.Equal(path, configuration.SourcePath);
            Assert.Equal(2, Simulator.Create(configuration).CardCount);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void An_empty_configuration_is_one_card_with_an_nlb0_port()
    {
        var simulator = Simulator.Create(new SimulatorConfiguration());
        Assert.Equal(1, simulator.CardCount);
        Assert.Equal(Nlb0Afu.Id, simulator.AfuIdOf(0, 0));
    }

    [Fact]
    public void The_default_simulator_cannot_be_reconfigured_once_in_use()
    {
        _ = Simulator.Default.CardCount;
        Assert.Throws<InvalidOperationException>(() => Simulator.ConfigureDefault(new SimulatorConfiguration()));
    }

    [Fact]
    public void The_opae_samples_configuration_has_a_port_for_every_built_in_model()
    {
        var simulator = Simulator.Create(SimulatorConfiguration.OpaeSamples());
        Assert.Equal(SimulatorConfiguration.BuiltInModels.Count, simulator.PortCount(0));
        Assert.Equal(HelloAfu.Id, simulator.AfuIdOf(0, 5));
    }

    [Fact]
    public void The_built_in_models_are_listed()
    {
        Assert.Equal(["nlb0", "nlb3", "he-lpbk", "he-mem", "dummy-afu", "hello-afu"], SimulatorConfiguration.BuiltInModels);
    }
}
