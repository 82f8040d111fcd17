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
}
