using System.Runtime.InteropServices;
using OpaeSharp.Native.Handles;
using OpaeSharp.Objects;

namespace OpaeSharp.Native.Exports;

/// <summary>
/// <c>opae/sysobject.h</c>: the attributes of a device or accelerator as objects (on DFL its
/// sysfs directory, on the simulator the simulated one). Objects are ids in their own table:
/// NULL, destroyed or made-up values are INVALID_PARAM. An attribute keeps the bytes read when it
/// was made or last synchronised (FPGA_OBJECT_SYNC reads again), as OPAE's do.
/// </summary>
internal static unsafe class SysobjectExports
{
    private const int KnownFlags = (int)(ObjectFlags.Sync | ObjectFlags.Glob | ObjectFlags.Raw | ObjectFlags.RecurseOne | ObjectFlags.RecurseAll);

    [UnmanagedCallersOnly(EntryPoint = "fpgaTokenGetObject")]
    internal static FpgaResult TokenGetObject(nint token, byte* name, nint* obj, int flags)
    {
        const string Function = "fpgaTokenGetObject";
        try
        {
            if (!NativeObjects.Tokens.TryGet(token, out var found))
            {
                return Abi.BadToken(Function, token);
            }

            return Make(Function, found, null, name, obj, flags);
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaHandleGetObject")]
    internal static FpgaResult HandleGetObject(nint handle, byte* name, nint* obj, int flags)
    {
        const string Function = "fpgaHandleGetObject";
        try
        {
            if (!Abi.TryGetHandle(handle, out var accelerator))
            {
                return Abi.BadHandle(Function, handle);
            }

            return Make(Function, accelerator.Token, accelerator, name, obj, flags);
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaObjectGetObject")]
    internal static FpgaResult ObjectGetObject(nint parent, byte* name, nint* obj, int flags)
    {
        const string Function = "fpgaObjectGetObject";
        try
        {
            if (!NativeObjects.Objects.TryGet(parent, out var container))
            {
                return BadObject(Function, parent);
            }

            if (Check(Function, name, obj, flags) is { } refused)
            {
                return refused;
            }

            if (!container.Node.IsContainer)
            {
                return Abi.Invalid(Function, $"{container.Node.Name} is an attribute, not a container");
            }

            var status = SysfsObject.Open(container.Node.Sysfs, container.Node.Path, NativeStrings.Read(name), (ObjectFlags)flags, container.Node.Writable, out var node);
            return Finish(Function, status, node, container.Owner, obj);
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaObjectGetObjectAt")]
    internal static FpgaResult ObjectGetObjectAt(nint parent, nuint index, nint* obj)
    {
        const string Function = "fpgaObjectGetObjectAt";
        try
        {
            if (!NativeObjects.Objects.TryGet(parent, out var container))
            {
                return BadObject(Function, parent);
            }

            if (obj == null)
            {
                return Abi.Invalid(Function, "object is NULL");
            }

            if (!container.Node.IsContainer)
            {
                return Abi.Invalid(Function, $"{container.Node.Name} is an attribute, not a container");
            }

            var children = container.Node.Children;
            if (index >= (nuint)children.Count)
            {
                return Abi.Invalid(Function, $"index {index} is past the {children.Count} objects of {container.Node.Name} (made with FPGA_OBJECT_RECURSE_ONE/ALL?)");
            }

            *obj = NativeObjects.Objects.Add(new NativeSysobject(children[(int)index], container.Owner));
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaObjectGetType")]
    internal static FpgaResult ObjectGetType(nint obj, int* type)
    {
        const string Function = "fpgaObjectGetType";
        try
        {
            if (!NativeObjects.Objects.TryGet(obj, out var found))
            {
                return BadObject(Function, obj);
            }

            if (type == null)
            {
                return Abi.Invalid(Function, "type is NULL");
            }

            // FPGA_OBJECT_CONTAINER (1 << 0), FPGA_OBJECT_ATTRIBUTE (1 << 1).
            *type = found.Node.IsContainer ? 1 : 2;
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaDestroyObject")]
    internal static FpgaResult DestroyObject(nint* obj)
    {
        const string Function = "fpgaDestroyObject";
        try
        {
            if (obj == null)
            {
                return Abi.Invalid(Function, "obj is NULL");
            }

            if (!NativeObjects.Objects.TryRemove(*obj, out _))
            {
                return BadObject(Function, *obj);
            }

            *obj = 0;
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaObjectGetSize")]
    internal static FpgaResult ObjectGetSize(nint obj, uint* size, int flags)
    {
        const string Function = "fpgaObjectGetSize";
        try
        {
            if (!NativeObjects.Objects.TryGet(obj, out var found))
            {
                return BadObject(Function, obj);
            }

            if (size == null)
            {
                return Abi.Invalid(Function, "value is NULL");
            }

            if ((flags & (int)ObjectFlags.Sync) != 0 && found.Node.Sync() is { IsOk: false } failed)
            {
                return Abi.Refuse(Function, failed.Result, failed.Reason!);
            }

            *size = (uint)found.Node.Size;
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaObjectRead")]
    internal static FpgaResult ObjectRead(nint obj, byte* buffer, nuint offset, nuint length, int flags)
    {
        const string Function = "fpgaObjectRead";
        try
        {
            if (!NativeObjects.Objects.TryGet(obj, out var found))
            {
                return BadObject(Function, obj);
            }

            if (buffer == null)
            {
                return Abi.Invalid(Function, "buffer is NULL");
            }

            var node = found.Node;
            if (node.IsContainer)
            {
                return Abi.Invalid(Function, $"{node.Name} is a container; read its attributes");
            }

            if ((flags & (int)ObjectFlags.Sync) != 0 && node.Sync() is { IsOk: false } failed)
            {
                return Abi.Refuse(Function, failed.Result, failed.Reason!);
            }

            var content = node.Content;
            if (offset > (nuint)content.Length || length > (nuint)content.Length - offset)
            {
                return Abi.Invalid(Function, $"bytes {offset}..{offset + length} are past the {content.Length} bytes of {node.Name}");
            }

            content.AsSpan((int)offset, (int)length).CopyTo(new Span<byte>(buffer, (int)length));
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaObjectRead64")]
    internal static FpgaResult ObjectRead64(nint obj, ulong* value, int flags)
    {
        const string Function = "fpgaObjectRead64";
        try
        {
            if (!NativeObjects.Objects.TryGet(obj, out var found))
            {
                return BadObject(Function, obj);
            }

            if (value == null)
            {
                return Abi.Invalid(Function, "value is NULL");
            }

            var status = found.Node.Read64((ObjectFlags)flags, out var read);
            if (!status.IsOk)
            {
                return Abi.Refuse(Function, status.Result, status.Reason!);
            }

            *value = read;
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaObjectWrite64")]
    internal static FpgaResult ObjectWrite64(nint obj, ulong value, int flags)
    {
        const string Function = "fpgaObjectWrite64";
        try
        {
            if (!NativeObjects.Objects.TryGet(obj, out var found))
            {
                return BadObject(Function, obj);
            }

            if (found.Owner is { IsClosed: true })
            {
                return Abi.Invalid(Function, "the handle this object was made through is closed");
            }

            var status = found.Node.Write64(value, (ObjectFlags)flags);
            return status.IsOk ? FpgaResult.Ok : Abi.Refuse(Function, status.Result, status.Reason!);
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    private static FpgaResult Make(string function, Enumeration.AcceleratorToken token, Accelerator? owner, byte* name, nint* obj, int flags)
    {
        if (Check(function, name, obj, flags) is { } refused)
        {
            return refused;
        }

        var status = FpgaObject.Find(token, NativeStrings.Read(name), (ObjectFlags)flags, writable: owner is not null, out var node);
        return Finish(function, status, node, owner, obj);
    }

    private static FpgaResult? Check(string function, byte* name, nint* obj, int flags)
    {
        if (name == null)
        {
            return Abi.Invalid(function, "name is NULL");
        }

        if (obj == null)
        {
            return Abi.Invalid(function, "object is NULL");
        }

        if ((flags & ~KnownFlags) != 0)
        {
            return Abi.Invalid(function, $"unknown flags 0x{flags & ~KnownFlags:x} (FPGA_OBJECT_SYNC, _GLOB, _RAW, _RECURSE_ONE, _RECURSE_ALL)");
        }

        return null;
    }

    private static FpgaResult Finish(string function, Status status, SysfsObject? node, Accelerator? owner, nint* obj)
    {
        if (!status.IsOk)
        {
            return Abi.Refuse(function, status.Result, status.Reason!);
        }

        *obj = NativeObjects.Objects.Add(new NativeSysobject(node!, owner));
        return FpgaResult.Ok;
    }

    private static FpgaResult BadObject(string function, nint obj) =>
        Abi.Invalid(function, $"0x{obj:x} is not a live object of this library (NULL, destroyed, or never returned by fpgaTokenGetObject/fpgaHandleGetObject/fpgaObjectGetObject)");


}
