using Microsoft.Win32.SafeHandles;
using OpaeSharp.Devices.Simulated;
using OpaeSharp.Interop;
using OpaeSharp.Memory;
using OpaeSharp.Simulation;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Devices.Simulated;

/// <summary>
/// Issue #12, class 2: the simulated device reaches PREALLOCATED memory the way hardware does.
/// Prepare refuses memory the device could not pin for the access asked for; afterwards the device
/// reaches only the pages pinned at prepare time, whatever the caller does with the addresses, and
/// anything else is a recorded DMA fault — never a signal in the host or a write into other memory.
/// </summary>
[Collection(ProcessMemoryCollection.Name)]
public sealed class CallerMemoryDmaTests
{
    private static readonly byte[] Pattern = [.. Enumerable.Range(1, 64).Select(i => (byte)i)];

    [Fact]
    public void Read_only_memory_for_a_device_that_writes_is_invalid_param()
    {
        var address = CallerMemory.Map(8192, Libc.PROT_READ);
        try
        {
            using var acc = TestSim.Open();
            var e = TestSim.Fails(FpgaResult.InvalidParam, () => acc.AttachBuffer(address, 8192));
            Assert.Contains("read-only", e.Message, StringComparison.Ordinal);
            Assert.Equal(0, acc.BufferCount);
        }
        finally
        {
            CallerMemory.Unmap(address, 8192);
        }
    }

    [Fact]
    public void The_vdso_for_a_device_that_writes_is_invalid_param()
    {
        var (address, length) = CallerMemory.Named("[vdso]");
        using var acc = TestSim.Open();
        TestSim.Fails(FpgaResult.InvalidParam, () => acc.AttachBuffer(address, length));
        Assert.Equal(0, TestSim.CardOf(acc).Iommu.Count);
    }

    [Fact]
    public void Read_only_memory_prepared_read_only_is_read_by_the_device_and_never_written()
    {
        var address = CallerMemory.Map(4096);
        Pattern.CopyTo(CallerMemory.Bytes(address, 64));
        CallerMemory.MapOver(address, 4096, Libc.PROT_READ);
        try
        {
            // The fresh read-only page reads as zeros: what the device must see too.
            using var acc = TestSim.Open();
            using var buffer = acc.AttachBuffer(address, 4096, BufferFlags.ReadOnly);
            var dma = new DmaEngine(TestSim.CardOf(acc).Iommu, "test");
            var seen = new byte[64];
            Assert.True(dma.TryRead(buffer.IoAddress, seen));
            Assert.Equal(new byte[64], seen);
            Assert.False(dma.TryWrite(buffer.IoAddress, Pattern));
            Assert.Equal(DmaFaultKind.PermissionDenied, Assert.Single(TestSim.Faults(acc)).Kind);
        }
        finally
        {
            CallerMemory.Unmap(address, 4096);
        }
    }

    [Fact]
    public void A_device_write_after_the_caller_reused_the_address_does_not_reach_the_new_memory()
    {
        var address = CallerMemory.Map(8192);
        try
        {
            using var acc = TestSim.Open();
            using var buffer = acc.AttachBuffer(address, 8192);
            CallerMemory.Unmap(address, 8192);
            CallerMemory.MapOver(address, 8192);

            var dma = new DmaEngine(TestSim.CardOf(acc).Iommu, "test");
            Assert.True(dma.TryWrite(buffer.IoAddress + 4096, Pattern));

            // The pinned pages got the bytes (the device reads them back); the new mapping did not.
            var back = new byte[64];
            Assert.True(dma.TryRead(buffer.IoAddress + 4096, back));
            Assert.Equal(Pattern, back);
            Assert.Equal(-1, CallerMemory.Bytes(address, 8192).IndexOfAnyExcept((byte)0));
        }
        finally
        {
            CallerMemory.Unmap(address, 8192);
        }
    }

    [Fact]
    public void A_device_write_to_memory_the_caller_unmapped_is_no_signal()
    {
        var address = CallerMemory.MapAway(8192);
        using var acc = TestSim.Open();
        using var buffer = acc.AttachBuffer(address, 8192);
        CallerMemory.Unmap(address, 8192);
        Assert.False(CallerMemory.IsMapped(address, 8192));

        var dma = new DmaEngine(TestSim.CardOf(acc).Iommu, "test");
        Assert.True(dma.TryWrite(buffer.IoAddress, Pattern));
        Assert.Empty(TestSim.Faults(acc));
    }

    [Fact]
    public void A_device_write_to_a_truncated_file_mapping_is_no_sigbus()
    {
        var path = Path.Combine("/dev/shm", $"opaesharp-test-{Guid.NewGuid():N}");
        using var file = File.Open(path, FileMode.CreateNew, FileAccess.ReadWrite);
        File.Delete(path);
        file.SetLength(8192);
        var address = MapShared(file.SafeFileHandle, 8192);
        try
        {
            CallerMemory.Bytes(address, 8192).Fill(1);
            using var acc = TestSim.Open();
            using var buffer = acc.AttachBuffer(address, 8192);
            file.SetLength(0);

            var dma = new DmaEngine(TestSim.CardOf(acc).Iommu, "test");
            Assert.True(dma.TryWrite(buffer.IoAddress + 4096, Pattern));
        }
        finally
        {
            CallerMemory.Unmap(address, 8192);
        }
    }

    [Fact]
    public void Releasing_an_allocated_buffer_keeps_a_preallocated_buffer_inside_it_mapped_until_that_one_is_released()
    {
        using var acc = TestSim.Open();
        var outer = acc.PrepareBuffer(64 << 10);
        var address = outer.Address;
        var inner = acc.AttachBuffer(address + 4096, 8192);
        outer.Dispose();

        var dma = new DmaEngine(TestSim.CardOf(acc).Iommu, "test");
        Assert.True(dma.TryWrite(inner.IoAddress, Pattern));
        Assert.Equal(Pattern, inner.GetSpan(0, 64).ToArray());
        Assert.True(CallerMemory.IsMapped(address, 64 << 10));

        inner.Dispose();
        Assert.False(CallerMemory.IsMapped(address, 64 << 10));
    }

    [Fact]
    public void Without_io_uring_a_device_write_to_unmapped_caller_memory_is_an_unreachable_fault()
    {
        using var kernel = new FakeKernel();
        kernel.Fail(Syscall.IoUringSetup, Errno.ENOSYS);
        var address = CallerMemory.MapAway(8192);
        using var acc = TestSim.Open(kernel);
        using var buffer = acc.AttachBuffer(address, 8192);
        CallerMemory.Unmap(address, 8192);

        var dma = new DmaEngine(TestSim.CardOf(acc).Iommu, "test");
        Assert.False(dma.TryWrite(buffer.IoAddress, Pattern));
        Assert.Equal(DmaFaultKind.Unreachable, Assert.Single(TestSim.Faults(acc)).Kind);
    }

    [Fact]
    public void Without_io_uring_read_only_memory_for_a_device_that_writes_is_still_invalid_param()
    {
        using var kernel = new FakeKernel();
        kernel.Fail(Syscall.IoUringSetup, Errno.EPERM);
        var address = CallerMemory.Map(8192, Libc.PROT_READ);
        try
        {
            using var acc = TestSim.Open(kernel);
            TestSim.Fails(FpgaResult.InvalidParam, () => acc.AttachBuffer(address, 8192));
            using var readOnly = acc.AttachBuffer(address, 8192, BufferFlags.ReadOnly);
            Assert.True(new DmaEngine(TestSim.CardOf(acc).Iommu, "test").TryRead(readOnly.IoAddress, new byte[64]));
        }
        finally
        {
            CallerMemory.Unmap(address, 8192);
        }
    }

    [Fact]
    public void Caller_memory_over_1_GiB_is_pinned_in_pieces_and_reached_across_them()
    {
        // Not touched except where the device writes: MAP_NORESERVE keeps the test cheap until pinned.
        const long Length = (1L << 30) + (64 << 10);
        if (MemoryLimits.MemlockLimit() is { } limit && (long)limit < Length && Environment.UserName != "root")
        {
            Assert.Skip("RLIMIT_MEMLOCK is below 1 GiB and the test is not root: the pin would be refused");
        }

        var address = CallerMemory.Map(Length);
        try
        {
            using var acc = TestSim.Open();
            using var buffer = acc.AttachBuffer(address, Length);
            var dma = new DmaEngine(TestSim.CardOf(acc).Iommu, "test");
            var across = buffer.IoAddress + (1UL << 30) - 32;
            Assert.True(dma.TryWrite(across, Pattern));
            Assert.Equal(Pattern, CallerMemory.Bytes(address + (1 << 30) - 32, 64).ToArray());
        }
        finally
        {
            CallerMemory.Unmap(address, Length);
        }
    }

    private static nint MapShared(SafeFileHandle file, long length)
    {
        var address = Libc.Mmap(0, (nuint)length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, (int)file.DangerousGetHandle(), 0, out var errno);
        Assert.True(address != Libc.MapFailed, $"test mmap of a file failed: {errno}");
        return address;
    }
}
