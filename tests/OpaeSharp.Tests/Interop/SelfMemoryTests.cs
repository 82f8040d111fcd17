using OpaeSharp.Interop;

namespace OpaeSharp.Tests.Interop;

/// <summary>/proc/self/mem as the fallback for process_vm_readv/writev: no signal, ever.</summary>
public sealed class SelfMemoryTests
{
    [Fact]
    public void Reads_and_writes_reach_mapped_memory()
    {
        using var memory = new PageAlignedMemory(4096);
        var self = new SelfMemory();
        Assert.Equal(Errno.None, self.Write(memory.Address + 8, [1, 2, 3], out var written));
        Assert.Equal(3, written);
        var back = new byte[3];
        Assert.Equal(Errno.None, self.Read(memory.Address + 8, back, out var read));
        Assert.Equal(3, read);
        Assert.Equal([1, 2, 3], back);
    }

    [Fact]
    public void An_unmapped_address_is_an_error_not_a_signal()
    {
        var address = CallerMemory.MapAway(4096);
        CallerMemory.Unmap(address, 4096);
        var self = new SelfMemory();
        Assert.NotEqual(Errno.None, self.Write(address, [1], out _));
        Assert.NotEqual(Errno.None, self.Read(address, new byte[1], out _));
    }
}
