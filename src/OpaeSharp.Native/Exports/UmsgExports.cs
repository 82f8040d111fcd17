using System.Runtime.InteropServices;

namespace OpaeSharp.Native.Exports;

/// <summary>
/// <c>opae/umsg.h</c>. UMsgs were a feature of Intel's integrated Xeon+FPGA parts, driven through
/// the out-of-tree intel-fpga driver. OPAE 2.x's libopae-c answers FPGA_NOT_SUPPORTED for all four
/// calls whatever the plugin, and so do we on every backend: the upstream DFL driver and vfio-pci
/// have no UMsg area, and the simulator models the PCIe cards OPAE targets today, which have none.
/// </summary>
internal static unsafe class UmsgExports
{
    [UnmanagedCallersOnly(EntryPoint = "fpgaGetNumUmsg")]
    internal static FpgaResult GetNumUmsg(nint handle, ulong* value) =>
        NotSupported("fpgaGetNumUmsg", handle, value == null ? "value is NULL" : null);

    [UnmanagedCallersOnly(EntryPoint = "fpgaSetUmsgAttributes")]
    internal static FpgaResult SetUmsgAttributes(nint handle, ulong value) =>
        NotSupported("fpgaSetUmsgAttributes", handle, null);

    [UnmanagedCallersOnly(EntryPoint = "fpgaTriggerUmsg")]
    internal static FpgaResult TriggerUmsg(nint handle, ulong value) =>
        NotSupported("fpgaTriggerUmsg", handle, null);

    [UnmanagedCallersOnly(EntryPoint = "fpgaGetUmsgPtr")]
    internal static FpgaResult GetUmsgPtr(nint handle, ulong** umsgPointer) =>
        NotSupported("fpgaGetUmsgPtr", handle, umsgPointer == null ? "umsg_ptr is NULL" : null);

    private static FpgaResult NotSupported(string function, nint handle, string? badPointer)
    {
        try
        {
            if (!Abi.TryGetHandle(handle, out var accelerator))
            {
                return Abi.BadHandle(function, handle);
            }

            if (badPointer is not null)
            {
                return Abi.Invalid(function, badPointer);
            }

            return Abi.Refuse(function, FpgaResult.NotSupported, $"{accelerator.Token.Name} has no UMsgs: only Intel's integrated Xeon+FPGA platforms had them (OPAE 2.x answers the same everywhere)");
        }
        catch (Exception e)
        {
            return Abi.Fail(function, e);
        }
    }
}
