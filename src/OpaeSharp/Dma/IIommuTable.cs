using OpaeSharp.Devices;
using OpaeSharp.Memory;

namespace OpaeSharp.Dma;

/// <summary>
/// The translation table behind an <see cref="IoAddressSpace"/>: the simulated IOMMU, or the
/// kernel's through a VFIO container or iommufd IOAS. It only programs addresses it is given.
/// </summary>
internal interface IIommuTable
{
    /// <summary>Makes <paramref name="iova"/>..+<c>memory.Length</c> translate to the pages of <paramref name="memory"/>.</summary>
    Status Program(ulong iova, PinnedMemory memory, DmaAccess access);

    /// <summary>Removes exactly the entry made at <paramref name="iova"/>; after success no device access reaches it.</summary>
    Status Clear(ulong iova, ulong length);
}
