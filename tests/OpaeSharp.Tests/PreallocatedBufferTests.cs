using OpaeSharp.Memory;

namespace OpaeSharp.Tests;

[Collection(ProcessMemoryCollection.Name)]
public sealed class PreallocatedBufferTests
{
    [Fact]
    public void Attach_uses_the_callers_memory_at_its_address()
    {
        using var memory = new PageAlignedMemory(16384);
        using var acc = TestSim.Open();
        using var buffer = acc.AttachBuffer(memory.Address, memory.Length);
        Assert.Equal(memory.Address, buffer.Address);
        Assert.Equal(memory.Length, buffer.Length);
        Assert.True(buffer.IsPreallocated);
        Assert.Equal(PageSizes.Small, buffer.PageSize);
    }

    [Fact]
    public void Release_leaves_the_callers_memory_mapped_with_its_contents_intact()
    {
        using var memory = new PageAlignedMemory(8192);
        memory.Span.Fill(0x5A);
        using var acc = TestSim.Open();
        acc.AttachBuffer(memory.Address, memory.Length).Dispose();
        Assert.Equal(-1, memory.Span.IndexOfAnyExcept((byte)0x5A));
        memory.Span[0] = 1;
        Assert.Equal(1, memory.Span[0]);
    }

    [Fact]
    public void Attach_of_a_null_address_is_invalid_param() =>
        TestSim.Fails(FpgaResult.InvalidParam, () => TestSim.Open().AttachBuffer(0, 4096));

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(4097)]
    public void Attach_with_a_length_that_is_not_a_nonzero_multiple_of_4_KiB_is_invalid_param(long length)
    {
        using var memory = new PageAlignedMemory(16384);
        using var acc = TestSim.Open();
        TestSim.Fails(FpgaResult.InvalidParam, () => acc.AttachBuffer(memory.Address, length));
        Assert.Equal(0, acc.BufferCount);
    }

    [Fact]
    public void Attach_of_an_unaligned_address_is_invalid_param()
    {
        using var memory = new PageAlignedMemory(16384);
        using var acc = TestSim.Open();
        TestSim.Fails(FpgaResult.InvalidParam, () => acc.AttachBuffer(memory.Address + 64, 4096));
    }

    [Fact]
    public void Attach_of_memory_that_is_not_mapped_is_invalid_param_and_pins_nothing()
    {
        // The accelerator first: opening it allocates (the port's register file), which could reuse the hole.
        using var acc = TestSim.Open();
        var hole = new PageAlignedMemory(8192);
        var address = hole.Address;
        hole.Dispose();
        var locked = MemoryLimits.LockedBytes();
        var e = TestSim.Fails(FpgaResult.InvalidParam, () => acc.AttachBuffer(address, 8192));
        Assert.Contains("not (entirely) mapped", e.Message, StringComparison.Ordinal);
        Assert.Equal(locked, MemoryLimits.LockedBytes());
        Assert.Equal(0, TestSim.CardOf(acc).Iommu.Count);
    }

    [Fact]
    public void Attach_pins_the_memory_and_release_unpins_it()
    {
        using var memory = new PageAlignedMemory(64 << 10);
        using var acc = TestSim.Open();
        var before = MemoryLimits.LockedBytes();
        var buffer = acc.AttachBuffer(memory.Address, memory.Length);
        Assert.Equal(before + memory.Length, MemoryLimits.LockedBytes());
        buffer.Dispose();
        Assert.Equal(before, MemoryLimits.LockedBytes());
    }

    [Fact]
    public void Releasing_one_of_two_overlapping_attachments_keeps_the_shared_pages_pinned()
    {
        using var memory = new PageAlignedMemory(64 << 10);
        using var acc = TestSim.Open();
        var before = MemoryLimits.LockedBytes();
        using var whole = acc.AttachBuffer(memory.Address, memory.Length);
        var half = acc.AttachBuffer(memory.Address, memory.Length / 2);
        half.Dispose();
        Assert.Equal(before + memory.Length, MemoryLimits.LockedBytes());
    }

    [Fact]
    public void Attaching_the_same_range_twice_keeps_it_pinned_until_both_are_released()
    {
        using var memory = new PageAlignedMemory(64 << 10);
        using var acc = TestSim.Open();
        var before = MemoryLimits.LockedBytes();
        var first = acc.AttachBuffer(memory.Address, memory.Length);
        var second = acc.AttachBuffer(memory.Address, memory.Length);
        first.Dispose();
        Assert.Equal(before + memory.Length, MemoryLimits.LockedBytes());
        second.Dispose();
        Assert.Equal(before, MemoryLimits.LockedBytes());
    }

    [Fact]
    public void Releasing_an_attachment_inside_an_allocated_buffer_keeps_the_buffer_pinned()
    {
        using var acc = TestSim.Open();
        using var allocated = acc.PrepareBuffer(64 << 10);
        var locked = MemoryLimits.LockedBytes();
        acc.AttachBuffer(allocated.Address + 4096, 8192).Dispose();
        Assert.Equal(locked, MemoryLimits.LockedBytes());
    }

    [Fact]
    public void A_preallocated_buffer_gets_its_own_io_address()
    {
        using var memory = new PageAlignedMemory(8192);
        using var acc = TestSim.Open();
        using var buffer = acc.AttachBuffer(memory.Address, memory.Length);
        Assert.NotEqual((ulong)memory.Address, buffer.IoAddress);
        Assert.Equal(buffer.IoAddress, acc.GetIoAddress(buffer.WorkspaceId));
    }
}
