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

    private static FpgaResult Get<T>(string function, nint properties, T* value, Func<NativeProperties, T?> read)
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
            lock (source.Sync)
            {
                field = read(source);
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

    private static FpgaResult Set<T>(string function, nint properties, T value, Action<NativeProperties, T> write)
    {
        try
        {
            if (!NativeObjects.Properties.TryGet(properties, out var target))
            {
                return Abi.BadProperties(function, properties);
            }

            lock (target.Sync)
            {
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
