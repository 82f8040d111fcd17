namespace OpaeSharp.Devices.Kernel;

/// <summary>
/// Whether a hardware backend can be used on this machine, and if not why (no driver, no
/// permission on the device node, no IOMMU, no hugepages), with what to do about it.
/// </summary>
/// <param name="Name">"dfl", "intel-fpga" or "vfio".</param>
/// <param name="Kind">The <see cref="BackendKind"/> that selects it.</param>
/// <param name="Available">True when at least one accelerator can be opened through it.</param>
/// <param name="Detail">What was found, or why nothing usable was.</param>
internal sealed record BackendStatus(string Name, BackendKind Kind, bool Available, string Detail);
