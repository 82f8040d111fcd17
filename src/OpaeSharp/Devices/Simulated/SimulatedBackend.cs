using OpaeSharp.Devices.Kernel;
using OpaeSharp.Enumeration;
using OpaeSharp.Memory;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// The embedded simulated accelerator: cards with an FPGA device object and an NLB0 accelerator
/// each, behind an IOMMU that checks every device access.
/// </summary>
internal sealed class SimulatedBackend : IBackend
{
    /// <summary>Intel's PCI vendor id, and the id of a PAC card, so programs see familiar values.</summary>
    internal const ushort VendorId = 0x8086;
    internal const ushort DeviceId = 0x09c4;

    /// <summary>The id the simulated FPGA device reports for its interface.</summary>
    internal static readonly Guid InterfaceId = new("5c3b1f6e-6d1a-4f8b-9a7e-0b5e5f0a5e51");

    private static readonly Lazy<SimulatedBackend> s_default = new(() => new SimulatedBackend(SimulatorOptions.FromEnvironment()));

    private readonly SimulatedCard[] _cards;
    private readonly SimulatedCardView[] _views;

    internal SimulatedBackend(SimulatorOptions options, BufferAllocator? memory = null)
    {
        Options = options;
        Memory = memory ?? BufferAllocator.System;
        _cards = new SimulatedCard[options.Cards];
        _views = new SimulatedCardView[options.Cards];
        for (var i = 0; i < options.Cards; i++)
        {
            _cards[i] = new SimulatedCard(i, options);
            _views[i] = new SimulatedCardView(_cards[i]);
        }

        Sysfs = new SimulatedSysfs(_views);
    }

    /// <summary>The simulator every program gets unless it asks for another.</summary>
    internal static SimulatedBackend Default => s_default.Value;

    internal SimulatorOptions Options { get; }

    public BackendKind Kind => BackendKind.Simulated;

    public string Name => "sim";

    /// <summary>Embedded: always there.</summary>
    public bool IsPresent => true;

    public BufferAllocator Memory { get; }

    /// <summary>The simulated cards live in this process; their eventfds and waits are the real kernel's.</summary>
    public Interop.IKernel Kernel => Interop.LinuxKernel.Instance;

    internal IReadOnlyList<SimulatedCard> Cards => _cards;

    /// <summary>The FME and port state of each card, as sysfs, reconfiguration and metrics see it.</summary>
    internal IReadOnlyList<SimulatedCardView> Views => _views;

    /// <summary>The cards' sysfs tree, in the upstream DFL driver's layout.</summary>
    internal SimulatedSysfs Sysfs { get; }

    /// <summary>Every card's device and accelerator, as they are now (the AFU id changes with reconfiguration, the state with opens).</summary>
    public IReadOnlyList<AcceleratorToken> Enumerate()
    {
        var tokens = new List<AcceleratorToken>(_cards.Length * 2);
        foreach (var view in _views)
        {
            var i = view.Index;
            var fme = SimulatedSysfs.FmePath(i);
            var port = SimulatedSysfs.PortPath(i);
            var device = new AcceleratorToken(this, $"{i}/fme")
            {
                ObjectType = FpgaObjectType.Device,
                Guid = view.InterfaceId,
                Bus = (byte)(0x3b + i),
                VendorId = VendorId,
                DeviceId = DeviceId,
                SubsystemVendorId = VendorId,
                SubsystemDeviceId = 0,
                Interface = FpgaInterface.SimulatedDfl,
                Name = $"sim:{i}",
                Sysfs = Sysfs,
                SysfsPath = fme,
                ObjectId = Dfl.DflBackend.ObjectIdOf(Sysfs, fme),
                SlotCount = (uint)view.PortCount,
                BitstreamId = view.BitstreamId,
                ErrorCount = (uint)Objects.ErrorRegisterList.Read(Sysfs, fme).Count,
            };
            tokens.Add(device);
            tokens.Add(device.AcceleratorBelow($"{i}/port0", view.AfuId, $"sim:{i}/port0", new AcceleratorDetails
            {
                Sysfs = Sysfs,
                SysfsPath = port,
                ObjectId = Dfl.DflBackend.ObjectIdOf(Sysfs, port),
                MmioRegionCount = 1,
                InterruptCount = (uint)view.Card.Interrupts.Count,
                State = view.IsPortOpen ? AcceleratorState.Assigned : AcceleratorState.Unassigned,
                ErrorCount = (uint)Objects.ErrorRegisterList.Read(Sysfs, port).Count,
            }));
        }

        return tokens;
    }

    /// <summary>The card behind a token of this backend, or null.</summary>
    internal SimulatedCardView? ViewOf(AcceleratorToken token)
    {
        if (!ReferenceEquals(token.BackendImpl, this))
        {
            return null;
        }

        var slash = token.Key.IndexOf('/');
        return slash > 0 && int.TryParse(token.Key.AsSpan(0, slash), System.Globalization.CultureInfo.InvariantCulture, out var i) && i >= 0 && i < _views.Length
            ? _views[i]
            : null;
    }

    public IDevice Open(AcceleratorToken token, bool shared)
    {
        if (ViewOf(token) is not { } view || token.ObjectType != FpgaObjectType.Accelerator)
        {
            throw new OpaeException(FpgaResult.NotFound, $"no simulated accelerator {token.Name}");
        }

        return new SimulatedDevice(view.Card, shared, view);
    }

    public IFpgaDevice OpenFpgaDevice(AcceleratorToken device) =>
        ViewOf(device) is { } view && device.ObjectType == FpgaObjectType.Device
            ? new SimulatedFpgaDevice(view)
            : throw new OpaeException(FpgaResult.InvalidParam, $"{device.Name} is not a simulated FPGA device");

    public IDeviceInterrupts? OpenDeviceInterrupts(AcceleratorToken device)
    {
        if (ViewOf(device) is not { } view || device.ObjectType != FpgaObjectType.Device)
        {
            throw new OpaeException(FpgaResult.NotFound, $"no simulated FPGA device {device.Name}");
        }

        return new SimulatedFmeInterrupts(view.FmeErrors);
    }

    public BackendStatus Status() =>
        new(Name, Kind, true, $"embedded; {_cards.Length} simulated card(s), each an FPGA device with an NLB0 accelerator");
}
