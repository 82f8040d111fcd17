namespace OpaeSharp;

/// <summary>The driver interface behind an FPGA object (<c>fpga_interface</c>), with OPAE's values.</summary>
public enum FpgaInterface
{
    /// <summary>The Linux DFL drivers (or the legacy intel-fpga driver).</summary>
    Dfl = 0,

    /// <summary>A PCI function bound to vfio-pci.</summary>
    Vfio = 1,

    /// <summary>A simulator that stands in for DFL (OpaeSharp's embedded simulator).</summary>
    SimulatedDfl = 2,

    /// <summary>A simulator that stands in for vfio-pci.</summary>
    SimulatedVfio = 3,

    /// <summary>uio-dfl.</summary>
    Uio = 4,
}
