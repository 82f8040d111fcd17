using OpaeSharp.Devices;

namespace OpaeSharp.Enumeration;

/// <summary>
/// One FPGA object found by enumeration (OPAE's <c>fpga_token</c> with its properties): an
/// FPGA device, or an accelerator function behind one of its ports. Immutable and thread-safe.
/// </summary>
public sealed class AcceleratorToken
{
    internal AcceleratorToken(IBackend backend, string key)
    {
        BackendImpl = backend;
        Key = key;
    }

    /// <summary>Device or accelerator.</summary>
    public FpgaObjectType ObjectType { get; init; }

    /// <summary>For an accelerator, the AFU id; for a device, the id of its FPGA interface (PR region).</summary>
    public Guid Guid { get; init; }

    /// <summary>PCI segment (domain).</summary>
    public ushort Segment { get; init; }

    /// <summary>PCI bus.</summary>
    public byte Bus { get; init; }

    /// <summary>PCI device.</summary>
    public byte Device { get; init; }

    /// <summary>PCI function.</summary>
    public byte Function { get; init; }

    /// <summary>CPU socket the card is attached to.</summary>
    public byte SocketId { get; init; }

    /// <summary>PCI device id.</summary>
    public ushort DeviceId { get; init; }

    /// <summary>PCI vendor id.</summary>
    public ushort VendorId { get; init; }

    /// <summary>The FPGA device an accelerator belongs to; null for a device.</summary>
    public AcceleratorToken? Parent { get; init; }

    /// <summary>A human-readable location ("sim:0/port0", "/dev/dfl-port.0", "0000:3b:00.0").</summary>
    public string Name { get; init; } = "";

    /// <summary>The backend that found this object.</summary>
    public BackendKind Backend => BackendImpl.Kind;

    /// <summary>"ssss:bb:dd.f".</summary>
    public string PciAddress => $"{Segment:x4}:{Bus:x2}:{Device:x2}.{Function:x1}";

    internal IBackend BackendImpl { get; }

    /// <summary>Identifies the object within its backend (two tokens for one object have the same key).</summary>
    internal string Key { get; }

    /// <summary>A token for an accelerator behind this device: same backend and PCI identity, this as its parent.</summary>
    internal AcceleratorToken AcceleratorBelow(string key, Guid afuId, string name) => new(BackendImpl, key)
    {
        ObjectType = FpgaObjectType.Accelerator,
        Guid = afuId,
        Segment = Segment,
        Bus = Bus,
        Device = Device,
        Function = Function,
        SocketId = SocketId,
        VendorId = VendorId,
        DeviceId = DeviceId,
        Parent = this,
        Name = name,
    };

    /// <inheritdoc/>
    public override string ToString() => $"{ObjectType} {Guid} at {PciAddress} ({Backend}: {Name})";
}
