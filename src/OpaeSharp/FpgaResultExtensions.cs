namespace OpaeSharp;

/// <summary>
/// Helpers for <see cref="FpgaResult"/>.
/// </summary>
public static class FpgaResultExtensions
{
    /// <summary>
    /// The text OPAE's <c>fpgaErrStr</c> gives for a result ("success", "invalid parameter", …;
    /// "unknown error" for values outside OPAE's range). Programs print these, so they are kept verbatim.
    /// </summary>
    public static string Describe(this FpgaResult result) => result switch
    {
        FpgaResult.Ok => "success",
        FpgaResult.InvalidParam => "invalid parameter",
        FpgaResult.Busy => "resource busy",
        FpgaResult.Exception => "exception",
        FpgaResult.NotFound => "not found",
        FpgaResult.NoMemory => "no memory",
        FpgaResult.NotSupported => "not supported",
        FpgaResult.NoDriver => "no driver available",
        FpgaResult.NoDaemon => "no fpga daemon running",
        FpgaResult.NoAccess => "insufficient privileges",
        FpgaResult.ReconfError => "reconfiguration error",
        _ => "unknown error",
    };
}
