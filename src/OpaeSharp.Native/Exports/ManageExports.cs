using System.Runtime.InteropServices;

namespace OpaeSharp.Native.Exports;

/// <summary>
/// <c>opae/manage.h</c>: reconfiguration and port assignment. Neither the simulator nor the
/// buffer-focused backends can reprogram an FPGA, so valid calls answer FPGA_NOT_SUPPORTED.
/// </summary>
internal static unsafe class ManageExports
{
    [UnmanagedCallersOnly(EntryPoint = "fpgaReconfigureSlot")]
    internal static FpgaResult ReconfigureSlot(nint handle, uint slot, byte* bitstream, nuint bitstreamLength, int flags) =>
        NotSupported("fpgaReconfigureSlot", handle);

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
