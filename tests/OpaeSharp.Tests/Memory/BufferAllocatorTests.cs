using OpaeSharp.Devices.Simulated;
using OpaeSharp.Interop;
using OpaeSharp.Memory;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Memory;

[Collection(ProcessMemoryCollection.Name)]
public sealed class BufferAllocatorTests
{
    [Fact]
    public void Allocated_buffers_are_locked_and_release_returns_locked_memory_to_its_baseline()
    {
        using var acc = TestSim.Open();
        var baseline = MemoryLimits.LockedBytes();
        var buffers = Enumerable.Range(0, 4).Select(_ => acc.PrepareBuffer(1 << 20)).ToList();
        Assert.True(MemoryLimits.LockedBytes() >= baseline + (4L << 20));
        buffers.ForEach(b => b.Dispose());
        Assert.Equal(baseline, MemoryLimits.LockedBytes());
    }

    [Fact]
    public void A_failed_mlock_unmaps_the_memory_and_reports_the_memlock_limit()
    {
        using var kernel = new FakeKernel();
        using var acc = TestSim.Open(kernel);
        var baseline = MemoryLimits.LockedBytes();
        kernel.Fail(Syscall.Mlock, Errno.ENOMEM);

        var e = TestSim.Fails(FpgaResult.NoMemory, () => acc.PrepareBuffer(1 << 20));

        Assert.Contains("ulimit -l", e.Message, StringComparison.Ordinal);
        Assert.Equal(baseline, MemoryLimits.LockedBytes());
        Assert.Equal(1, kernel.MemoryMapped);
        Assert.Empty(kernel.LiveMemory);
        Assert.Equal(0, acc.BufferCount);
    }

    [Fact]
    public void A_failed_mmap_of_small_pages_is_no_memory_and_says_how_much()
    {
        using var kernel = new FakeKernel();
        using var acc = TestSim.Open(kernel);
        kernel.Fail(Syscall.Mmap, Errno.ENOMEM);

        var e = TestSim.Fails(FpgaResult.NoMemory, () => acc.PrepareBuffer(8192));

        Assert.Contains("cannot allocate 8 KiB", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_device_mapping_frees_and_unlocks_the_memory()
    {
        using var kernel = new FakeKernel();
        using var acc = TestSim.Open(kernel, new SimulatorOptions { IovaSize = 64 << 10 });
        var baseline = MemoryLimits.LockedBytes();
        TestSim.Fails(FpgaResult.NoMemory, () => acc.PrepareBuffer(1 << 20));
        Assert.Equal(baseline, MemoryLimits.LockedBytes());
        Assert.Equal(1, kernel.MemoryMapped);
        Assert.Empty(kernel.LiveMemory);
    }

    [Fact]
    public void Contiguous_buffers_without_free_hugepages_fail_naming_the_page_size_to_reserve()
    {
        using var pools = new FakeHugePages();
        using var acc = TestSim.Open(pools.Kernel, new SimulatorOptions { EnforceContiguity = true });

        // The real kernel may have pages reserved: make the hugepage mmap fail as it would without.
        pools.Kernel.Fail(Syscall.Mmap, Errno.ENOMEM);

        var e = TestSim.Fails(FpgaResult.NoMemory, () => acc.PrepareBuffer(2 << 20));
        Assert.Contains("no free 2 MiB hugepages (0 of 0 free", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flexible_buffers_fall_back_to_small_pages_when_the_hugepage_mmap_fails()
    {
        using var kernel = new FakeKernel();
        using var acc = TestSim.Open(kernel);
        kernel.Fail(Syscall.Mmap, Errno.ENOMEM);

        using var buffer = acc.PrepareBuffer(2 << 20);

        Assert.Equal(PageSizes.Small, buffer.PageSize);
        Assert.Equal(2, kernel.Calls(Syscall.Mmap));
    }

    [Fact]
    public void A_contiguous_buffer_larger_than_its_page_is_refused_by_the_simulated_driver()
    {
        using var acc = TestSim.Open(new SimulatorOptions { EnforceContiguity = true });
        var memory = new PageAlignedMemory(8192);
        var e = TestSim.Fails(FpgaResult.InvalidParam, () => acc.AttachBuffer(memory.Address, 8192));
        Assert.Contains("not physically contiguous", e.Message, StringComparison.Ordinal);
        memory.Dispose();
    }

    [Theory]
    [InlineData(2L << 20)]
    [InlineData(1L << 30)]
    public void With_hugepages_reserved_a_buffer_that_fills_one_is_backed_by_it(long pageSize)
    {
        var needed = pageSize;
        if (HugePages.System.Free(pageSize) < 1)
        {
            Assert.Skip($"no free {PageSizes.Name(pageSize)} hugepages reserved on this machine (reserve with: echo N > {HugePages.ReservePath(pageSize)})");
        }

        using var acc = TestSim.Open();
        var free = HugePages.System.Free(pageSize);
        using (var buffer = acc.PrepareBuffer(needed))
        {
            Assert.Equal(pageSize, buffer.PageSize);
            Assert.Equal(0UL, buffer.IoAddress % (ulong)pageSize);
            Assert.Equal(free - 1, HugePages.System.Free(pageSize));
            Assert.Equal(-1, buffer.GetSpan(buffer.Length - 4096, 4096).IndexOfAnyExcept((byte)0));
        }

        Assert.Equal(free, HugePages.System.Free(pageSize));
    }

    [Fact]
    public void A_contiguous_3_MiB_buffer_takes_a_whole_1_GiB_page_and_returns_it()
    {
        if (HugePages.System.Free(PageSizes.Huge1G) < 1)
        {
            Assert.Skip($"no free 1 GiB hugepages reserved on this machine (reserve with: echo 1 > {HugePages.ReservePath(PageSizes.Huge1G)})");
        }

        using var acc = TestSim.Open(new SimulatorOptions { EnforceContiguity = true });
        var free = HugePages.System.Free(PageSizes.Huge1G);
        using (var buffer = acc.PrepareBuffer(3 << 20))
        {
            Assert.Equal(PageSizes.Huge1G, buffer.PageSize);
            Assert.Equal(3L << 20, buffer.Length);
            Assert.Equal(free - 1, HugePages.System.Free(PageSizes.Huge1G));
        }

        Assert.Equal(free, HugePages.System.Free(PageSizes.Huge1G));
    }
}
