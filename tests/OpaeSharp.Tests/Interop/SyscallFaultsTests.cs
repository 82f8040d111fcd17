using OpaeSharp.Interop;

namespace OpaeSharp.Tests.Interop;

public sealed class SyscallFaultsTests
{
    [Fact]
    public void An_injected_fault_fires_on_the_chosen_call_only_once()
    {
        using (SyscallFaults.Inject(Syscall.Mlock, Errno.EAGAIN, skip: 1))
        {
            Assert.False(SyscallFaults.ShouldFail(Syscall.Mlock, out _));
            Assert.False(SyscallFaults.ShouldFail(Syscall.Munmap, out _));
            Assert.True(SyscallFaults.ShouldFail(Syscall.Mlock, out var errno));
            Assert.Equal(Errno.EAGAIN, errno);
            Assert.False(SyscallFaults.ShouldFail(Syscall.Mlock, out _));
        }
    }

    [Fact]
    public void A_fault_plan_ends_with_its_scope()
    {
        using (SyscallFaults.Inject(Syscall.Mmap, Errno.ENOMEM))
        {
        }

        Assert.False(SyscallFaults.ShouldFail(Syscall.Mmap, out _));
    }

    [Fact]
    public void A_mapping_trace_sees_what_is_mapped_and_forgets_what_is_unmapped()
    {
        using var trace = SyscallFaults.TraceMappings();
        var address = Libc.Mmap(0, 8192, Libc.PROT_READ, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0, out _);
        Assert.Equal([(address, (nuint)8192)], trace.Live);
        Libc.Munmap(address, 8192);
        Assert.Equal(1, trace.Mapped);
        Assert.Empty(trace.Live);
    }
}
