using OpaeSharp.Enumeration;

namespace OpaeSharp.Native.Handles;

/// <summary>
/// One <c>fpga_properties</c> object: every field is unset (null) until a setter or
/// fpgaGetProperties fills it. Getters of unset fields answer FPGA_NOT_FOUND, as OPAE's do.
/// Guarded by a lock because C programs may share one object between threads.
/// </summary>
internal sealed class NativeProperties
{
    internal Lock Sync { get; } = new();

    internal FpgaObjectType? ObjectType { get; set; }

    internal Guid? Guid { get; set; }

    internal ushort? Segment { get; set; }

    internal byte? Bus { get; set; }

    internal byte? Device { get; set; }

    internal byte? Function { get; set; }

    internal byte? SocketId { get; set; }

    internal ushort? DeviceId { get; set; }

    internal ushort? VendorId { get; set; }

    internal AcceleratorToken? Parent { get; set; }

    /// <summary>The properties of an enumerated object: everything it reports is set.</summary>
    internal static NativeProperties Of(AcceleratorToken token)
    {
        var properties = new NativeProperties();
        properties.Fill(token);
        return properties;
    }

    internal void Fill(AcceleratorToken token)
    {
        lock (Sync)
        {
            ObjectType = token.ObjectType;
            Guid = token.Guid;
            Segment = token.Segment;
            Bus = token.Bus;
            Device = token.Device;
            Function = token.Function;
            SocketId = token.SocketId;
            DeviceId = token.DeviceId;
            VendorId = token.VendorId;
            Parent = token.Parent;
        }
    }

    internal void Clear()
    {
        lock (Sync)
        {
            ObjectType = null;
            Guid = null;
            Segment = null;
            Bus = null;
            Device = null;
            Function = null;
            SocketId = null;
            DeviceId = null;
            VendorId = null;
            Parent = null;
        }
    }

    internal NativeProperties Clone()
    {
        lock (Sync)
        {
            return new NativeProperties
            {
                ObjectType = ObjectType,
                Guid = Guid,
                Segment = Segment,
                Bus = Bus,
                Device = Device,
                Function = Function,
                SocketId = SocketId,
                DeviceId = DeviceId,
                VendorId = VendorId,
                Parent = Parent,
            };
        }
    }

    /// <summary>The enumeration filter these properties describe (unset fields match anything).</summary>
    internal AcceleratorFilter ToFilter()
    {
        lock (Sync)
        {
            return new AcceleratorFilter
            {
                ObjectType = ObjectType,
                Guid = Guid,
                Segment = Segment,
                Bus = Bus,
                Device = Device,
                Function = Function,
                SocketId = SocketId,
                DeviceId = DeviceId,
                VendorId = VendorId,
                Parent = Parent,
            };
        }
    }
}
