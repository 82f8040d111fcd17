using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpaeSharp.Devices.Dfl;
using OpaeSharp.Devices.Simulated;
using OpaeSharp.Devices.Simulated.Afus;
using OpaeSharp.Diagnostics;
using OpaeSharp.Enumeration;
using OpaeSharp.Interop;
using OpaeSharp.Tests.Devices.Dfl;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests;

/// <summary>
/// Issue #12, classes 3 and 4 as the core library sees them: a handle inherited by a forked child
/// (the kernel seam says the process changed) touches nothing of the parent's, and logging can
/// never change a result or stop a release.
/// </summary>
[Collection(ProcessMemoryCollection.Name)]
public sealed class ForkAndLoggingTests
{
    [Fact]
    public void In_a_forked_child_an_inherited_DFL_handle_releases_and_closes_without_unmapping_the_parents_buffers()
    {
        using var kernel = new FakeKernel();
        var port = FakeDflCards.Add(kernel, legacy: false);
        var backend = new DflBackend(kernel, DflDriver.Upstream);
        var acc = Accelerator.Open(backend.Enumerate().First(t => t.ObjectType == FpgaObjectType.Accelerator));
        var buffer = acc.PrepareBuffer(4096);
        var ioctls = kernel.Ioctls.Count;

        kernel.ProcessIdOverride = Libc.GetPid() + 1;
        TestSim.Fails(FpgaResult.InvalidParam, () => acc.ReleaseBuffer(buffer.WorkspaceId));
        TestSim.Fails(FpgaResult.InvalidParam, () => acc.PrepareBuffer(4096));
        acc.Dispose();

        Assert.Equal(ioctls, kernel.Ioctls.Count);
        Assert.Equal(1, port.MappingCount);
        Assert.False(buffer.IsReleased);
    }

    [Fact]
    public void In_a_forked_child_closing_an_inherited_simulator_handle_returns_without_waiting_for_the_parents_worker()
    {
        using var kernel = new FakeKernel();
        var acc = TestSim.Open(kernel);
        var port = TestSim.PortOf(acc);
        using (var dsm = acc.PrepareBuffer(4096))
        {
            acc.WriteMmio64(Nlb0Afu.DsmBase, dsm.IoAddress);
            acc.WriteMmio32(Nlb0Afu.Ctl, 1);
            acc.WriteMmio32(Nlb0Afu.Ctl, 3);
            Assert.True(dsm.Poll<ulong>((long)Nlb0Afu.DsmStatusComplete, 1, 1, TimeSpan.FromSeconds(30)));
        }

        kernel.ProcessIdOverride = Libc.GetPid() + 1;
        acc.Dispose();
        Assert.True(port.Worker.HasThread);

        kernel.ProcessIdOverride = null;
        port.Release();
    }

    [Fact]
    public void A_logger_that_throws_changes_no_result_and_a_close_still_gives_the_port_back()
    {
        OpaeLogging.UseLogger(new ThrowingLogger());
        try
        {
            var backend = TestSim.NewBackend();
            var token = TestSim.AcceleratorOf(backend);
            var acc = Accelerator.Open(token);
            acc.PrepareBuffer(4096);
            Assert.Equal(FpgaResult.InvalidParam, acc.TryPrepare(0, 0, 0, out _).Result);
            acc.Dispose();

            using var again = Accelerator.Open(token);
            Assert.False(again.IsClosed);
        }
        finally
        {
            OpaeLogging.UseLogger(NullLogger.Instance);
        }
    }

    private sealed class ThrowingLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => throw new IOException("log sink gone");

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            throw new IOException("log sink gone");
    }
}
