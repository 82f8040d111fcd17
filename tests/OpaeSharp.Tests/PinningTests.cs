using OpaeSharp.Interop;
using OpaeSharp.Memory;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests;

/// <summary>
/// Issue #12, class 5: pinning caller memory never touches the caller's own locks, a refused prepare
/// leaves nothing behind, concurrent prepares and releases of one range keep every live buffer
/// pinned, and a range that cannot be mapped is INVALID_PARAM however long.
/// </summary>
[Collection(ProcessMemoryCollection.Name)]
public sealed class PinningTests
{
    [Fact]
    public void Memory_with_a_PROT_NONE_part_is_invalid_param_and_is_left_neither_locked_nor_pinned()
    {
        var address = CallerMemory.Map(3 * 4096);
        CallerMemory.MapOver(address + 4096, 4096, protection: 0);
        try
        {
            using var acc = TestSim.Open();
            var locked = MemoryLimits.LockedBytes();
            var pinned = MemoryLimits.PinnedBytes();
            TestSim.Fails(FpgaResult.InvalidParam, () => acc.AttachBuffer(address, 3 * 4096));
            Assert.Equal(locked, MemoryLimits.LockedBytes());
            Assert.Equal(pinned, MemoryLimits.PinnedBytes());
        }
        finally
        {
            CallerMemory.Unmap(address, 3 * 4096);
        }
    }

    [Fact]
    public void Releasing_a_preallocated_buffer_leaves_the_callers_own_mlock_in_place()
    {
        var address = CallerMemory.Map(64 << 10);
        try
        {
            Assert.Equal(Errno.None, Libc.Mlock(address, 64 << 10));
            var locked = MemoryLimits.LockedBytes();
            using (var acc = TestSim.Open())
            {
                acc.AttachBuffer(address, 64 << 10).Dispose();
            }

            Assert.Equal(locked, MemoryLimits.LockedBytes());
        }
        finally
        {
            CallerMemory.Unmap(address, 64 << 10);
        }
    }

    [Fact]
    public void A_prepare_of_a_range_racing_the_release_of_the_same_range_leaves_the_live_buffer_pinned()
    {
        using var kernel = new FakeKernel();
        var address = CallerMemory.Map(64 << 10);
        try
        {
            using var acc = TestSim.Open(kernel);
            var before = TestSim.PinnedBytes();
            var first = acc.AttachBuffer(address, 64 << 10);
            SharedBuffer? second = null;

            // The second prepare lands exactly where a release used to unlock: inside its munlock.
            kernel.DuringMunlock = () => second ??= acc.AttachBuffer(address, 64 << 10);
            first.Dispose();
            second ??= acc.AttachBuffer(address, 64 << 10);
            kernel.DuringMunlock = null;

            Assert.Equal(before + (64 << 10), TestSim.PinnedBytes());
            second.Dispose();
            Assert.Equal(before, TestSim.PinnedBytes());
        }
        finally
        {
            CallerMemory.Unmap(address, 64 << 10);
        }
    }

    [Theory]
    [InlineData(1UL << 62)]
    [InlineData(ulong.MaxValue - 4095)]
    public void A_preallocated_range_past_the_address_space_is_invalid_param(ulong length)
    {
        var address = CallerMemory.Map(4096);
        try
        {
            using var acc = TestSim.Open();
            Assert.Equal(FpgaResult.InvalidParam, acc.TryPrepare(length, address, (int)BufferFlags.Preallocated, out _).Result);
        }
        finally
        {
            CallerMemory.Unmap(address, 4096);
        }
    }

    [Fact]
    public void With_RLIMIT_MEMLOCK_exhausted_the_pin_of_caller_memory_is_no_memory_saying_so()
    {
        using var kernel = new FakeKernel();
        kernel.Fail(Syscall.IoUringRegister, Errno.ENOMEM, skip: 1);
        var address = CallerMemory.Map(8192);
        try
        {
            using var acc = TestSim.Open(kernel);
            var e = TestSim.Fails(FpgaResult.NoMemory, () => acc.AttachBuffer(address, 8192));
            Assert.Contains("RLIMIT_MEMLOCK", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            CallerMemory.Unmap(address, 8192);
        }
    }

    [Fact]
    public void A_lock_failure_message_is_built_without_a_free_descriptor()
    {
        using var kernel = new FakeKernel();
        kernel.Fail(Syscall.ReadProcSelf, Errno.EMFILE);
        kernel.Fail(Syscall.ReadProcSelf, Errno.EMFILE);
        var text = MemoryLimits.DescribeLockFailure(kernel, 8192, Errno.ENOMEM);
        Assert.Contains("RLIMIT_MEMLOCK", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Under_the_contiguity_rule_caller_memory_inside_one_2_MiB_hugepage_is_accepted()
    {
        if (HugePages.System.Free(PageSizes.Huge2M) < 1)
        {
            Assert.Skip($"no free 2 MiB hugepages reserved on this machine (reserve with: echo N > {HugePages.ReservePath(PageSizes.Huge2M)})");
        }

        var address = CallerMemory.Map(PageSizes.Huge2M, extraFlags: Libc.MAP_HUGETLB | Libc.MAP_HUGE_2MB);
        try
        {
            CallerMemory.Bytes(address, 4096).Fill(1);
            using var acc = TestSim.Open(new OpaeSharp.Devices.Simulated.SimulatorOptions { EnforceContiguity = true });
            using var buffer = acc.AttachBuffer(address, PageSizes.Huge2M);
            Assert.Equal(PageSizes.Huge2M, buffer.PageSize);

            // Two 4 KiB pages are not one contiguous range.
            using var small = new PageAlignedMemory(8192);
            TestSim.Fails(FpgaResult.InvalidParam, () => acc.AttachBuffer(small.Address, 8192));
        }
        finally
        {
            CallerMemory.Unmap(address, PageSizes.Huge2M);
        }
    }
}
