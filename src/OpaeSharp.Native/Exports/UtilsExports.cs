using System.Runtime.InteropServices;

namespace OpaeSharp.Native.Exports;

/// <summary><c>opae/utils.h</c>, <c>opae/version.h</c> and <c>opae/init.h</c>.</summary>
internal static unsafe class UtilsExports
{
    [UnmanagedCallersOnly(EntryPoint = "fpgaErrStr")]
    internal static byte* ErrStr(int result)
    {
        try
        {
            return NativeStrings.ForResult(result);
        }
        catch (Exception e)
        {
            Abi.Fail("fpgaErrStr", e);
            return null;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaGetOPAECVersion")]
    internal static FpgaResult GetVersion(FpgaVersion* version)
    {
        try
        {
            if (version == null)
            {
                return Abi.Invalid("fpgaGetOPAECVersion", "version is NULL");
            }

            *version = new FpgaVersion { Major = LibraryInfo.Major, Minor = LibraryInfo.Minor, Patch = LibraryInfo.Patch };
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail("fpgaGetOPAECVersion", e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaGetOPAECVersionString")]
    internal static FpgaResult GetVersionString(byte* text, nuint length) =>
        CopyOut("fpgaGetOPAECVersionString", "version_str", LibraryInfo.Version, text, length);

    [UnmanagedCallersOnly(EntryPoint = "fpgaGetOPAECBuildString")]
    internal static FpgaResult GetBuildString(byte* text, nuint length) =>
        CopyOut("fpgaGetOPAECBuildString", "build_str", LibraryInfo.Build, text, length);

    /// <summary>Accepted for programs written for OPAE 2.x; there is no configuration file to read.</summary>
    [UnmanagedCallersOnly(EntryPoint = "fpgaInitialize")]
    internal static FpgaResult Initialize(byte* configFile) => FpgaResult.Ok;

    [UnmanagedCallersOnly(EntryPoint = "fpgaFinalize")]
    internal static FpgaResult FinalizeLibrary() => FpgaResult.Ok;

    private static FpgaResult CopyOut(string function, string name, string value, byte* text, nuint length)
    {
        try
        {
            if (text == null)
            {
                return Abi.Invalid(function, $"{name} is NULL");
            }

            // OPAE's strncpy_s fails when the text and its NUL do not fit: FPGA_EXCEPTION.
            return NativeStrings.TryCopy(value, text, length)
                ? FpgaResult.Ok
                : Abi.Refuse(function, FpgaResult.Exception, $"{name} of {length} bytes cannot hold \"{value}\"");
        }
        catch (Exception e)
        {
            return Abi.Fail(function, e);
        }
    }
}
