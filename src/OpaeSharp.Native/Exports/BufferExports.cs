using System.Runtime.InteropServices;

namespace OpaeSharp.Native.Exports;

/// <summary><c>opae/buffer.h</c>: shared buffers, checked in the order of opae-buffer-api.md.</summary>
internal static unsafe class BufferExports
{
    [UnmanagedCallersOnly(EntryPoint = "fpgaPrepareBuffer")]
    internal static FpgaResult PrepareBuffer(nint handle, ulong length, nint* bufferAddress, ulong* workspaceId, int flags)
    {
        const string Function = "fpgaPrepareBuffer";
        var quiet = (flags & (int)BufferFlags.Quiet) != 0;
        try
        {
            if (!Abi.TryGetHandle(handle, out var accelerator))
            {
                return Abi.BadHandle(Function, handle);
            }

            if (workspaceId == null)
            {
                return Abi.Refuse(Function, FpgaResult.InvalidParam, "wsid is NULL", quiet);
            }

            if ((flags & ~Accelerator.KnownFlags) != 0)
            {
                return Abi.Refuse(Function, FpgaResult.InvalidParam, $"unknown flags 0x{flags & ~Accelerator.KnownFlags:x}", quiet);
            }

            var preallocated = (flags & (int)BufferFlags.Preallocated) != 0;
            if (preallocated && bufferAddress == null && length == 0)
            {
                // The probe: "are preallocated buffers supported?" Yes, and nothing else happens.
                return FpgaResult.Ok;
            }

            if (bufferAddress == null)
            {
                return Abi.Refuse(Function, FpgaResult.InvalidParam, "buf_addr is NULL", quiet);
            }

            if (!HeapBudget.HasRoom())
            {
                return Abi.Refuse(
                    Function,
                    FpgaResult.NoMemory,
                    $"the library's managed heap ({HeapBudget.Range >> 20} MiB reserved) is nearly full with the buffers and handles already open; release some, or raise DOTNET_GCRegionRange (hexadecimal bytes)",
                    quiet);
            }

            // Rows 6-8 and 10-13 (address, length, alignment, memory, mapping) are the library's own checks.
            var address = preallocated ? *bufferAddress : 0;
            var status = accelerator.TryPrepare(length, address, flags, out var buffer);
            if (!status.IsOk)
            {
                // The pipeline has logged it already, unless FPGA_BUF_QUIET.
                return status.Result;
            }

            *bufferAddress = buffer!.Address;
            *workspaceId = buffer.WorkspaceId;
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e, quiet);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaReleaseBuffer")]
    internal static FpgaResult ReleaseBuffer(nint handle, ulong workspaceId)
    {
        const string Function = "fpgaReleaseBuffer";
        try
        {
            if (!Abi.TryGetHandle(handle, out var accelerator))
            {
                return Abi.BadHandle(Function, handle);
            }

            var status = accelerator.Release(workspaceId);
            return status.IsOk ? FpgaResult.Ok : Abi.Refuse(Function, status.Result, status.Reason ?? status.Result.Describe());
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaGetIOAddress")]
    internal static FpgaResult GetIoAddress(nint handle, ulong workspaceId, ulong* ioAddress)
    {
        const string Function = "fpgaGetIOAddress";
        try
        {
            if (!Abi.TryGetHandle(handle, out var accelerator))
            {
                return Abi.BadHandle(Function, handle);
            }

            if (ioAddress == null)
            {
                return Abi.Invalid(Function, "ioaddr is NULL");
            }

            if (!accelerator.TryGetIoAddress(workspaceId, out var address))
            {
                return Abi.Refuse(Function, FpgaResult.NotFound, $"workspace id {workspaceId} is not a live buffer of this handle");
            }

            *ioAddress = address;
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    /// <summary>Shared virtual addressing, where the driver offers it (OFS's dfl-pci under vfio); NOT_SUPPORTED elsewhere, as OPAE.</summary>
    [UnmanagedCallersOnly(EntryPoint = "fpgaBindSVA")]
    internal static FpgaResult BindSva(nint handle, uint* pasid)
    {
        const string Function = "fpgaBindSVA";
        try
        {
            if (!Abi.TryGetHandle(handle, out var accelerator))
            {
                return Abi.BadHandle(Function, handle);
            }

            var status = accelerator.BindSva(out var bound);
            if (!status.IsOk)
            {
                return Abi.Refuse(Function, status.Result, status.Reason!);
            }

            if (pasid != null)
            {
                *pasid = bound;
            }

            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }
}
