using System.Runtime.InteropServices;
using OpaeSharp.Native.Handles;

namespace OpaeSharp.Native.Exports;

/// <summary><c>opae/access.h</c>: opening, closing and resetting FPGA objects.</summary>
internal static unsafe class AccessExports
{
    private const int OpenShared = 1 << 0;

    // Accepted for source compatibility; only meaningful between OPAE's shell and its plugins.
    private const int OpenHasParentAfu = 1 << 1;

    [UnmanagedCallersOnly(EntryPoint = "fpgaOpen")]
    internal static FpgaResult Open(nint token, nint* handle, int flags)
    {
        const string Function = "fpgaOpen";
        try
        {
            if (!NativeObjects.Tokens.TryGet(token, out var found))
            {
                return Abi.BadToken(Function, token);
            }

            if (handle == null)
            {
                return Abi.Invalid(Function, "handle is NULL");
            }

            if ((flags & ~(OpenShared | OpenHasParentAfu)) != 0)
            {
                return Abi.Invalid(Function, $"unknown flags 0x{flags & ~(OpenShared | OpenHasParentAfu):x}");
            }

            var accelerator = Accelerator.Open(found, shared: (flags & OpenShared) != 0);
            *handle = NativeObjects.Handles.Add(accelerator);
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    /// <summary>OPAE's shell: children of an AFU that names child AFUs; none for any other handle.</summary>
    [UnmanagedCallersOnly(EntryPoint = "fpgaGetChildren")]
    internal static FpgaResult GetChildren(nint handle, uint maxChildren, nint* children, uint* childCount)
    {
        const string Function = "fpgaGetChildren";
        try
        {
            if (!Abi.TryGetHandle(handle, out var accelerator))
            {
                return Abi.BadHandle(Function, handle);
            }

            if (childCount == null)
            {
                return Abi.Invalid(Function, "num_children is NULL");
            }

            if (maxChildren > 0 && children == null)
            {
                return Abi.Invalid(Function, $"max_children is {maxChildren} but children is NULL");
            }

            *childCount = 0;
            var status = accelerator.GetChildren(out var found);
            if (!status.IsOk)
            {
                return Abi.Refuse(Function, status.Result, status.Reason!);
            }

            // No backend opens children yet (GetChildren refuses AFUs that name them), so there are none to list.
            *childCount = (uint)found.Count;
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaClose")]
    internal static FpgaResult Close(nint handle)
    {
        const string Function = "fpgaClose";
        try
        {
            if (!NativeObjects.Handles.TryRemove(handle, out var accelerator))
            {
                return Abi.BadHandle(Function, handle);
            }

            // Releases the buffers still prepared (logged), then the device.
            accelerator.Dispose();
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaReset")]
    internal static FpgaResult Reset(nint handle)
    {
        const string Function = "fpgaReset";
        try
        {
            if (!Abi.TryGetHandle(handle, out var accelerator))
            {
                return Abi.BadHandle(Function, handle);
            }

            accelerator.Reset();
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }
}
