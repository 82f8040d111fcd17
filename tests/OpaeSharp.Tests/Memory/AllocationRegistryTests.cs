using OpaeSharp.Memory;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Memory;

[Collection(ProcessMemoryCollection.Name)]
public sealed class AllocationRegistryTests
{
    [Theory]
    [InlineData(4096)]
    [InlineData(3 * 4096)]
    [InlineData(2L << 20)]
    [InlineData((5L << 20) + (3 * 4096))]
    public void Every_page_of_an_allocation_finds_it_and_the_page_after_it_does_not(long length)
    {
        using var kernel = new FakeKernel();
        var memory = OwnAllocations.Allocate(kernel, length);
        try
        {
            for (long offset = 0; offset < length; offset += 4096)
            {
                var found = AllocationRegistry.AcquireContaining(memory.Address + (nint)offset, 4096);
                Assert.Same(memory, found);
                found!.ReleaseRef();
            }

            var after = AllocationRegistry.AcquireContaining(memory.Address + (nint)length, 4096);
            after?.ReleaseRef();
            Assert.NotSame(memory, after);
            Assert.Null(AllocationRegistry.AcquireContaining(memory.Address + (nint)length - 4096, 8192));
        }
        finally
        {
            memory.Dispose();
        }
    }

    [Fact]
    public void A_released_allocation_is_found_at_none_of_its_pages()
    {
        using var kernel = new FakeKernel();
        var memory = OwnAllocations.Allocate(kernel, (5L << 20) + 4096);
        var address = memory.Address;
        memory.Dispose();

        for (long offset = 0; offset < (5L << 20) + 4096; offset += 64 << 10)
        {
            Assert.Null(AllocationRegistry.AcquireContaining(address + (nint)offset, 4096));
        }
    }

    [Fact]
    public void Neighbouring_allocations_each_find_only_themselves()
    {
        using var kernel = new FakeKernel();
        var memories = Enumerable.Range(0, 8).Select(i => OwnAllocations.Allocate(kernel, (i + 1) * 4096L)).ToList();
        try
        {
            foreach (var memory in memories)
            {
                var found = AllocationRegistry.AcquireContaining(memory.Address + (nint)memory.MappedLength - 4096, 4096);
                Assert.Same(memory, found);
                found!.ReleaseRef();
            }
        }
        finally
        {
            memories.ForEach(m => m.Dispose());
        }
    }
}
