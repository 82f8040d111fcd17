using OpaeSharp.Devices.Simulated;
using OpaeSharp.Interop;

namespace OpaeSharp.Tests.Devices.Simulated;

public sealed class SimulatedInterruptsTests
{
    [Fact]
    public void A_raised_vector_adds_one_to_the_attached_eventfd()
    {
        var lines = new SimulatedInterrupts(LinuxKernel.Instance, count: 2);
        Assert.Equal(Errno.None, LinuxKernel.Instance.EventFd(0, Libc.EFD_NONBLOCK, out var fd));
        using (fd)
        {
            Assert.True(lines.Attach(1, fd!).IsOk);

            Assert.True(lines.Raise(1));
            Assert.True(lines.Raise(1));

            Span<byte> counter = stackalloc byte[8];
            Assert.Equal(Errno.None, LinuxKernel.Instance.Read(fd!, counter, out var count));
            Assert.Equal(8, count);
            Assert.Equal(2UL, BitConverter.ToUInt64(counter));
        }
    }

    [Fact]
    public void A_vector_without_an_eventfd_drops_the_interrupt()
    {
        var lines = new SimulatedInterrupts(LinuxKernel.Instance, count: 1);
        Assert.False(lines.Raise(0));
        Assert.Equal(1, lines.Dropped);
    }

    [Fact]
    public void Attaching_twice_is_busy_and_a_vector_out_of_range_is_invalid()
    {
        var lines = new SimulatedInterrupts(LinuxKernel.Instance, count: 1);
        Assert.Equal(Errno.None, LinuxKernel.Instance.EventFd(0, 0, out var fd));
        using (fd)
        {
            Assert.True(lines.Attach(0, fd!).IsOk);
            Assert.Equal(FpgaResult.Busy, lines.Attach(0, fd!).Result);
            Assert.Equal(FpgaResult.InvalidParam, lines.Attach(1, fd!).Result);
            Assert.True(lines.Detach(0).IsOk);
            Assert.Equal(FpgaResult.InvalidParam, lines.Detach(0).Result);
        }
    }

    [Fact]
    public void Raising_after_the_program_closed_its_eventfd_signals_nothing_and_does_not_throw()
    {
        var lines = new SimulatedInterrupts(LinuxKernel.Instance, count: 1);
        Assert.Equal(Errno.None, LinuxKernel.Instance.EventFd(0, 0, out var fd));
        Assert.True(lines.Attach(0, fd!).IsOk);
        fd!.Dispose();
        Assert.False(lines.Raise(0));
    }
}

public sealed class SimulatedErrorsTests
{
    [Fact]
    public void Set_bits_accumulate_first_error_keeps_the_first_and_clearing_by_mask_resets_both()
    {
        var errors = new SimulatedErrors("errors");
        var raised = new List<(string, ulong)>();
        errors.Raised += (name, bits) => raised.Add((name, bits));

        Assert.True(errors.Set("errors", 0x4));
        Assert.True(errors.Set("errors", 0x1));
        Assert.Equal(0x5UL, errors.Read("errors"));
        Assert.Equal(0x4UL, errors.First("errors"));
        Assert.Equal([("errors", 0x4UL), ("errors", 0x1UL)], raised);

        Assert.True(errors.Clear("errors", 0x5));
        Assert.Equal(0UL, errors.Read("errors"));
        Assert.Equal(0UL, errors.First("errors"));
    }

    [Fact]
    public void An_unknown_register_is_refused()
    {
        var errors = new SimulatedErrors("errors");
        Assert.False(errors.Set("nope", 1));
        Assert.False(errors.Clear("nope", 1));
        Assert.Equal(0UL, errors.Read("nope"));
    }
}
