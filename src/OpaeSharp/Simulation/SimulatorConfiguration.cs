using OpaeSharp.Devices.Kernel;
using OpaeSharp.Devices.Simulated;

namespace OpaeSharp.Simulation;

/// <summary>
/// What a simulator is made of: its cards (PCI address, host link, one AFU model per port, faults),
/// the AFU models beyond the built-in ones (.NET types, C plugins), and its clock. Build one in code,
/// or load the JSON file that <c>OPAESHARP_SIM_CONFIG</c> names (see docs/simulator.md); then
/// <see cref="Simulator.Create"/> makes a simulator from it, or <see cref="Simulator.ConfigureDefault"/>
/// makes it the process's.
/// </summary>
/// <remarks>
/// Built-in models: <c>nlb0</c>, <c>nlb3</c>, <c>he-lpbk</c>, <c>he-mem</c>, <c>dummy-afu</c>,
/// <c>hello-afu</c> (<see cref="BuiltInModels"/>). A configuration with no cards makes one card
/// with an NLB0 port. Not thread-safe while it is being built; a simulator made from it keeps no
/// reference to its lists.
/// </remarks>
public sealed class SimulatorConfiguration
{
    /// <summary>The environment variable naming a JSON configuration file for the process's default simulator.</summary>
    public const string EnvironmentVariable = "OPAESHARP_SIM_CONFIG";

    private readonly List<AfuCatalog.Entry> _models = [];

    /// <summary>The cards, in order (card 0 first).</summary>
    public IList<SimulatedCardConfiguration> Cards { get; } = [];

    /// <summary>The clock AFU models, link pacing and time-triggered faults run on; a fake one makes tests deterministic.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>The file this configuration was read from, if any.</summary>
    public string? SourcePath { get; private set; }

    /// <summary>Names of the built-in AFU models.</summary>
    public static IReadOnlyList<string> BuiltInModels { get; } = [.. AfuCatalog.BuiltIn().Entries.Select(e => e.Name)];

    /// <summary>Names of every model a port can name: built-in and registered.</summary>
    public IReadOnlyList<string> ModelNames => [.. Catalog().Entries.Select(e => e.Name)];

    /// <summary>
    /// Registers a .NET AFU model under <paramref name="name"/>: ports name it, and reconfiguration
    /// finds it by its AFU id. <paramref name="factory"/> makes a new instance per port (it is
    /// called once here to learn the id). A name already registered, or built in, is replaced.
    /// </summary>
    public SimulatorConfiguration AddModel(string name, Func<AfuModel> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        var probe = factory() ?? throw new ArgumentException($"the factory of model {name} returned null", nameof(factory));
        Register(new AfuCatalog.Entry(name, probe.AfuId, factory, $".NET model {probe.GetType().FullName}"));
        return this;
    }

    /// <summary>
    /// Registers the C plugin at <paramref name="path"/> (a shared library exporting
    /// <c>opae_sim_afu_create</c>, see <c>opae/sim-afu.h</c>) under <paramref name="name"/>; it is
    /// loaded now, to learn its AFU id. <paramref name="arguments"/> is passed to every instance.
    /// </summary>
    /// <exception cref="OpaeException">NOT_FOUND when the library cannot be loaded or lacks the entry point; EXCEPTION when it refuses to create an AFU.</exception>
    public SimulatorConfiguration AddPlugin(string name, string path, string? arguments = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Register(NativeAfuPlugin.Register(name, path, arguments ?? ""));
        return this;
    }

    /// <summary>Reads a JSON configuration file; relative plugin and assembly paths are relative to its folder.</summary>
    /// <exception cref="OpaeException">INVALID_PARAM for a file that cannot be read or parsed, naming the place and what is wrong.</exception>
    public static SimulatorConfiguration Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OpaeException(FpgaResult.InvalidParam, $"simulator configuration {path}: {e.Message}", e);
        }

        var configuration = ConfigurationReader.Read(text, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", path);
        configuration.SourcePath = Path.GetFullPath(path);
        return configuration;
    }

    /// <summary>Parses a JSON configuration; relative paths are relative to <paramref name="baseDirectory"/> (the current directory when null).</summary>
    /// <exception cref="OpaeException">INVALID_PARAM for malformed JSON or an unknown model, naming the place.</exception>
    public static SimulatorConfiguration Parse(string json, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return ConfigurationReader.Read(json, baseDirectory ?? Directory.GetCurrentDirectory(), "JSON");
    }

    /// <summary>The value of <c>OPAESHARP_SIM_CONFIG</c> that means <see cref="OpaeSamples"/> (no file needed).</summary>
    public const string OpaeSamplesName = "opae-samples";

    /// <summary>
    /// One card at 0000:3b:00.0 whose six ports hold the AFU of each of OPAE's samples and tools
    /// (nlb0, nlb3, he-lpbk, he-mem, dummy-afu, hello-afu), so hello_fpga, nlb0, nlb3,
    /// host_exerciser, dummy_afu and hello_afu all find theirs; <c>OPAESHARP_SIM_CONFIG=opae-samples</c>.
    /// </summary>
    public static SimulatorConfiguration OpaeSamples()
    {
        var configuration = new SimulatorConfiguration();
        var card = new SimulatedCardConfiguration { PciAddress = "0000:3b:00.0" };
        foreach (var model in BuiltInModels)
        {
            card.Ports.Add(model);
        }

        configuration.Cards.Add(card);
        return configuration;
    }

    /// <summary>The configuration <c>OPAESHARP_SIM_CONFIG</c> names (a file, or <see cref="OpaeSamplesName"/>), or null when it is unset.</summary>
    internal static SimulatorConfiguration? FromEnvironment() => Environment.GetEnvironmentVariable(EnvironmentVariable) switch
    {
        null or "" => null,
        OpaeSamplesName when !File.Exists(OpaeSamplesName) => OpaeSamples(),
        var path => Load(path),
    };

    internal void Register(AfuCatalog.Entry entry)
    {
        _models.RemoveAll(e => string.Equals(e.Name, entry.Name, StringComparison.OrdinalIgnoreCase));
        _models.Add(entry);
    }

    internal AfuCatalog Catalog()
    {
        var catalog = AfuCatalog.BuiltIn();
        foreach (var model in _models)
        {
            catalog.Add(model);
        }

        return catalog;
    }

    /// <summary>The cards as the simulator builds them, every model name resolved.</summary>
    /// <exception cref="OpaeException">INVALID_PARAM for an unknown model, a card without ports, a bad or repeated PCI address.</exception>
    internal List<SimulatedCard.CardSpec> BuildCards(out AfuCatalog catalog)
    {
        catalog = Catalog();
        var cards = new List<SimulatedCard.CardSpec>();
        var configured = Cards.Count > 0 ? Cards : [new SimulatedCardConfiguration { Ports = { "nlb0" } }];
        var taken = new HashSet<(ushort, byte, byte)>();
        for (var i = 0; i < configured.Count; i++)
        {
            var card = configured[i];
            if (card.Ports.Count == 0 || card.Ports.Count > 8)
            {
                throw Invalid($"card {i} has {card.Ports.Count} ports; a card has 1 to 8");
            }

            PciAddress pci;
            if (card.PciAddress is null)
            {
                pci = new PciAddress(0, (byte)(SimulatedBackend.FirstBus + i), 0, 0);
            }
            else if (!PciAddress.TryParse(card.PciAddress.Length == 7 ? "0000:" + card.PciAddress : card.PciAddress, out pci) || pci.Function + card.Ports.Count > 8)
            {
                throw Invalid($"card {i}: PCI address \"{card.PciAddress}\" is not ssss:bb:dd.f (or bb:dd.f) with room for {card.Ports.Count} function(s)");
            }

            if (!taken.Add((pci.Segment, pci.Bus, pci.Device)))
            {
                throw Invalid($"card {i}: PCI address {pci} is already another card's");
            }

            card.Link?.Validate();
            var ports = new List<SimulatedCard.PortSpec>();
            for (var p = 0; p < card.Ports.Count; p++)
            {
                var port = card.Ports[p];
                if (!catalog.TryFind(port.Afu, out var entry))
                {
                    throw Invalid($"card {i} port {p}: no AFU model \"{port.Afu}\" (known: {string.Join(", ", catalog.Entries.Select(e => e.Name))})");
                }

                foreach (var fault in port.Faults)
                {
                    fault.Validate();
                }

                ports.Add(new SimulatedCard.PortSpec(entry, [.. port.Faults]));
            }

            cards.Add(new SimulatedCard.CardSpec(pci, card.Link, ports));
        }

        return cards;
    }

    private OpaeException Invalid(string what) =>
        new(FpgaResult.InvalidParam, $"simulator configuration{(SourcePath is { } p ? $" {p}" : "")}: {what}");
}
