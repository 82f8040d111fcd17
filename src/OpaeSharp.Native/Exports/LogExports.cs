using System.Runtime.InteropServices;
using OpaeSharp.Native.Logging;

namespace OpaeSharp.Native.Exports;

/// <summary>
/// The managed end of <c>opae_print</c> (native/opae_print.c formats the printf-style message,
/// these decide and write). Exported because the C object links against them; not in the headers.
/// </summary>
internal static unsafe class LogExports
{
    [UnmanagedCallersOnly(EntryPoint = "opaesharp_log_enabled")]
    internal static int IsEnabled(int level)
    {
        try
        {
            return Abi.Log.IsEnabled(ToLevel(level)) ? 1 : 0;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "opaesharp_log_write")]
    internal static void Write(int level, byte* text)
    {
        try
        {
            if (text != null)
            {
                Abi.Log.WriteRaw(ToLevel(level), Marshal.PtrToStringUTF8((nint)text) ?? "");
            }
        }
        catch (Exception)
        {
            // Nowhere left to report a failure to log.
        }
    }

    private static OpaeLogLevel ToLevel(int level) =>
        level <= 0 ? OpaeLogLevel.Error : level == 1 ? OpaeLogLevel.Message : OpaeLogLevel.Debug;
}
