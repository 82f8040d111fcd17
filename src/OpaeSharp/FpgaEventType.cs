namespace OpaeSharp;

/// <summary>The kinds of asynchronous event an open FPGA object can signal (<c>fpga_event_type</c>), with OPAE's values.</summary>
public enum FpgaEventType
{
    /// <summary>The accelerator raised one of its interrupt vectors (accelerator handles only).</summary>
    Interrupt = 0,

    /// <summary>The port (accelerator handle) or the FME (device handle) reported an error.</summary>
    Error = 1,

    /// <summary>A power or thermal alarm. No backend of this library raises them (see docs/semantics.md).</summary>
    PowerThermal = 2,
}
