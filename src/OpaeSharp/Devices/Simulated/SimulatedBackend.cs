using OpaeSharp.Devices.Kernel;
using OpaeSharp.Enumeration;
using OpaeSharp.Interop;
using OpaeSharp.Memory;
using OpaeSharp.Simulation;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// The embedded simulator: cards, each an FPGA device (its FME) with ports holding AFU models,
/// behind an IOMMU that checks every device access. Built from <see cref="SimulatorOptions"/>.
/// </summary>
/// <remarks>Thread-safe. Enumeration returns a snapshot; reconfiguring a port makes a new one.</remarks>
internal sealed class SimulatedBackend : IBackend
{
    /// <summary>Intel's PCI vendor id, and the id of a PAC card, so programs see familiar values.</summary>
    internal const ushort VendorId = 0x8086;
    internal const ushort DeviceId = 0x09c4;

    /// <summary>The first card's PCI bus; card i sits on bus 0x3b + i unless configured.</summary>
    internal const byte FirstBus = 0x3b;

    /// <summary>The id the simulated FPGA device reports for its interface.</summary>
    internal static readonly Guid InterfaceId = SimulatedFme.DefaultInterfaceId;

    private static readonly Lock s_defaultLock = new();
    private static readonly Lazy<SimulatedBackend> s_default = new(MakeDefault);
    private static SimulatorConfiguration? s_configured;
    private static bool s_defaultMade;

    private readonly SimulatedCard[] _cards;
    private readonly Dictionary<string, (int Card, int Port)> _ports = new(StringComparer.Ordinal);
    private readonly SimulatedCardView[] _views;

    internal SimulatedBackend(SimulatorOptions options, BufferAllocator? memory = null, IKernel? kernel = null)
    {
        Options = options;
        Memory = memory ?? BufferAllocator.System;
        var specs = options.Configuration is { } configuration
            ? configuration.BuildCards(out var catalog)
            : DefaultCards(options.Cards, catalog = AfuCatalog.BuiltIn());
        Kernel = kernel ?? LinuxKernel.Instance;
        _cards = new SimulatedCard[specs.Count];
        for (var i = 0; i < specs.Count; i++)
        {
            _cards[i] = new SimulatedCard(i, options, specs[i], catalog, Kernel);
            for (var p = 0; p < _cards[i].Ports.Count; p++)
            {
                _ports[$"{i}/port{p}"] = (i, p);
            }
        }

        _views = [.. _cards.Select(c => new SimulatedCardView(c))];
        Sysfs = new SimulatedSysfs(_views);
    }

    /// <summary>The simulator every program gets unless it asks for another.</summary>
    internal static SimulatedBackend Default => s_default.Value;

    internal static bool IsDefaultCreated
    {
        get
        {
            lock (s_defaultLock)
            {
                return s_defaultMade;
            }
        }
    }

    internal SimulatorOptions Options { get; }

    public BackendKind Kind => BackendKind.Simulated;

    public string Name => "sim";

    /// <summary>Embedded: always there.</summary>
    public bool IsPresent => true;

    public BufferAllocator Memory { get; }

    /// <summary>The simulated cards live in this process; their eventfds and waits are the real kernel's.</summary>
    public IKernel Kernel { get; }

    internal IReadOnlyList<SimulatedCard> Cards => _cards;

    /// <summary>Makes <paramref name="configuration"/> the default simulator's; false once the default exists.</summary>
    internal static bool ConfigureDefault(SimulatorConfiguration configuration)
    {
        lock (s_defaultLock)
        {
            if (s_defaultMade)
            {
                return false;
            }

            s_configured = configuration;
            return true;
        }
    }

    /// <summary>The FME and port state of each card, as sysfs, reconfiguration and metrics see it.</summary>
    internal IReadOnlyList<SimulatedCardView> Views => _views;

    /// <summary>The cards' sysfs tree, in the upstream DFL driver's layout.</summary>
    internal SimulatedSysfs Sysfs { get; }

    /// <summary>
    /// Every card's device and the accelerators of its ports, as they are now (the AFU id changes
    /// with reconfiguration, the state with opens). Port p of a card is PCI function f + p of it.
    /// </summary>
    public IReadOnlyList<AcceleratorToken> Enumerate()
    {
        var tokens = new List<AcceleratorToken>(_cards.Length * 2);
        foreach (var view in _views)
        {
            var card = view.Card;
            var pci = card.Pci;
            var fme = Sysfs.FmePath(card.Index);
            var device = new AcceleratorToken(this, $"{card.Index}/fme")
            {
                ObjectType = FpgaObjectType.Device,
                Guid = view.InterfaceId,
                Segment = pci.Segment,
                Bus = pci.Bus,
                Device = pci.Device,
                Function = pci.Function,
                VendorId = VendorId,
                DeviceId = DeviceId,
                SubsystemVendorId = VendorId,
                SubsystemDeviceId = 0,
                Interface = FpgaInterface.SimulatedDfl,
                Name = $"sim:{card.Index}",
                Sysfs = Sysfs,
                SysfsPath = fme,
                ObjectId = Dfl.DflBackend.ObjectIdOf(Sysfs, fme),
                SlotCount = (uint)view.PortCount,
                BitstreamId = view.BitstreamId,
                ErrorCount = (uint)Objects.ErrorRegisterList.Read(Sysfs, fme).Count,
            };
            tokens.Add(device);
            foreach (var port in card.Ports)
            {
                var path = Sysfs.PortPath(card.Index, port.Index);
                tokens.Add(device.AcceleratorBelow($"{card.Index}/port{port.Index}", port.AfuId, port.Name, new AcceleratorDetails
                {
                    Function = (byte)(pci.Function + port.Index),
                    Sysfs = Sysfs,
                    SysfsPath = path,
                    ObjectId = Dfl.DflBackend.ObjectIdOf(Sysfs, path),
                    MmioRegionCount = 1,
                    InterruptCount = (uint)port.Interrupts.Count,
                    State = port.IsOpen ? AcceleratorState.Assigned : AcceleratorState.Unassigned,
                    ErrorCount = (uint)Objects.ErrorRegisterList.Read(Sysfs, path).Count,
                }));
            }
        }

        return tokens;
    }

    /// <summary>The card behind a token of this backend, or null.</summary>
    internal SimulatedCardView? ViewOf(AcceleratorToken token) => CardOf(token) is { } card ? _views[card.Index] : null;

    public IDevice Open(AcceleratorToken token, bool shared)
    {
        if (token.ObjectType != FpgaObjectType.Accelerator || PortOf(token) is not { } port)
        {
            throw new OpaeException(FpgaResult.NotFound, $"no simulated accelerator {token.Name}");
        }

        return new SimulatedDevice(port, shared);
    }

    /// <summary>The port an accelerator token of this simulator names; null for a device token or another backend's.</summary>
    internal SimulatedPort? PortOf(AcceleratorToken token) =>
        ReferenceEquals(token.BackendImpl, this) && _ports.TryGetValue(token.Key, out var at) ? _cards[at.Card].Ports[at.Port] : null;

    /// <summary>The card a device or accelerator token of this simulator belongs to; null for another backend's.</summary>
    internal SimulatedCard? CardOf(AcceleratorToken token)
    {
        if (!ReferenceEquals(token.BackendImpl, this))
        {
            return null;
        }

        var slash = token.Key.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && int.TryParse(token.Key.AsSpan(0, slash), System.Globalization.CultureInfo.InvariantCulture, out var index) && (uint)index < (uint)_cards.Length ? _cards[index] : null;
    }

    public IFpgaDevice OpenFpgaDevice(AcceleratorToken device) =>
        ViewOf(device) is { } view && device.ObjectType == FpgaObjectType.Device
            ? new SimulatedFpgaDevice(view)
            : throw new OpaeException(FpgaResult.InvalidParam, $"{device.Name} is not a simulated FPGA device");

    public IDeviceInterrupts? OpenDeviceInterrupts(AcceleratorToken device) =>
        device.ObjectType == FpgaObjectType.Device && CardOf(device) is { } card
            ? new SimulatedFmeInterrupts(card.Fme.Errors)
            : throw new OpaeException(FpgaResult.NotFound, $"no simulated FPGA device {device.Name}");

    public BackendStatus Status() =>
        new(Name, Kind, true, $"embedded; {_cards.Length} simulated card(s): " + string.Join("; ", _cards.Select(c => $"{c.Pci} with {string.Join(", ", c.Ports.Select(p => p.Afu.Name))}")));

    private static SimulatedBackend MakeDefault()
    {
        SimulatorConfiguration? configured;
        lock (s_defaultLock)
        {
            s_defaultMade = true;
            configured = s_configured;
        }

        return new SimulatedBackend(SimulatorOptions.FromEnvironment(configured));
    }

    private static List<SimulatedCard.CardSpec> DefaultCards(int count, AfuCatalog catalog)
    {
        catalog.TryFind("nlb0", out var nlb0);
        return [.. Enumerable.Range(0, count).Select(i => new SimulatedCard.CardSpec(
            new PciAddress(0, (byte)(FirstBus + i), 0, 0),
            null,
            [new SimulatedCard.PortSpec(nlb0!, [])]))];
    }
}
