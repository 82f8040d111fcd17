using OpaeSharp.Dma;

namespace OpaeSharp.Devices.Vfio;

/// <summary>
/// The IO address space a VFIO device is attached to: a type1 container (<c>/dev/vfio/vfio</c>) or
/// an iommufd IOAS (<c>/dev/iommu</c>). The library chooses every IO address (<see cref="IoAddressSpace"/>);
/// this only programs the IOMMU. Disposing closes the descriptors, which makes the kernel drop
/// every mapping left.
/// </summary>
internal interface IVfioIommu : IIommuTable, IDisposable
{
    /// <summary>"type1v2" or "iommufd", for messages and status.</summary>
    string Kind { get; }

    /// <summary>The usable IO address ranges and the smallest mappable page, asked after the device is attached.</summary>
    VfioIommuInfo QueryInfo();
}
