using OpaeSharp.Devices;

namespace OpaeSharp.Dma;

/// <summary>
/// Maps host memory for one device's DMA. Either the library chooses the IO address and programs an
/// IOMMU (<see cref="IoAddressSpace"/>: the simulator, VFIO), or the driver chooses it (DFL).
/// Failures are returned, not thrown; a failed map leaves nothing mapped or reserved.
/// </summary>
internal interface IDmaMapper
{
    /// <summary>Maps <paramref name="length"/> bytes of memory at <paramref name="address"/> and gives their IO address.</summary>
    Status Map(nint address, ulong length, ulong pageSize, DmaAccess access, out ulong iova);

    /// <summary>Removes a mapping made by <see cref="Map"/>; after success the device cannot reach the memory.</summary>
    Status Unmap(ulong iova, ulong length);
}
