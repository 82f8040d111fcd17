namespace OpaeSharp;

/// <summary>
/// The kind of FPGA object a token names (<c>fpga_objtype</c>), with OPAE's values.
/// </summary>
public enum FpgaObjectType
{
    /// <summary>The FPGA device itself (the management engine, FME).</summary>
    Device = 0,

    /// <summary>An accelerator function (AFU) behind a port; this is what programs open.</summary>
    Accelerator = 1,
}
