namespace OpaeSharp.Cli;

/// <summary>
/// What the <c>opae</c> process returns: 0 success, 1 the check ran and failed, 2 bad usage, and
/// 10 + the OPAE result code when the library refused (14 = NOT_FOUND, 15 = NO_MEMORY, …).
/// </summary>
internal static class ExitCodes
{
    internal const int Success = 0;
    internal const int Failed = 1;
    internal const int Usage = 2;
    internal const int OpaeErrorBase = 10;

    internal static int For(FpgaResult result) => OpaeErrorBase + (int)result;

    /// <summary>The result's name in OPAE's C header ("FPGA_NOT_FOUND"), what scripts written for OPAE compare against.</summary>
    internal static string Name(FpgaResult result) => result switch
    {
        FpgaResult.Ok => "FPGA_OK",
        FpgaResult.InvalidParam => "FPGA_INVALID_PARAM",
        FpgaResult.Busy => "FPGA_BUSY",
        FpgaResult.Exception => "FPGA_EXCEPTION",
        FpgaResult.NotFound => "FPGA_NOT_FOUND",
        FpgaResult.NoMemory => "FPGA_NO_MEMORY",
        FpgaResult.NotSupported => "FPGA_NOT_SUPPORTED",
        FpgaResult.NoDriver => "FPGA_NO_DRIVER",
        FpgaResult.NoDaemon => "FPGA_NO_DAEMON",
        FpgaResult.NoAccess => "FPGA_NO_ACCESS",
        FpgaResult.ReconfError => "FPGA_RECONF_ERROR",
        _ => $"FPGA_RESULT_{(int)result}",
    };
}
