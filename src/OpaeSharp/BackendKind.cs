namespace OpaeSharp;

/// <summary>
/// Which driver stack talks to the accelerator. Chosen with the <c>OPAESHARP_BACKEND</c>
/// environment variable (<c>auto</c>, <c>sim</c>, <c>hw</c>, <c>dfl</c>, <c>vfio</c>) or an API option.
/// </summary>
public enum BackendKind
{
    /// <summary>
    /// Real hardware when an FPGA driver stack or an FPGA card is on the machine; the simulator only
    /// when there is neither, and that choice is logged once. A card whose driver is missing or
    /// unusable is reported as not found, never replaced by the simulator.
    /// </summary>
    Auto = 0,

    /// <summary>The embedded simulated accelerator (no hardware needed).</summary>
    Simulated = 1,

    /// <summary>The Linux DFL FPGA port driver (<c>/dev/dfl-port.N</c>) or the legacy intel-fpga driver.</summary>
    Dfl = 2,

    /// <summary>A PCI function bound to vfio-pci.</summary>
    Vfio = 3,

    /// <summary>Every hardware backend (DFL, intel-fpga, vfio); never the simulator.</summary>
    Hardware = 4,
}
