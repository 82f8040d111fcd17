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
    private readonly AcceleratorToken[] _tokens;

    internal SimulatedBackend(SimulatorOptions options, BufferAllocator? memory = null)
    {
        Options = options;
        Memory = memory ?? BufferAllocator.System;
        _cards = new SimulatedCard[options.Cards];
        var tokens = new List<AcceleratorToken>();
        for (var i = 0; i < options.Cards; i++)
        {
            _cards[i] = new SimulatedCard(i, options);
            var bus = (byte)(0x3b + i);
            var device = new AcceleratorToken(this, $"{i}/fme")
            {
                ObjectType = FpgaObjectType.Device,
                Guid = InterfaceId,
                Bus = bus,
                VendorId = VendorId,
                DeviceId = DeviceId,
                Name = $"sim:{i}",
            };
            tokens.Add(device);
            tokens.Add(device.AcceleratorBelow($"{i}/port0", _cards[i].Afu.AfuId, $"sim:{i}/port0"));
        }

        _tokens = [.. tokens];
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

    public IReadOnlyList<AcceleratorToken> Enumerate() => _tokens;

    public IDevice Open(AcceleratorToken token, bool shared)
    {
        var index = Array.FindIndex(_tokens, t => t.Key == token.Key);
        if (index < 0 || !ReferenceEquals(token.BackendImpl, this) || token.ObjectType != FpgaObjectType.Accelerator)
        {
            throw new OpaeException(FpgaResult.NotFound, $"no simulated accelerator {token.Name}");
        }

        return new SimulatedDevice(_cards[index / 2], shared);
    }

    public IDeviceInterrupts? OpenDeviceInterrupts(AcceleratorToken device)
    {
        var index = Array.FindIndex(_tokens, t => t.Key == device.Key);
        if (index < 0 || !ReferenceEquals(device.BackendImpl, this) || device.ObjectType != FpgaObjectType.Device)
        {
            throw new OpaeException(FpgaResult.NotFound, $"no simulated FPGA device {device.Name}");
        }

        return new SimulatedFmeInterrupts(_cards[index / 2].FmeErrors);
    }

    public BackendStatus Status() =>
        new(Name, Kind, true, $"embedded; {_cards.Length} simulated card(s), each an FPGA device with an NLB0 accelerator");
}
