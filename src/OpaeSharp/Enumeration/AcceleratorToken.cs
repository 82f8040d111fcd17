using OpaeSharp.Devices;

namespace OpaeSharp.Enumeration;

/// <summary>
/// One FPGA object found by enumeration (OPAE's <c>fpga_token</c> with its properties): an
/// FPGA device, or an accelerator function behind one of its ports. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// Finding objects opens no device. Where the AFU id can only be read from the device itself (a
/// function bound to vfio-pci), it is read the first time <see cref="Guid"/> is asked for, or
/// learnt when the accelerator is opened, whichever comes first.
/// </remarks>
public sealed class AcceleratorToken
{
    private readonly Func<AfuIdentity>? _identify;
    private AfuIdentity? _identity;

    internal AcceleratorToken(IBackend backend, string key, Func<AfuIdentity>? identify = null)
    {
        BackendImpl = backend;
        Key = key;
        _identify = identify;
    }

    /// <summary>Device or accelerator.</summary>
    public FpgaObjectType ObjectType { get; init; }

    /// <summary>For an accelerator, the AFU id; for a device, the id of its FPGA interface (PR region).</summary>
    /// <remarks><see cref="System.Guid.Empty"/> when the device could not say (see <see cref="ToString"/>).</remarks>
    public Guid Guid
    {
        get => Identity.AfuId;
        init => _identity = new AfuIdentity(value, null);
    }

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

    /// <summary>True when the object is the embedded simulator's, not hardware.</summary>
    public bool IsSimulated => Backend == BackendKind.Simulated;

    /// <summary>"ssss:bb:dd.f".</summary>
    public string PciAddress => $"{Segment:x4}:{Bus:x2}:{Device:x2}.{Function:x1}";

    internal IBackend BackendImpl { get; }

    /// <summary>Identifies the object within its backend (two tokens for one object have the same key).</summary>
    internal string Key { get; }

    /// <summary>The AFU id and, when it is empty, why; read from the device on first use where only the device knows it.</summary>
    internal AfuIdentity Identity
    {
        get
        {
            if (Volatile.Read(ref _identity) is { } known)
            {
                return known;
            }

            var found = _identify?.Invoke() ?? new AfuIdentity(Guid.Empty, "not reported");
            return Interlocked.CompareExchange(ref _identity, found, null) ?? found;
        }
    }

    /// <summary>True when <see cref="Guid"/> can be answered without asking the device.</summary>
    internal bool IsIdentityKnown => Volatile.Read(ref _identity) is not null || _identify is null;

    /// <summary>Records what an open of the device read, so asking for <see cref="Guid"/> later opens nothing.</summary>
    internal void Learn(AfuIdentity identity)
    {
        // Only a clean read replaces an earlier failure (the device was busy when first asked).
        if (identity.Reason is null)
        {
            Volatile.Write(ref _identity, identity);
        }
        else
        {
            Interlocked.CompareExchange(ref _identity, identity, null);
        }
    }

    /// <summary>A token for an accelerator behind this device: same backend and PCI identity, this as its parent.</summary>
    internal AcceleratorToken AcceleratorBelow(string key, Guid afuId, string name)
    {
        var token = AcceleratorBelow(key, name, identify: null);
        token._identity = new AfuIdentity(afuId, null);
        return token;
    }

    /// <summary>An accelerator behind this device whose AFU id is read from it when first needed.</summary>
    internal AcceleratorToken AcceleratorBelow(string key, string name, Func<AfuIdentity>? identify) => new(BackendImpl, key, identify)
    {
        ObjectType = FpgaObjectType.Accelerator,
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
    public override string ToString() =>
        $"{ObjectType} {(Identity.Reason is { } why ? $"(AFU id unknown: {why})" : Guid.ToString())} at {PciAddress} ({Backend}: {Name})";
}
