using System.Runtime.InteropServices;
using OpaeSharp.Native.Handles;

namespace OpaeSharp.Native.Exports;

/// <summary>
/// <c>opae/properties.h</c>: properties objects, used as enumeration filters and to describe a
/// token. Every accessor answers INVALID_PARAM for a properties value that is not live or a NULL
/// output pointer, and NOT_FOUND from a getter whose field was never set.
/// </summary>
internal static unsafe class PropertiesExports
{
    private const byte MaxPciDevice = 31;
    private const byte MaxPciFunction = 7;

    [UnmanagedCallersOnly(EntryPoint = "fpgaGetProperties")]
    internal static FpgaResult GetProperties(nint token, nint* properties)
    {
        const string Function = "fpgaGetProperties";
        try
        {
            if (properties == null)
            {
                return Abi.Invalid(Function, "prop is NULL");
            }

            if (token == 0)
            {
                // An empty filter: every field "don't care".
                *properties = NativeObjects.Properties.Add(new NativeProperties());
                return FpgaResult.Ok;
            }

            if (!NativeObjects.Tokens.TryGet(token, out var found))
            {
                return Abi.BadToken(Function, token);
            }

            *properties = NativeObjects.Properties.Add(NativeProperties.Of(found));
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaGetPropertiesFromHandle")]
    internal static FpgaResult GetPropertiesFromHandle(nint handle, nint* properties)
    {
        const string Function = "fpgaGetPropertiesFromHandle";
        try
        {
            if (!Abi.TryGetHandle(handle, out var accelerator))
            {
                return Abi.BadHandle(Function, handle);
            }

            if (properties == null)
            {
                return Abi.Invalid(Function, "prop is NULL");
            }

            *properties = NativeObjects.Properties.Add(NativeProperties.Of(accelerator.Token));
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaUpdateProperties")]
    internal static FpgaResult UpdateProperties(nint token, nint properties)
    {
        const string Function = "fpgaUpdateProperties";
        try
        {
            if (!NativeObjects.Tokens.TryGet(token, out var found))
            {
                return Abi.BadToken(Function, token);
            }

            if (!NativeObjects.Properties.TryGet(properties, out var target))
            {
                return Abi.BadProperties(Function, properties);
            }

            target.Fill(found);
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaClearProperties")]
    internal static FpgaResult ClearProperties(nint properties)
    {
        const string Function = "fpgaClearProperties";
        try
        {
            if (!NativeObjects.Properties.TryGet(properties, out var target))
            {
                return Abi.BadProperties(Function, properties);
            }

            target.Clear();
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaCloneProperties")]
    internal static FpgaResult CloneProperties(nint source, nint* destination)
    {
        const string Function = "fpgaCloneProperties";
        try
        {
            if (!NativeObjects.Properties.TryGet(source, out var original))
            {
                return Abi.BadProperties(Function, source);
            }

            if (destination == null)
            {
                return Abi.Invalid(Function, "dst is NULL");
            }

            *destination = NativeObjects.Properties.Add(original.Clone());
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaDestroyProperties")]
    internal static FpgaResult DestroyProperties(nint* properties)
    {
        const string Function = "fpgaDestroyProperties";
        try
        {
            if (properties == null)
            {
                return Abi.Invalid(Function, "prop is NULL");
            }

            if (!NativeObjects.Properties.TryRemove(*properties, out _))
            {
                return Abi.BadProperties(Function, *properties);
            }

            *properties = 0;
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesGetParent")]
    internal static FpgaResult GetParent(nint properties, nint* parent)
    {
        const string Function = "fpgaPropertiesGetParent";
        try
        {
            if (!NativeObjects.Properties.TryGet(properties, out var source))
            {
                return Abi.BadProperties(Function, properties);
            }

            if (parent == null)
            {
                return Abi.Invalid(Function, "parent is NULL");
            }

            var token = source.Fields.Parent;
            if (token is null)
            {
                return Abi.Refuse(Function, FpgaResult.NotFound, "no parent (an FPGA_DEVICE has none, or it was never set)");
            }

            // A new token the caller owns and destroys, as with OPAE.
            *parent = NativeObjects.Tokens.Add(token);
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesSetParent")]
    internal static FpgaResult SetParent(nint properties, nint parent)
    {
        const string Function = "fpgaPropertiesSetParent";
        try
        {
            if (!NativeObjects.Properties.TryGet(properties, out var target))
            {
                return Abi.BadProperties(Function, properties);
            }

            if (!NativeObjects.Tokens.TryGet(parent, out var token))
            {
                return Abi.BadToken(Function, parent);
            }

            lock (target.Sync)
            {
                target.Fields.Parent = token;
            }

            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesGetObjectType")]
    internal static FpgaResult GetObjectType(nint properties, int* objectType) =>
        Get("fpgaPropertiesGetObjectType", properties, objectType, static p => p.Fields.ObjectType is { } t ? (int)t : null);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesSetObjectType")]
    internal static FpgaResult SetObjectType(nint properties, int objectType)
    {
        if (objectType is not ((int)FpgaObjectType.Device or (int)FpgaObjectType.Accelerator))
        {
            return Abi.Invalid("fpgaPropertiesSetObjectType", $"{objectType} is not FPGA_DEVICE (0) or FPGA_ACCELERATOR (1)");
        }

        return Set("fpgaPropertiesSetObjectType", properties, (FpgaObjectType)objectType, static (p, v) => p.Fields.ObjectType = v);
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesGetGUID")]
    internal static FpgaResult GetGuid(nint properties, byte* guid)
    {
        const string Function = "fpgaPropertiesGetGUID";
        try
        {
            if (!NativeObjects.Properties.TryGet(properties, out var source))
            {
                return Abi.BadProperties(Function, properties);
            }

            if (guid == null)
            {
                return Abi.Invalid(Function, "guid is NULL");
            }

            Guid? value;
            lock (source.Sync)
            {
                value = source.Fields.Guid;
            }

            if (value is not { } set)
            {
                return Abi.Refuse(Function, FpgaResult.NotFound, "the GUID was never set");
            }

            // fpga_guid is libuuid's uuid_t: the bytes in the order the text form reads.
            set.TryWriteBytes(new Span<byte>(guid, 16), bigEndian: true, out _);
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesSetGUID")]
    internal static FpgaResult SetGuid(nint properties, byte* guid)
    {
        const string Function = "fpgaPropertiesSetGUID";
        try
        {
            if (guid == null)
            {
                return Abi.Invalid(Function, "guid is NULL");
            }

            return Set(Function, properties, new Guid(new ReadOnlySpan<byte>(guid, 16), bigEndian: true), static (p, v) => p.Fields.Guid = v);
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesGetSegment")]
    internal static FpgaResult GetSegment(nint properties, ushort* segment) =>
        Get("fpgaPropertiesGetSegment", properties, segment, static p => p.Fields.Segment);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesSetSegment")]
    internal static FpgaResult SetSegment(nint properties, ushort segment) =>
        Set("fpgaPropertiesSetSegment", properties, segment, static (p, v) => p.Fields.Segment = v);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesGetBus")]
    internal static FpgaResult GetBus(nint properties, byte* bus) =>
        Get("fpgaPropertiesGetBus", properties, bus, static p => p.Fields.Bus);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesSetBus")]
    internal static FpgaResult SetBus(nint properties, byte bus) =>
        Set("fpgaPropertiesSetBus", properties, bus, static (p, v) => p.Fields.Bus = v);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesGetDevice")]
    internal static FpgaResult GetDevice(nint properties, byte* device) =>
        Get("fpgaPropertiesGetDevice", properties, device, static p => p.Fields.Device);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesSetDevice")]
    internal static FpgaResult SetDevice(nint properties, byte device) =>
        device > MaxPciDevice
            ? Abi.Invalid("fpgaPropertiesSetDevice", $"PCI device {device} is above {MaxPciDevice}")
            : Set("fpgaPropertiesSetDevice", properties, device, static (p, v) => p.Fields.Device = v);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesGetFunction")]
    internal static FpgaResult GetFunction(nint properties, byte* function) =>
        Get("fpgaPropertiesGetFunction", properties, function, static p => p.Fields.Function);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesSetFunction")]
    internal static FpgaResult SetFunction(nint properties, byte function) =>
        function > MaxPciFunction
            ? Abi.Invalid("fpgaPropertiesSetFunction", $"PCI function {function} is above {MaxPciFunction}")
            : Set("fpgaPropertiesSetFunction", properties, function, static (p, v) => p.Fields.Function = v);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesGetSocketID")]
    internal static FpgaResult GetSocketId(nint properties, byte* socketId) =>
        Get("fpgaPropertiesGetSocketID", properties, socketId, static p => p.Fields.SocketId);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesSetSocketID")]
    internal static FpgaResult SetSocketId(nint properties, byte socketId) =>
        Set("fpgaPropertiesSetSocketID", properties, socketId, static (p, v) => p.Fields.SocketId = v);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesGetDeviceID")]
    internal static FpgaResult GetDeviceId(nint properties, ushort* deviceId) =>
        Get("fpgaPropertiesGetDeviceID", properties, deviceId, static p => p.Fields.DeviceId);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesSetDeviceID")]
    internal static FpgaResult SetDeviceId(nint properties, ushort deviceId) =>
        Set("fpgaPropertiesSetDeviceID", properties, deviceId, static (p, v) => p.Fields.DeviceId = v);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesGetVendorID")]
    internal static FpgaResult GetVendorId(nint properties, ushort* vendorId) =>
        Get("fpgaPropertiesGetVendorID", properties, vendorId, static p => p.Fields.VendorId);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesSetVendorID")]
    internal static FpgaResult SetVendorId(nint properties, ushort vendorId) =>
        Set("fpgaPropertiesSetVendorID", properties, vendorId, static (p, v) => p.Fields.VendorId = v);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesGetObjectID")]
    internal static FpgaResult GetObjectId(nint properties, ulong* objectId) =>
        Get("fpgaPropertiesGetObjectID", properties, objectId, static p => p.Fields.ObjectId);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesSetObjectID")]
    internal static FpgaResult SetObjectId(nint properties, ulong objectId) =>
        Set("fpgaPropertiesSetObjectID", properties, objectId, static (p, v) => p.Fields.ObjectId = v);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesGetNumErrors")]
    internal static FpgaResult GetNumErrors(nint properties, uint* numErrors) =>
        Get("fpgaPropertiesGetNumErrors", properties, numErrors, static p => p.Fields.ErrorCount);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesSetNumErrors")]
    internal static FpgaResult SetNumErrors(nint properties, uint numErrors) =>
        Set("fpgaPropertiesSetNumErrors", properties, numErrors, static (p, v) => p.Fields.ErrorCount = v);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesGetInterface")]
    internal static FpgaResult GetInterface(nint properties, int* value) =>
        Get("fpgaPropertiesGetInterface", properties, value, static p => p.Fields.Interface is { } i ? (int)i : null);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesSetInterface")]
    internal static FpgaResult SetInterface(nint properties, int value) =>
        value is < (int)FpgaInterface.Dfl or > (int)FpgaInterface.Uio
            ? Abi.Invalid("fpgaPropertiesSetInterface", $"{value} is not an fpga_interface (FPGA_IFC_DFL..FPGA_IFC_UIO)")
            : Set("fpgaPropertiesSetInterface", properties, (FpgaInterface)value, static (p, v) => p.Fields.Interface = v);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesGetSubsystemVendorID")]
    internal static FpgaResult GetSubsystemVendorId(nint properties, ushort* value) =>
        Get("fpgaPropertiesGetSubsystemVendorID", properties, value, static p => p.Fields.SubsystemVendorId);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesSetSubsystemVendorID")]
    internal static FpgaResult SetSubsystemVendorId(nint properties, ushort value) =>
        Set("fpgaPropertiesSetSubsystemVendorID", properties, value, static (p, v) => p.Fields.SubsystemVendorId = v);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesGetSubsystemDeviceID")]
    internal static FpgaResult GetSubsystemDeviceId(nint properties, ushort* value) =>
        Get("fpgaPropertiesGetSubsystemDeviceID", properties, value, static p => p.Fields.SubsystemDeviceId);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesSetSubsystemDeviceID")]
    internal static FpgaResult SetSubsystemDeviceId(nint properties, ushort value) =>
        Set("fpgaPropertiesSetSubsystemDeviceID", properties, value, static (p, v) => p.Fields.SubsystemDeviceId = v);

    // ---- FPGA_DEVICE only: OPAE answers INVALID_PARAM when the object type is not (set to) FPGA_DEVICE ----

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesGetNumSlots")]
    internal static FpgaResult GetNumSlots(nint properties, uint* numSlots) =>
        Get("fpgaPropertiesGetNumSlots", properties, numSlots, static p => p.Fields.SlotCount, FpgaObjectType.Device);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesSetNumSlots")]
    internal static FpgaResult SetNumSlots(nint properties, uint numSlots) =>
        Set("fpgaPropertiesSetNumSlots", properties, numSlots, static (p, v) => p.Fields.SlotCount = v, FpgaObjectType.Device);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesGetBBSID")]
    internal static FpgaResult GetBbsId(nint properties, ulong* bbsId) =>
        Get("fpgaPropertiesGetBBSID", properties, bbsId, static p => p.Fields.BitstreamId, FpgaObjectType.Device);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesSetBBSID")]
    internal static FpgaResult SetBbsId(nint properties, ulong bbsId) =>
        Set("fpgaPropertiesSetBBSID", properties, bbsId, static (p, v) => p.Fields.BitstreamId = v, FpgaObjectType.Device);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesGetBBSVersion")]
    internal static FpgaResult GetBbsVersion(nint properties, FpgaVersion* version) =>
        Get(
            "fpgaPropertiesGetBBSVersion",
            properties,
            version,
            static p => p.Fields.BitstreamVersion is { } v ? new FpgaVersion { Major = (byte)v.Major, Minor = (byte)v.Minor, Patch = (ushort)Math.Max(0, v.Build) } : null,
            FpgaObjectType.Device);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesSetBBSVersion")]
    internal static FpgaResult SetBbsVersion(nint properties, FpgaVersion version) =>
        Set("fpgaPropertiesSetBBSVersion", properties, new Version(version.Major, version.Minor, version.Patch), static (p, v) => p.Fields.BitstreamVersion = v, FpgaObjectType.Device);

    // ---- FPGA_ACCELERATOR only ----

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesGetNumMMIO")]
    internal static FpgaResult GetNumMmio(nint properties, uint* numMmio) =>
        Get("fpgaPropertiesGetNumMMIO", properties, numMmio, static p => p.Fields.MmioRegionCount, FpgaObjectType.Accelerator);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesSetNumMMIO")]
    internal static FpgaResult SetNumMmio(nint properties, uint numMmio) =>
        Set("fpgaPropertiesSetNumMMIO", properties, numMmio, static (p, v) => p.Fields.MmioRegionCount = v, FpgaObjectType.Accelerator);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesGetNumInterrupts")]
    internal static FpgaResult GetNumInterrupts(nint properties, uint* numInterrupts) =>
        Get("fpgaPropertiesGetNumInterrupts", properties, numInterrupts, static p => p.Fields.InterruptCount, FpgaObjectType.Accelerator);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesSetNumInterrupts")]
    internal static FpgaResult SetNumInterrupts(nint properties, uint numInterrupts) =>
        Set("fpgaPropertiesSetNumInterrupts", properties, numInterrupts, static (p, v) => p.Fields.InterruptCount = v, FpgaObjectType.Accelerator);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesGetAcceleratorState")]
    internal static FpgaResult GetAcceleratorState(nint properties, int* state) =>
        Get("fpgaPropertiesGetAcceleratorState", properties, state, static p => p.Fields.State is { } s ? (int)s : null, FpgaObjectType.Accelerator);

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesSetAcceleratorState")]
    internal static FpgaResult SetAcceleratorState(nint properties, int state) =>
        state is not ((int)AcceleratorState.Assigned or (int)AcceleratorState.Unassigned)
            ? Abi.Invalid("fpgaPropertiesSetAcceleratorState", $"{state} is not FPGA_ACCELERATOR_ASSIGNED (0) or FPGA_ACCELERATOR_UNASSIGNED (1)")
            : Set("fpgaPropertiesSetAcceleratorState", properties, (AcceleratorState)state, static (p, v) => p.Fields.State = v, FpgaObjectType.Accelerator);

    // ---- not part of OPAE's properties model: its own library answers NOT_SUPPORTED, whatever the arguments ----

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesGetModel")]
    internal static FpgaResult GetModel(nint properties, byte* model) => NotSupported("fpgaPropertiesGetModel", "model");

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesSetModel")]
    internal static FpgaResult SetModel(nint properties, byte* model) => NotSupported("fpgaPropertiesSetModel", "model");

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesGetLocalMemorySize")]
    internal static FpgaResult GetLocalMemorySize(nint properties, ulong* size) => NotSupported("fpgaPropertiesGetLocalMemorySize", "local memory size");

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesSetLocalMemorySize")]
    internal static FpgaResult SetLocalMemorySize(nint properties, ulong size) => NotSupported("fpgaPropertiesSetLocalMemorySize", "local memory size");

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesGetCapabilities")]
    internal static FpgaResult GetCapabilities(nint properties, ulong* capabilities) => NotSupported("fpgaPropertiesGetCapabilities", "capabilities");

    [UnmanagedCallersOnly(EntryPoint = "fpgaPropertiesSetCapabilities")]
    internal static FpgaResult SetCapabilities(nint properties, ulong capabilities) => NotSupported("fpgaPropertiesSetCapabilities", "capabilities");

    private static FpgaResult NotSupported(string function, string what) =>
        Abi.Refuse(function, FpgaResult.NotSupported, $"no FPGA driver reports a {what} (OPAE leaves this property unimplemented)");

    private static FpgaResult Get<T>(string function, nint properties, T* value, Func<NativeProperties, T?> read, FpgaObjectType? only = null)
        where T : unmanaged
    {
        try
        {
            if (!NativeObjects.Properties.TryGet(properties, out var source))
            {
                return Abi.BadProperties(function, properties);
            }

            if (value == null)
            {
                return Abi.Invalid(function, "output pointer is NULL");
            }

            T? field;
            FpgaObjectType? type;
            lock (source.Sync)
            {
                field = read(source);
                type = source.Fields.ObjectType;
            }

            if (only is { } required && type != required)
            {
                return Abi.Invalid(function, $"the property belongs to {Describe(required)} objects, and the object type is {(type is { } t ? Describe(t) : "not set")}");
            }

            if (field is not { } set)
            {
                return Abi.Refuse(function, FpgaResult.NotFound, "the property was never set");
            }

            *value = set;
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(function, e);
        }
    }

    private static string Describe(FpgaObjectType type) => type == FpgaObjectType.Device ? "FPGA_DEVICE" : "FPGA_ACCELERATOR";

    private static FpgaResult Set<T>(string function, nint properties, T value, Action<NativeProperties, T> write, FpgaObjectType? only = null)
    {
        try
        {
            if (!NativeObjects.Properties.TryGet(properties, out var target))
            {
                return Abi.BadProperties(function, properties);
            }

            lock (target.Sync)
            {
                if (only is { } required && target.Fields.ObjectType != required)
                {
                    var type = target.Fields.ObjectType;
                    return Abi.Invalid(function, $"the property belongs to {Describe(required)} objects; set the object type to it first (it is {(type is { } t ? Describe(t) : "not set")})");
                }

                write(target, value);
            }

            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(function, e);
        }
    }
}
