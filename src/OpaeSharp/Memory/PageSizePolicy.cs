namespace OpaeSharp.Memory;

/// <summary>
/// Decides which page size a freshly allocated buffer is built from.
/// </summary>
/// <remarks>
/// A driver that maps a buffer as one physically contiguous range (DFL, the legacy intel-fpga
/// driver) needs the buffer to sit in a single page, so it gets OPAE's rule and no fallback:
/// up to 4 KiB one small page, up to 2 MiB one 2 MiB page, above that 1 GiB pages. A device behind
/// an IOMMU programmed page by page (VFIO, the simulator) needs no contiguity: hugepages only save
/// IOTLB entries there, so they are used when the buffer fills at least one of them and enough are
/// free, and small pages otherwise — a 3 MiB buffer never takes a 1 GiB page.
/// </remarks>
internal static class PageSizePolicy
{
    /// <summary>The page sizes to try, best first. The last one is the only one for contiguous buffers.</summary>
    internal static IReadOnlyList<long> Candidates(long length, bool requiresContiguous, HugePages pools)
    {
        if (requiresContiguous)
        {
            return [Contiguous(length)];
        }

        var result = new List<long>(3);
        foreach (var size in (ReadOnlySpan<long>)[PageSizes.Huge1G, PageSizes.Huge2M])
        {
            // The machine's own pools are not read first: a private hugetlb mmap reserves its pages
            // up front and fails with ENOMEM when too few are free, and the allocator then falls back
            // to the next size. Reading sysfs instead cost three syscalls on every prepare of 2 MiB or
            // more (bench/RESULTS.md). Pools described by a test are consulted: the kernel would not agree.
            if (length >= size && (pools.IsSystemPools || pools.Free(size) >= PageSizes.RoundUp(length, size) / size))
            {
                result.Add(size);
            }
        }

        result.Add(PageSizes.Small);
        return result;
    }

    /// <summary>OPAE's rule for drivers that need one physically contiguous range.</summary>
    internal static long Contiguous(long length) => length switch
    {
        <= PageSizes.Small => PageSizes.Small,
        <= PageSizes.Huge2M => PageSizes.Huge2M,
        _ => PageSizes.Huge1G,
    };
}
