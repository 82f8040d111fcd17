using OpaeSharp.Memory;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Memory;

[Collection(ProcessMemoryCollection.Name)]
public sealed class PinnedMemoryTests
{
    [Fact]
    public void Dispose_unmaps_an_allocation_nobody_else_holds()
    {
        using var kernel = new FakeKernel();
        var memory = OwnAllocations.Allocate(kernel);

        memory.Dispose();

        Assert.True(memory.IsReleased);
        Assert.Empty(kernel.LiveMemory);
    }

    [Fact]
    public void A_holder_keeps_the_mapping_past_dispose_and_the_last_release_unmaps_it()
    {
        using var kernel = new FakeKernel();
        var memory = OwnAllocations.Allocate(kernel);
        Assert.True(memory.TryAddRef());
        Assert.True(memory.TryAddRef());

        memory.Dispose();
        Assert.True(memory.IsReleased);
        memory.ReleaseRef();
        Assert.Single(kernel.LiveMemory);

        memory.ReleaseRef();
        Assert.Empty(kernel.LiveMemory);
    }

    [Fact]
    public void No_reference_is_taken_once_disposed_even_while_a_holder_keeps_the_pages()
    {
        using var kernel = new FakeKernel();
        var memory = OwnAllocations.Allocate(kernel);
        Assert.True(memory.TryAddRef());

        memory.Dispose();

        Assert.False(memory.TryAddRef());
        memory.ReleaseRef();
        Assert.Empty(kernel.LiveMemory);
    }

    [Fact]
    public void A_second_dispose_gives_back_nothing_more()
    {
        using var kernel = new FakeKernel();
        var memory = OwnAllocations.Allocate(kernel);
        Assert.True(memory.TryAddRef());

        memory.Dispose();
        memory.Dispose();

        Assert.Single(kernel.LiveMemory);
        memory.ReleaseRef();
        Assert.Empty(kernel.LiveMemory);
    }

    [Fact]
    public void An_allocation_is_found_by_any_address_inside_it_until_it_is_released()
    {
        using var kernel = new FakeKernel();
        var memory = OwnAllocations.Allocate(kernel, 3 * 4096);

        var inside = AllocationRegistry.AcquireContaining(memory.Address + 4096, 8192);
        Assert.Same(memory, inside);
        inside!.ReleaseRef();
        Assert.Null(AllocationRegistry.AcquireContaining(memory.Address + 4096, 3 * 4096));

        memory.Dispose();
        Assert.Null(AllocationRegistry.AcquireContaining(memory.Address, 4096));
    }

    [Fact]
    public void Concurrent_holders_on_two_threads_unmap_exactly_once_after_the_last()
    {
        using var kernel = new FakeKernel();
        var memory = OwnAllocations.Allocate(kernel);
        var threads = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            for (var i = 0; i < 100_000 && memory.TryAddRef(); i++)
            {
                memory.ReleaseRef();
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        memory.Dispose();
        threads.ForEach(t => t.Join());

        Assert.Empty(kernel.LiveMemory);
        Assert.Equal(1, kernel.Calls(Syscall.Munmap));
    }
}
