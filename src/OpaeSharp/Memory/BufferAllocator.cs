using OpaeSharp.Devices;
using OpaeSharp.Interop;

namespace OpaeSharp.Memory;

/// <summary>
/// Gets host memory for a buffer: a fresh zero-filled mapping with the chosen page size, or the
/// caller's memory after checking that it is mapped and that the device could pin it. Where the
/// device's driver does not pin (the simulator) it pins in its stead: its own allocations with
/// mlock, the caller's memory without mlock (<see cref="PagePinner"/>), so the caller's own locks
/// are never touched. Every step is undone if a later one fails. Thread-safe.
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
    private readonly PagePinner _pinner = new(kernel);

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

        // Which try failed last, and how: worded only if every page size fails (wording a hugepage
        // shortage reads sysfs, which cost a 2 MiB buffer that falls back to small pages more than
        // the library's own work).
        long failedPageSize = 0, failedMapped = 0;
        var failedErrno = Errno.None;
        foreach (var pageSize in candidates)
        {
            var mapped = PageSizes.RoundUp(usable, pageSize);
            var flags = MapFlags(pageSize) | (driverPins ? Libc.MAP_POPULATE : 0);
            var address = Kernel.Mmap(0, (nuint)mapped, Libc.PROT_READ | Libc.PROT_WRITE, flags, -1, 0, out var errno);
            if (address == Libc.MapFailed)
            {
                (failedPageSize, failedMapped, failedErrno) = (pageSize, mapped, errno);
                continue;
            }

            // Anonymous mappings are zero-filled by the kernel; no memset needed.
            // A forked child must not share DMA pages copy-on-write with the device.
            Kernel.Madvise(address, (nuint)mapped, Libc.MADV_DONTFORK);

            // Our own mapping, so our own lock: munmap drops it, nothing else shares it. Not
            // MAP_LOCKED, though it would save this call: it populates the pages before the madvise,
            // so each buffer keeps its own anon_vma and its own VMA (1,000 4 KiB buffers: 1,000 VMAs
            // instead of 3), and vm.max_map_count (65,530) would cap a process at ~65,000 buffers.
            if (!driverPins && (errno = Kernel.Mlock(address, (nuint)mapped)) != Errno.None)
            {
                Kernel.Munmap(address, (nuint)mapped);
                return Status.Fail(FpgaResult.NoMemory, MemoryLimits.DescribeLockFailure(Kernel, mapped, errno));
            }

            memory = PinnedMemory.ForAllocation(Kernel, address, usable, mapped, pageSize, locked: !driverPins);
            return Status.Ok;
        }

        return Status.Fail(
            FpgaResult.NoMemory,
            failedPageSize switch
            {
                0 => "cannot allocate buffer memory",
                PageSizes.Small => $"cannot allocate {failedMapped / 1024} KiB: {Libc.StrError(failedErrno)}",
                _ => Pools.DescribeShortage(failedPageSize, failedMapped / failedPageSize),
            });
    }

    /// <summary>
    /// Takes <paramref name="length"/> bytes of the caller's memory at <paramref name="address"/> for
    /// a device that will access it as <paramref name="access"/> says.
    /// </summary>
    /// <returns>
    /// INVALID_PARAM when the range is not mapped, or the device could not pin it for that access
    /// (read-only memory for a device that writes, PROT_NONE, the kernel's own pages); NO_MEMORY when
    /// RLIMIT_MEMLOCK has no room for the pin.
    /// </returns>
    internal Status Attach(nint address, long length, DmaAccess access, bool driverPins, bool requiresContiguous, out PinnedMemory? memory)
    {
        memory = null;
        if (length <= 0 || (ulong)length > ulong.MaxValue - (ulong)address || Kernel.Msync(address, (nuint)length, Libc.MS_ASYNC) != Errno.None)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"preallocated range 0x{address:x}+{(ulong)length} is not (entirely) mapped in this process");
        }

        // Memory of one of our own buffers: hold that buffer's mapping for as long as this one lives.
        if (AllocationRegistry.AcquireContaining(address, length) is { } container)
        {
            memory = PinnedMemory.InsideAllocation(Kernel, address, length, container);
            return Status.Ok;
        }

        var pageSize = requiresContiguous && length > PageSizes.Small ? MemoryMaps.PageSizeAt(Kernel, address) ?? PageSizes.Small : PageSizes.Small;
        if (driverPins)
        {
            // Populated writable where the caller's mapping allows it (see remarks); memory the
            // process itself cannot write (EFAULT) is pinned as it is, which is what it holds.
            Kernel.Madvise(address, (nuint)length, Libc.MADV_POPULATE_WRITE);
            memory = PinnedMemory.ForDriverPinnedMemory(Kernel, address, length, pageSize);
            return Status.Ok;
        }

        var pinned = _pinner.TryPin(address, length, out var pages);
        if (pinned == Errno.None)
        {
            memory = PinnedMemory.ForPinnedPages(Kernel, address, length, pageSize, pages!);
            return Status.Ok;
        }

        if (pinned is Errno.ENOMEM or Errno.EAGAIN)
        {
            return Status.Fail(FpgaResult.NoMemory, MemoryLimits.DescribeLockFailure(Kernel, length, pinned));
        }

        // No pin (io_uring unavailable, or a mapping the kernel will not pin for writing long-term):
        // what the device could have pinned is decided from the mappings themselves.
        if (MemoryMaps.CheckAccess(Kernel, address, length, write: (access & DmaAccess.Write) != 0) is { } why)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"preallocated range 0x{address:x}+{length}: {why}");
        }

        memory = PinnedMemory.ByAddress(Kernel, address, length, pageSize);
        return Status.Ok;
    }

    private static int MapFlags(long pageSize) => Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | pageSize switch
    {
        PageSizes.Huge2M => Libc.MAP_HUGETLB | Libc.MAP_HUGE_2MB,
        PageSizes.Huge1G => Libc.MAP_HUGETLB | Libc.MAP_HUGE_1GB,
        _ => 0,
    };
}
