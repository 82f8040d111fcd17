using System.Runtime.InteropServices;
using OpaeSharp.Devices.Kernel;

namespace OpaeSharp.Native.Exports;

/// <summary>
/// Gives the core the AVX-512 store of native/mmio512.c: the NativeAOT build cannot emit one itself
/// (it targets a baseline CPU), so without this fpgaWriteMMIO512 would be NOT_SUPPORTED even on
/// CPUs that have AVX-512, where OPAE writes.
/// </summary>
internal static unsafe partial class WideStores
{
    internal static void Install()
    {
        try
        {
            if (opaesharp_has_512bit_stores() != 0)
            {
                WideMmio.UseStore(&Store);
                Abi.Log.Write(Logging.OpaeLogLevel.Debug, "fpgaWriteMMIO512: this CPU has AVX-512F; 512-bit MMIO writes are single stores");
            }
            else
            {
                Abi.Log.Write(Logging.OpaeLogLevel.Debug, "fpgaWriteMMIO512: this CPU has no AVX-512F; 512-bit MMIO writes to mapped regions are FPGA_NOT_SUPPORTED");
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Loaded as a managed assembly (not the native library): the JIT's own vector store applies.
        }
    }

    private static void Store(nint destination, nint source) => opaesharp_store512(destination, source);

    [LibraryImport("opaesharp_native")]
    private static partial int opaesharp_has_512bit_stores();

    [LibraryImport("opaesharp_native")]
    private static partial void opaesharp_store512(nint destination, nint source);
}
