using OpaeSharp.Devices;
using OpaeSharp.Memory;

namespace OpaeSharp.Dma;

/// <summary>
/// Maps host memory for one device's DMA. Either the library chooses the IO address and programs an
/// IOMMU (<see cref="IoAddressSpace"/>: the simulator, VFIO), or the driver chooses it (DFL).
/// Failures are returned, not thrown; a failed map leaves nothing mapped or reserved.
/// </summary>
internal interface IDmaMapper
{
    /// <summary>Maps the pages of <paramref name="memory"/> (its whole <c>Length</c>) and gives their IO address.</summary>
    /// <remarks>The memory object, not only its address: a simulated IOMMU reaches the pages through it and holds it while mapped.</remarks>
    Status Map(PinnedMemory memory, DmaAccess access, out ulong iova);

    /// <summary>Removes a mapping made by <see cref="Map"/>; after success the device cannot reach the memory.</summary>
    Status Unmap(ulong iova, ulong length);
}
