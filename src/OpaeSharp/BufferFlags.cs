namespace OpaeSharp;

/// <summary>
/// Flags of <c>fpgaPrepareBuffer</c> (<c>enum fpga_buffer_flags</c>), with OPAE's values.
/// </summary>
[Flags]
public enum BufferFlags
{
    /// <summary>Allocate a fresh, zero-filled buffer that the device may read and write.</summary>
    None = 0,

    /// <summary>Use memory the caller already owns (<c>FPGA_BUF_PREALLOCATED</c>).</summary>
    Preallocated = 1 << 0,

    /// <summary>Do not log why a preparation failed (<c>FPGA_BUF_QUIET</c>).</summary>
    Quiet = 1 << 1,

    /// <summary>The device may only read the buffer (<c>FPGA_BUF_READ_ONLY</c>).</summary>
    ReadOnly = 1 << 2,
}
