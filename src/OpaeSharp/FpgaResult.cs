namespace OpaeSharp;

/// <summary>
/// OPAE's result codes (<c>fpga_result</c>), with OPAE's numeric values.
/// </summary>
public enum FpgaResult
{
    /// <summary>Success (<c>FPGA_OK</c>).</summary>
    Ok = 0,

    /// <summary>A parameter was invalid (<c>FPGA_INVALID_PARAM</c>).</summary>
    InvalidParam = 1,

    /// <summary>The resource is in use (<c>FPGA_BUSY</c>).</summary>
    Busy = 2,

    /// <summary>An unexpected internal failure (<c>FPGA_EXCEPTION</c>).</summary>
    Exception = 3,

    /// <summary>The object was not found (<c>FPGA_NOT_FOUND</c>).</summary>
    NotFound = 4,

    /// <summary>Memory (or another resource such as hugepages or IO address space) ran out (<c>FPGA_NO_MEMORY</c>).</summary>
    NoMemory = 5,

    /// <summary>The operation is not supported here (<c>FPGA_NOT_SUPPORTED</c>).</summary>
    NotSupported = 6,

    /// <summary>No driver is available (<c>FPGA_NO_DRIVER</c>).</summary>
    NoDriver = 7,

    /// <summary>No FPGA daemon is running (<c>FPGA_NO_DAEMON</c>).</summary>
    NoDaemon = 8,

    /// <summary>Insufficient privileges (<c>FPGA_NO_ACCESS</c>).</summary>
    NoAccess = 9,

    /// <summary>Reconfiguration failed (<c>FPGA_RECONF_ERROR</c>).</summary>
    ReconfError = 10,
}
