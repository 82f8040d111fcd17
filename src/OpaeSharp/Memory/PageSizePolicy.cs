namespace OpaeSharp.Memory;

/// <summary>
/// Decides which page sizes a freshly allocated buffer may be built from, best first.
/// </summary>
/// <remarks>
/// A driver that maps a buffer as one physically contiguous range (DFL, the legacy intel-fpga
/// driver) needs the buffer to sit in a single page, so it gets OPAE's rule and no fallback:
/// up to 4 KiB one small page, up to 2 MiB one 2 MiB page, above that 1 GiB pages. A device behind
/// an IOMMU programmed page by page (VFIO, the simulator) needs no contiguity: hugepages only save
/// IOTLB entries there, so a buffer that fills at least one hugepage tries that size first and falls
/// back to smaller pages — a 3 MiB buffer never takes a 1 GiB page.
/// The hugepage pools are not read here: a private hugetlb mmap reserves its pages up front and
/// fails with ENOMEM when too few are free, which is the fallback signal, and reading sysfs on
/// every prepare cost more than the mmap itself (bench/RESULTS.md).
/// </remarks>
internal static class PageSizePolicy
{
    private static readonly long[] s_small = [PageSizes.Small];
    private static readonly long[] s_huge2M = [PageSizes.Huge2M];
    private static readonly long[] s_huge1G = [PageSizes.Huge1G];
    private static readonly long[] s_from2M = [PageSizes.Huge2M, PageSizes.Small];
    private static readonly long[] s_from1G = [PageSizes.Huge1G, PageSizes.Huge2M, PageSizes.Small];

    /// <summary>The page sizes to try, best first; exactly one for contiguous buffers.</summary>
    /// <param name="length">The buffer's length, a multiple of 4 KiB.</param>
    /// <param name="requiresContiguous">The driver maps one physically contiguous range (OPAE's rule applies).</param>
    /// <param name="useHugePages">False: small pages only, where contiguity is not required.</param>
    internal static ReadOnlySpan<long> Candidates(long length, bool requiresContiguous, bool useHugePages = true)
    {
        if (requiresContiguous)
        {
            return length switch
            {
                <= PageSizes.Small => s_small,
                <= PageSizes.Huge2M => s_huge2M,
                _ => s_huge1G,
            };
        }

        return length switch
        {
            _ when !useHugePages => s_small,
            >= PageSizes.Huge1G => s_from1G,
            >= PageSizes.Huge2M => s_from2M,
            _ => s_small,
        };
    }
}
