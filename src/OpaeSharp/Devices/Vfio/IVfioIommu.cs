namespace OpaeSharp.Devices.Vfio;

/// <summary>
/// The IO address space a VFIO device is attached to: a type1 container (<c>/dev/vfio/vfio</c>) or
/// an iommufd IOAS (<c>/dev/iommu</c>). The library chooses every IO address; this only programs
/// the IOMMU. Disposing closes the descriptors, which makes the kernel drop every mapping left.
/// </summary>
internal interface IVfioIommu : IDisposable
{
    /// <summary>"type1v2" or "iommufd", for messages and status.</summary>
    string Kind { get; }

    /// <summary>The usable IO address ranges and the smallest mappable page, asked after the device is attached.</summary>
    VfioIommuInfo QueryInfo();

    /// <summary>Maps pinned memory at <paramref name="iova"/>; throws <see cref="OpaeException"/> saying what ran out.</summary>
    void Map(nint address, ulong iova, ulong length, DmaAccess access);

    /// <summary>Removes exactly the mapping made at <paramref name="iova"/>.</summary>
    void Unmap(ulong iova, ulong length);
}
