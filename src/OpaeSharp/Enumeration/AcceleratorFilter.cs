namespace OpaeSharp.Enumeration;

/// <summary>
/// What enumeration looks for (OPAE's filter <c>fpga_properties</c>): every property left null
/// matches anything. Several filters are OR-ed; the properties within one are AND-ed.
/// </summary>
public sealed class AcceleratorFilter
{
    /// <summary>Matches accelerators whose AFU id is <paramref name="afuId"/>.</summary>
    public static AcceleratorFilter ForAfu(Guid afuId) =>
        new() { ObjectType = FpgaObjectType.Accelerator, Guid = afuId };

    /// <summary>Object type to match.</summary>
    public FpgaObjectType? ObjectType { get; set; }

    /// <summary>AFU or interface id to match.</summary>
    public Guid? Guid { get; set; }

    /// <summary>PCI segment to match.</summary>
    public ushort? Segment { get; set; }

    /// <summary>PCI bus to match.</summary>
    public byte? Bus { get; set; }

    /// <summary>PCI device to match.</summary>
    public byte? Device { get; set; }

    /// <summary>PCI function to match.</summary>
    public byte? Function { get; set; }

    /// <summary>Socket to match.</summary>
    public byte? SocketId { get; set; }

    /// <summary>PCI device id to match.</summary>
    public ushort? DeviceId { get; set; }

    /// <summary>PCI vendor id to match.</summary>
    public ushort? VendorId { get; set; }

    /// <summary>Parent device to match (accelerators of that device).</summary>
    public AcceleratorToken? Parent { get; set; }

    /// <summary>Object id to match.</summary>
    public ulong? ObjectId { get; set; }

    /// <summary>Number of error registers to match.</summary>
    public uint? ErrorCount { get; set; }

    /// <summary>Driver interface to match.</summary>
    public FpgaInterface? Interface { get; set; }

    /// <summary>PCI subsystem vendor id to match.</summary>
    public ushort? SubsystemVendorId { get; set; }

    /// <summary>PCI subsystem device id to match.</summary>
    public ushort? SubsystemDeviceId { get; set; }

    /// <summary>Devices only: number of slots to match.</summary>
    public uint? SlotCount { get; set; }

    /// <summary>Devices only: static image (bitstream) id to match.</summary>
    public ulong? BitstreamId { get; set; }

    /// <summary>Devices only: static image version to match (major.minor.build, build standing for OPAE's patch).</summary>
    public Version? BitstreamVersion { get; set; }

    /// <summary>Accelerators only: state to match.</summary>
    public AcceleratorState? State { get; set; }

    /// <summary>Accelerators only: number of MMIO regions to match.</summary>
    public uint? MmioRegionCount { get; set; }

    /// <summary>Accelerators only: number of interrupt vectors to match.</summary>
    public uint? InterruptCount { get; set; }

    /// <summary>A filter that sets every property <paramref name="token"/> reports (it matches that object).</summary>
    internal static AcceleratorFilter Of(AcceleratorToken token) => new()
    {
        ObjectType = token.ObjectType,
        Guid = token.Guid,
        Segment = token.Segment,
        Bus = token.Bus,
        Device = token.Device,
        Function = token.Function,
        SocketId = token.SocketId,
        DeviceId = token.DeviceId,
        VendorId = token.VendorId,
        Parent = token.Parent,
        ObjectId = token.ObjectId,
        ErrorCount = token.ErrorCount,
        Interface = token.Interface,
        SubsystemVendorId = token.SubsystemVendorId,
        SubsystemDeviceId = token.SubsystemDeviceId,
        SlotCount = token.SlotCount,
        BitstreamId = token.BitstreamId,
        BitstreamVersion = token.BitstreamVersion,
        State = token.State,
        MmioRegionCount = token.MmioRegionCount,
        InterruptCount = token.InterruptCount,
    };

    /// <summary>An independent copy.</summary>
    internal AcceleratorFilter Clone() => (AcceleratorFilter)MemberwiseClone();

    /// <summary>The properties this filter sets, e.g. "{ObjectType=Accelerator, Guid=d8424dc4-…}"; "{any}" when none.</summary>
    public override string ToString()
    {
        var set = new List<string>();
        void Add(string name, object? value)
        {
            if (value is not null)
            {
                set.Add($"{name}={value}");
            }
        }

        Add(nameof(ObjectType), ObjectType);
        Add(nameof(Guid), Guid);
        Add(nameof(Segment), Segment);
        Add(nameof(Bus), Bus is { } bus ? $"0x{bus:x2}" : null);
        Add(nameof(Device), Device);
        Add(nameof(Function), Function);
        Add(nameof(SocketId), SocketId);
        Add(nameof(DeviceId), DeviceId is { } device ? $"0x{device:x4}" : null);
        Add(nameof(VendorId), VendorId is { } vendor ? $"0x{vendor:x4}" : null);
        Add(nameof(Parent), Parent?.Name);
        Add(nameof(ObjectId), ObjectId is { } objectId ? $"0x{objectId:x}" : null);
        Add(nameof(ErrorCount), ErrorCount);
        Add(nameof(Interface), Interface);
        Add(nameof(SubsystemVendorId), SubsystemVendorId is { } sv ? $"0x{sv:x4}" : null);
        Add(nameof(SubsystemDeviceId), SubsystemDeviceId is { } sd ? $"0x{sd:x4}" : null);
        Add(nameof(SlotCount), SlotCount);
        Add(nameof(BitstreamId), BitstreamId is { } bbs ? $"0x{bbs:x}" : null);
        Add(nameof(BitstreamVersion), BitstreamVersion);
        Add(nameof(State), State);
        Add(nameof(MmioRegionCount), MmioRegionCount);
        Add(nameof(InterruptCount), InterruptCount);
        return set.Count == 0 ? "{any}" : "{" + string.Join(", ", set) + "}";
    }

    /// <summary>True when <paramref name="token"/> has every property this filter sets.</summary>
    public bool Matches(AcceleratorToken token)
    {
        ArgumentNullException.ThrowIfNull(token);

        // The GUID last: it is the one property that may have to be read from the device.
        return MatchesAllButGuid(token) && (Guid is null || Guid == token.Guid);
    }

    /// <summary>True when <paramref name="token"/> has every property this filter sets, the GUID aside.</summary>
    internal bool MatchesAllButGuid(AcceleratorToken token) =>
        (ObjectType is null || ObjectType == token.ObjectType)
            && (Segment is null || Segment == token.Segment)
            && (Bus is null || Bus == token.Bus)
            && (Device is null || Device == token.Device)
            && (Function is null || Function == token.Function)
            && (SocketId is null || SocketId == token.SocketId)
            && (DeviceId is null || DeviceId == token.DeviceId)
            && (VendorId is null || VendorId == token.VendorId)
            && (Parent is null || (token.Parent is not null && Parent.Key == token.Parent.Key && ReferenceEquals(Parent.BackendImpl, token.Parent.BackendImpl)))
            && (ObjectId is null || ObjectId == token.ObjectId)
            && (ErrorCount is null || ErrorCount == token.ErrorCount)
            && (Interface is null || Interface == token.Interface)
            && (SubsystemVendorId is null || SubsystemVendorId == token.SubsystemVendorId)
            && (SubsystemDeviceId is null || SubsystemDeviceId == token.SubsystemDeviceId)
            && MatchesKindFields(token);

    // OPAE compares the device-only fields on devices and the accelerator-only ones on accelerators.
    private bool MatchesKindFields(AcceleratorToken token) => token.ObjectType == FpgaObjectType.Device
        ? (SlotCount is null || SlotCount == token.SlotCount)
            && (BitstreamId is null || BitstreamId == token.BitstreamId)
            && (BitstreamVersion is null || BitstreamVersion == token.BitstreamVersion)
        : (State is null || State == token.State)
            && (MmioRegionCount is null || MmioRegionCount == token.MmioRegionCount)
            && (InterruptCount is null || InterruptCount == token.InterruptCount);
}
