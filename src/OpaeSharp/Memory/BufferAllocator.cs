using OpaeSharp.Interop;

namespace OpaeSharp.Memory;

/// <summary>
/// Gets host memory for a buffer: a fresh zero-filled mapping with the chosen page size, or the
/// caller's memory after checking it is mapped. Pins with mlock only where the device's driver does
/// not pin itself. Every step is undone if a later one fails. Thread-safe.
/// </summary>
/// <remarks>
/// Where the driver pins, the pages are populated writable before it does: pinning an untouched
/// anonymous page for device reads only would pin the kernel's shared zero page, and the device
/// would never see what the program writes there afterwards (mlock used to hide this by
/// populating the pages; the driver's own pin then found them present).
/// </remarks>
/// <param name="kernel">The system calls to make.</param>
/// <param name="pools">The hugepage pools, read to word a shortage.</param>
/// <param name="useHugePages">False: buffers for devices that need no contiguity always get 4 KiB pages.</param>
internal sealed class BufferAllocator(IKernel kernel, HugePages pools, bool useHugePages = true)
{
    internal static BufferAllocator System { get; } = new(LinuxKernel.Instance, HugePages.System);

    /// <summary>Never hugepages where the device does not need them (benchmarks compare page sizes with it).</summary>
    internal static BufferAllocator SmallPagesOnly { get; } = new(LinuxKernel.Instance, HugePages.System, useHugePages: false);

    internal IKernel Kernel { get; } = kernel;

    internal HugePages Pools { get; } = pools;

    /// <summary>Allocates at least <paramref name="length"/> bytes; mlocks them unless <paramref name="driverPins"/>.</summary>
    /// <returns>NO_MEMORY, saying which resource ran out and what to do, when it cannot.</returns>
    internal Status Allocate(long length, bool requiresContiguous, bool driverPins, out PinnedMemory? memory)
    {
        memory = null;
        var usable = PageSizes.RoundUp(length, PageSizes.Small);
        var candidates = PageSizePolicy.Candidates(usable, requiresContiguous, useHugePages);
        string? lastFailure = null;
        foreach (var pageSize in candidates)
        {
            var mapped = PageSizes.RoundUp(usable, pageSize);
            var flags = MapFlags(pageSize) | (driverPins ? Libc.MAP_POPULATE : 0);
            var address = Kernel.Mmap(0, (nuint)mapped, Libc.PROT_READ | Libc.PROT_WRITE, flags, -1, 0, out var errno);
            if (address == Libc.MapFailed)
            {
                lastFailure = pageSize == PageSizes.Small
                    ? $"cannot allocate {mapped / 1024} KiB: {Libc.StrError(errno)}"
                    : Pools.DescribeShortage(pageSize, mapped / pageSize);
                continue;
            }

            // Anonymous mappings are zero-filled by the kernel; no memset needed.
            // A forked child must not share DMA pages copy-on-write with the device.
            Kernel.Madvise(address, (nuint)mapped, Libc.MADV_DONTFORK);

            if (!driverPins)
            {
                errno = PinRegistry.Pin(Kernel, address, mapped);
                if (errno != Errno.None)
                {
                    Kernel.Munmap(address, (nuint)mapped);
                    return Status.Fail(FpgaResult.NoMemory, MemoryLimits.DescribeLockFailure(mapped, errno));
                }
            }

            memory = PinnedMemory.ForAllocation(Kernel, address, usable, mapped, pageSize, locked: !driverPins);
            return Status.Ok;
        }

        return Status.Fail(FpgaResult.NoMemory, lastFailure ?? "cannot allocate buffer memory");
    }

    /// <summary>Takes <paramref name="length"/> bytes of the caller's memory at <paramref name="address"/>; mlocks them unless <paramref name="driverPins"/>.</summary>
    /// <returns>INVALID_PARAM when the range is not mapped; NO_MEMORY when it cannot be locked.</returns>
    internal Status Attach(nint address, long length, bool driverPins, out PinnedMemory? memory)
    {
        memory = null;
        if (Kernel.Msync(address, (nuint)length, Libc.MS_ASYNC) == Errno.ENOMEM)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"preallocated range 0x{address:x}+{length} is not (entirely) mapped in this process");
        }

        if (driverPins)
        {
            // Populated writable where the caller's mapping allows it (see remarks); memory the
            // process itself cannot write (EFAULT) is pinned as it is, which is what it holds.
            Kernel.Madvise(address, (nuint)length, Libc.MADV_POPULATE_WRITE);
        }
        else
        {
            var errno = PinRegistry.Pin(Kernel, address, length);
            if (errno != Errno.None)
            {
                return Status.Fail(FpgaResult.NoMemory, MemoryLimits.DescribeLockFailure(length, errno));
            }
        }

        memory = PinnedMemory.ForCallerMemory(Kernel, address, length, locked: !driverPins);
        return Status.Ok;
    }

    private static int MapFlags(long pageSize) => Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | pageSize switch
    {
        PageSizes.Huge2M => Libc.MAP_HUGETLB | Libc.MAP_HUGE_2MB,
        PageSizes.Huge1G => Libc.MAP_HUGETLB | Libc.MAP_HUGE_1GB,
        _ => 0,
    };
}
