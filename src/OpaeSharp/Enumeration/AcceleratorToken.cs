using OpaeSharp.Devices;
using OpaeSharp.Interop;
using OpaeSharp.Objects;

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

    /// <summary>The driver's id of the object (from its device number on DFL); null where the backend has none.</summary>
    public ulong? ObjectId { get; init; }

    /// <summary>The driver interface behind the object.</summary>
    public FpgaInterface Interface { get; init; }

    /// <summary>PCI subsystem vendor id; null where the backend does not know it.</summary>
    public ushort? SubsystemVendorId { get; init; }

    /// <summary>PCI subsystem device id; null where the backend does not know it.</summary>
    public ushort? SubsystemDeviceId { get; init; }

    /// <summary>For a device: how many ports (accelerator slots) it has; null for an accelerator or when not reported.</summary>
    public uint? SlotCount { get; init; }

    /// <summary>For a device: the id of the FPGA's static image (blue bitstream, FME <c>bitstream_id</c>); null otherwise.</summary>
    public ulong? BitstreamId { get; init; }

    /// <summary>For a device: the static image's version, from bits 59..48 of <see cref="BitstreamId"/> (major.minor.patch).</summary>
    public Version? BitstreamVersion => ObjectType == FpgaObjectType.Device && BitstreamId is { } id
        ? new Version((int)((id >> 56) & 0xf), (int)((id >> 52) & 0xf), (int)((id >> 48) & 0xf))
        : null;

    /// <summary>For an accelerator: its MMIO regions; null for a device or when the backend cannot tell without opening it.</summary>
    public uint? MmioRegionCount { get; init; }

    /// <summary>For an accelerator: its interrupt vectors; null for a device or when the backend cannot tell without opening it.</summary>
    public uint? InterruptCount { get; init; }

    /// <summary>For an accelerator: whether it was held when enumerated; null for a device or when unknown.</summary>
    public AcceleratorState? State { get; init; }

    /// <summary>How many error registers the object has (see <see cref="ReadErrors"/>); 0 where the backend exposes none.</summary>
    public uint ErrorCount { get; init; }

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

    /// <summary>The sysfs-shaped tree holding the object's attributes (the kernel's, or the simulator's), or null where the backend has none (vfio).</summary>
    internal ISysfs? Sysfs { get; init; }

    /// <summary>The object's directory in <see cref="Sysfs"/> (its FME or port directory).</summary>
    internal string? SysfsPath { get; init; }

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
    internal AcceleratorToken AcceleratorBelow(string key, Guid afuId, string name, AcceleratorDetails? details = null)
    {
        var token = AcceleratorBelow(key, name, identify: null, details);
        token._identity = new AfuIdentity(afuId, null);
        return token;
    }

    /// <summary>An accelerator behind this device whose AFU id is read from it when first needed.</summary>
    internal AcceleratorToken AcceleratorBelow(string key, string name, Func<AfuIdentity>? identify, AcceleratorDetails? details = null) => new(BackendImpl, key, identify)
    {
        ObjectType = FpgaObjectType.Accelerator,
        Segment = Segment,
        Bus = Bus,
        Device = Device,
        Function = details?.Function ?? Function,
        SocketId = SocketId,
        VendorId = VendorId,
        DeviceId = DeviceId,
        Interface = Interface,
        SubsystemVendorId = SubsystemVendorId,
        SubsystemDeviceId = SubsystemDeviceId,
        Parent = this,
        Name = name,
        Sysfs = details?.Sysfs,
        SysfsPath = details?.SysfsPath,
        ObjectId = details?.ObjectId,
        MmioRegionCount = details?.MmioRegionCount,
        InterruptCount = details?.InterruptCount,
        State = details?.State,
        ErrorCount = details?.ErrorCount ?? 0,
    };

    /// <summary>
    /// The object's error registers and their values now (<c>fpgaGetErrorInfo</c> + <c>fpgaReadError</c>),
    /// in OPAE's numbering. Empty where the backend exposes none (vfio-pci).
    /// </summary>
    /// <exception cref="OpaeException">EXCEPTION when a register cannot be read.</exception>
    public IReadOnlyList<FpgaError> ReadErrors()
    {
        var registers = ErrorRegisters();
        var errors = new List<FpgaError>(registers.Count);
        foreach (var register in registers)
        {
            ErrorRegisterList.ReadValue(Sysfs!, register, out var value).ThrowIfFailed();
            errors.Add(new FpgaError(register.Name, value, register.ClearPath is not null));
        }

        return errors;
    }

    /// <summary>Clears every error register that can be cleared (<c>fpgaClearAllErrors</c>).</summary>
    /// <exception cref="OpaeException">EXCEPTION when the driver refuses a clear.</exception>
    public void ClearErrors()
    {
        foreach (var register in ErrorRegisters())
        {
            if (register.ClearPath is not null)
            {
                ErrorRegisterList.Clear(Sysfs!, register).ThrowIfFailed();
            }
        }
    }

    /// <summary>
    /// The object's attribute or group <paramref name="name"/>, relative to its sysfs directory
    /// (<c>"bitstream_id"</c>, <c>"errors/first_error"</c>); <c>*</c> and <c>?</c> match within a
    /// segment (<c>"*perf/clock"</c>). Read-only: write through <see cref="Accelerator.GetObject"/>.
    /// </summary>
    /// <exception cref="OpaeException">NOT_FOUND when nothing is there; NOT_SUPPORTED where the backend has no such tree (vfio-pci); INVALID_PARAM for a name leaving the object.</exception>
    public FpgaObject GetObject(string name) => FpgaObject.Open(this, name, writable: false);

    /// <summary>The error registers (empty where the backend has no tree of them).</summary>
    internal IReadOnlyList<ErrorRegister> ErrorRegisters() =>
        Sysfs is { } sysfs && SysfsPath is { } path ? ErrorRegisterList.Read(sysfs, path) : [];

        /// <inheritdoc/>
    public override string ToString() =>
        $"{ObjectType} {(Identity.Reason is { } why ? $"(AFU id unknown: {why})" : Guid.ToString())} at {PciAddress} ({Backend}: {Name})";
}
