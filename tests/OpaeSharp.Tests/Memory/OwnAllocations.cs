using OpaeSharp.Memory;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Memory;

/// <summary>Memory the library allocates for itself (small pages, locked), made through a fake kernel that records it.</summary>
internal static class OwnAllocations
{
    internal static PinnedMemory Allocate(FakeKernel kernel, long length = 4096)
    {
        var allocator = new BufferAllocator(kernel, new HugePages(kernel), useHugePages: false);
        Assert.True(allocator.Allocate(length, requiresContiguous: false, driverPins: false, out var memory).IsOk);
        return memory!;
    }
}
