using OpaeSharp.Interop;

namespace OpaeSharp.Memory;

/// <summary>
/// Gets pinned host memory for a buffer: a fresh zero-filled mapping with the chosen page size, or
/// a pin on memory the caller owns. Every step is undone if a later one fails.
/// </summary>
/// <param name="pools">The hugepage pools, read to word a shortage.</param>
/// <param name="useHugePages">False: buffers for devices that need no contiguity always get 4 KiB pages.</param>
internal sealed class BufferAllocator(HugePages pools, bool useHugePages = true)
{
    internal static BufferAllocator System { get; } = new(HugePages.System);

    /// <summary>Never hugepages where the device does not need them (benchmarks compare page sizes with it).</summary>
    internal static BufferAllocator SmallPagesOnly { get; } = new(HugePages.System, useHugePages: false);

    internal HugePages Pools { get; } = pools;

    /// <summary>Allocates and pins at least <paramref name="length"/> bytes.</summary>
    /// <exception cref="OpaeException">NO_MEMORY, saying which resource ran out and what to do.</exception>
    internal PinnedMemory Allocate(long length, bool requiresContiguous)
    {
        var usable = PageSizes.RoundUp(length, PageSizes.Small);
        var candidates = PageSizePolicy.Candidates(usable, requiresContiguous, useHugePages);
        string? lastFailure = null;
        foreach (var pageSize in candidates)
        {
            var mapped = PageSizes.RoundUp(usable, pageSize);
            var address = Map(mapped, pageSize, out var errno);
            if (address == Libc.MapFailed)
            {
                lastFailure = pageSize == PageSizes.Small
                    ? $"cannot allocate {mapped / 1024} KiB: {Libc.StrError(errno)}"
                    : Pools.DescribeShortage(pageSize, mapped / pageSize);
                continue;
            }

            // Anonymous mappings are zero-filled by the kernel; no memset needed.
            // A forked child must not share DMA pages copy-on-write with the device.
            Libc.Madvise(address, (nuint)mapped, Libc.MADV_DONTFORK);

            errno = PinRegistry.Pin(address, mapped);
            if (errno != Errno.None)
            {
                Libc.Munmap(address, (nuint)mapped);
                throw new OpaeException(FpgaResult.NoMemory, MemoryLimits.DescribeLockFailure(mapped, errno));
            }

            return PinnedMemory.ForAllocation(address, usable, mapped, pageSize);
        }

        throw new OpaeException(FpgaResult.NoMemory, lastFailure ?? "cannot allocate buffer memory");
    }

    /// <summary>Pins <paramref name="length"/> bytes of the caller's memory at <paramref name="address"/>.</summary>
    /// <exception cref="OpaeException">INVALID_PARAM when the range is not mapped; NO_MEMORY when it cannot be pinned.</exception>
    internal static PinnedMemory Attach(nint address, long length)
    {
        if (Libc.Msync(address, (nuint)length, Libc.MS_ASYNC) == Errno.ENOMEM)
        {
            throw new OpaeException(
                FpgaResult.InvalidParam,
                $"preallocated range 0x{address:x}+{length} is not (entirely) mapped in this process");
        }

        var errno = PinRegistry.Pin(address, length);
        if (errno != Errno.None)
        {
            throw new OpaeException(FpgaResult.NoMemory, MemoryLimits.DescribeLockFailure(length, errno));
        }

        return PinnedMemory.ForCallerMemory(address, length);
    }

    private static nint Map(long length, long pageSize, out Errno errno)
    {
        var flags = Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS;
        flags |= pageSize switch
        {
            PageSizes.Huge2M => Libc.MAP_HUGETLB | Libc.MAP_HUGE_2MB,
            PageSizes.Huge1G => Libc.MAP_HUGETLB | Libc.MAP_HUGE_1GB,
            _ => 0,
        };
        return Libc.Mmap(0, (nuint)length, Libc.PROT_READ | Libc.PROT_WRITE, flags, -1, 0, out errno);
    }
}
