using OpaeSharp.Devices.Simulated;
using OpaeSharp.Enumeration;

namespace OpaeSharp.Simulation;

/// <summary>
/// A simulated FPGA machine: cards, each an FPGA device with ports holding AFU models, behind a
/// simulated IOMMU. <see cref="Default"/> is the one <see cref="Accelerator.Enumerate(AcceleratorFilter?, BackendKind?)"/>
/// and <see cref="Accelerator.Open(AcceleratorFilter?, bool, BackendKind?)"/> find (and the C library's);
/// <see cref="Create"/> makes a private one, for tests that must not share a card.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class Simulator
{
    private Simulator(SimulatedBackend backend) => Backend = backend;

    /// <summary>
    /// The process's simulator: made on first use from the configuration given to
    /// <see cref="ConfigureDefault"/>, else the JSON file <c>OPAESHARP_SIM_CONFIG</c> names, else one
    /// card with an NLB0 port.
    /// </summary>
    /// <exception cref="OpaeException">INVALID_PARAM when <c>OPAESHARP_SIM_CONFIG</c> names a file that is not a valid configuration.</exception>
    public static Simulator Default => new(SimulatedBackend.Default);

    /// <summary>Number of cards.</summary>
    public int CardCount => Backend.Cards.Count;

    internal SimulatedBackend Backend { get; }

    /// <summary>Makes <paramref name="configuration"/> the process's simulator's; call it before anything enumerates or opens.</summary>
    /// <exception cref="InvalidOperationException">The default simulator is already made.</exception>
    /// <exception cref="OpaeException">INVALID_PARAM when the configuration names an unknown model or a bad PCI address.</exception>
    public static void ConfigureDefault(SimulatorConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.BuildCards(out _);
        if (!SimulatedBackend.ConfigureDefault(configuration))
        {
            throw new InvalidOperationException("the default simulator is already in use; configure it before the first Enumerate or Open (or use Simulator.Create)");
        }
    }

    /// <summary>Makes a simulator of its own from <paramref name="configuration"/>.</summary>
    /// <exception cref="OpaeException">INVALID_PARAM when the configuration names an unknown model or a bad PCI address.</exception>
    public static Simulator Create(SimulatorConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new Simulator(new SimulatedBackend(new SimulatorOptions { Configuration = configuration }));
    }

    /// <summary>The simulator's FPGA objects (devices and accelerators) that match <paramref name="filter"/> (all when null).</summary>
    public IReadOnlyList<AcceleratorToken> Enumerate(AcceleratorFilter? filter = null) =>
        [.. Backend.Enumerate().Where(t => filter?.Matches(t) ?? true)];

    /// <summary>Opens the first accelerator matching <paramref name="filter"/> (any accelerator when null).</summary>
    /// <exception cref="OpaeException">NOT_FOUND when nothing matches; BUSY when it is held exclusively.</exception>
    public Accelerator Open(AcceleratorFilter? filter = null, bool shared = false)
    {
        filter ??= new AcceleratorFilter { ObjectType = FpgaObjectType.Accelerator };
        var token = Backend.Enumerate().FirstOrDefault(filter.Matches)
            ?? throw new OpaeException(FpgaResult.NotFound, $"no simulated FPGA object matches {filter} ({this})");
        return Accelerator.Open(token, shared);
    }

    /// <summary>Ports of card <paramref name="card"/>.</summary>
    public int PortCount(int card) => Card(card).Ports.Count;

    /// <summary>The AFU id of the model in port <paramref name="port"/> of card <paramref name="card"/>.</summary>
    public Guid AfuIdOf(int card, int port) => Port(card, port).AfuId;

    /// <summary>
    /// Partial reconfiguration: loads the registered model with <paramref name="afuId"/> into a
    /// closed port (what <c>fpgaReconfigureSlot</c> does with a bitstream carrying that id).
    /// </summary>
    /// <exception cref="OpaeException">BUSY while the port is open; NOT_FOUND when no registered model has the id; INVALID_PARAM for a port the card lacks.</exception>
    public void LoadAfu(int card, int port, Guid afuId) => Card(card).Fme.LoadAfu(port, afuId).ThrowIfFailed();

    /// <summary>Arms <paramref name="fault"/> on a port (see <see cref="InjectedFault"/>).</summary>
    public void Inject(int card, int port, InjectedFault fault) => Port(card, port).Inject(fault);

    /// <inheritdoc/>
    public override string ToString() => Backend.Status().Detail;

    private SimulatedCard Card(int card) =>
        (uint)card < (uint)Backend.Cards.Count ? Backend.Cards[card] : throw new ArgumentOutOfRangeException(nameof(card), card, $"the simulator has {Backend.Cards.Count} card(s)");

    private SimulatedPort Port(int card, int port)
    {
        var ports = Card(card).Ports;
        return (uint)port < (uint)ports.Count ? ports[port] : throw new ArgumentOutOfRangeException(nameof(port), port, $"card {card} has {ports.Count} port(s)");
    }
}
