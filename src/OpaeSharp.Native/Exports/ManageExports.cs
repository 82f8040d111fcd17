using System.Runtime.InteropServices;

namespace OpaeSharp.Native.Exports;

/// <summary>
/// <c>opae/manage.h</c>: partial reconfiguration (<see cref="Accelerator.Reconfigure"/>), and port
/// assignment, which needs SR-IOV control no backend here has: valid calls answer FPGA_NOT_SUPPORTED.
/// </summary>
internal static unsafe class ManageExports
{
    [UnmanagedCallersOnly(EntryPoint = "fpgaReconfigureSlot")]
    internal static FpgaResult ReconfigureSlot(nint handle, uint slot, byte* bitstream, nuint bitstreamLength, int flags)
    {
        const string Function = "fpgaReconfigureSlot";
        try
        {
            if (!Abi.TryGetHandle(handle, out var accelerator))
            {
                return Abi.BadHandle(Function, handle);
            }

            if (bitstream == null)
            {
                return Abi.Invalid(Function, "bitstream is NULL");
            }

            if (bitstreamLength > int.MaxValue || slot > int.MaxValue)
            {
                return Abi.Invalid(Function, $"a {bitstreamLength}-byte bitstream for slot {slot} is out of range");
            }

            var status = accelerator.TryReconfigure(new ReadOnlySpan<byte>(bitstream, (int)bitstreamLength), (int)slot, (ReconfigureOptions)(flags & 3));
            return status.IsOk ? FpgaResult.Ok : Abi.Refuse(Function, status.Result, status.Reason!);
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaAssignPortToInterface")]
    internal static FpgaResult AssignPortToInterface(nint handle, uint interfaceNumber, uint slot, int flags) =>
        NotSupported("fpgaAssignPortToInterface", handle);

    [UnmanagedCallersOnly(EntryPoint = "fpgaAssignToInterface")]
    internal static FpgaResult AssignToInterface(nint handle, nint accelerator, uint hostInterface, int flags) =>
        NotSupported("fpgaAssignToInterface", handle);

    [UnmanagedCallersOnly(EntryPoint = "fpgaReleaseFromInterface")]
    internal static FpgaResult ReleaseFromInterface(nint handle, nint accelerator) =>
        NotSupported("fpgaReleaseFromInterface", handle);

    private static FpgaResult NotSupported(string function, nint handle)
    {
        try
        {
            return Abi.TryGetHandle(handle, out _)
                ? Abi.Refuse(function, FpgaResult.NotSupported, "this library cannot reconfigure or reassign FPGAs")
                : Abi.BadHandle(function, handle);
        }
        catch (Exception e)
        {
            return Abi.Fail(function, e);
        }
    }
}
