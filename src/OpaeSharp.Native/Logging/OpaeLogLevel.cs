namespace OpaeSharp.Native.Logging;

/// <summary>OPAE's log levels (<c>enum opae_loglevel</c>), chosen with <c>LIBOPAE_LOG</c>.</summary>
internal enum OpaeLogLevel
{
    /// <summary>Errors only: the default.</summary>
    Error = 0,

    /// <summary>Also why a call returned something other than FPGA_OK (<c>LIBOPAE_LOG=1</c>).</summary>
    Message = 1,

    /// <summary>Also debugging detail (<c>LIBOPAE_LOG=2</c>).</summary>
    Debug = 2,
}
