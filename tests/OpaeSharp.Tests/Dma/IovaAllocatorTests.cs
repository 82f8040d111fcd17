using OpaeSharp.Dma;

namespace OpaeSharp.Tests.Dma;

public sealed class IovaAllocatorTests
{
    private const ulong Base = 0x1_0000_0000;

    [Fact]
    public void Ranges_are_aligned_to_the_requested_alignment()
    {
        var iovas = new IovaAllocator(Base, Base + (1UL << 32));
        Assert.True(iovas.TryAllocate(4096, 4096, out var small));
        Assert.True(iovas.TryAllocate(2 << 20, 2 << 20, out var huge));
        Assert.Equal(Base, small);
        Assert.Equal(0UL, huge % (2 << 20));
        Assert.True(huge >= small + 4096);
    }

    [Fact]
    public void A_guard_gap_separates_consecutive_ranges()
    {
        var iovas = new IovaAllocator(Base, Base + (1 << 20), guard: 4096);
        Assert.True(iovas.TryAllocate(4096, 4096, out var first));
        Assert.True(iovas.TryAllocate(4096, 4096, out var second));
        Assert.Equal(first + 8192, second);
    }

    [Fact]
    public void A_full_window_refuses_and_freed_space_is_reused_and_merged()
    {
        var iovas = new IovaAllocator(Base, Base + 16384);
        Assert.True(iovas.TryAllocate(8192, 4096, out var a));
        Assert.True(iovas.TryAllocate(8192, 4096, out var b));
        Assert.False(iovas.TryAllocate(4096, 4096, out _));
        iovas.Free(a, 8192);
        iovas.Free(b, 8192);
        Assert.Equal(16384UL, iovas.FreeBytes);
        Assert.True(iovas.TryAllocate(16384, 4096, out var whole));
        Assert.Equal(Base, whole);
    }

    [Fact]
    public void Freeing_a_range_twice_is_caught()
    {
        var iovas = new IovaAllocator(Base, Base + 16384);
        Assert.True(iovas.TryAllocate(4096, 4096, out var a));
        iovas.Free(a, 4096);
        Assert.Throws<InvalidOperationException>(() => iovas.Free(a, 4096));
    }

    [Fact]
    public void A_window_that_is_not_page_aligned_is_rejected() =>
        Assert.Throws<ArgumentException>(() => new IovaAllocator(Base + 1, Base + 8192));
}
