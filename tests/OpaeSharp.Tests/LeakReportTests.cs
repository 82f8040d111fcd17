using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpaeSharp.Diagnostics;

namespace OpaeSharp.Tests;

[Collection(ProcessMemoryCollection.Name)]
public sealed class LeakReportTests
{
    [Fact]
    public void Closing_with_live_buffers_logs_how_many_and_how_many_bytes()
    {
        var log = new ListLogger();
        OpaeLogging.UseLogger(log);
        try
        {
            var acc = TestSim.Open();
            acc.PrepareBuffer(4096);
            acc.PrepareBuffer(8192);
            acc.Dispose();
        }
        finally
        {
            OpaeLogging.UseLogger(NullLogger.Instance);
        }

        Assert.Contains(log.Messages, m => m.Contains("released 2 buffer(s) still prepared (12288 bytes)", StringComparison.Ordinal));
    }

    [Fact]
    public void With_leak_tracking_on_the_log_says_where_each_leaked_buffer_was_prepared()
    {
        var log = new ListLogger();
        OpaeLogging.UseLogger(log);
        Accelerator.TrackLeaks = true;
        try
        {
            var acc = TestSim.Open();
            PrepareAndForget(acc);
            acc.Dispose();
        }
        finally
        {
            Accelerator.TrackLeaks = false;
            OpaeLogging.UseLogger(NullLogger.Instance);
        }

        Assert.Contains(log.Messages, m => m.Contains(nameof(PrepareAndForget), StringComparison.Ordinal));
    }

    [Fact]
    public void A_failed_prepare_is_logged_unless_quiet()
    {
        var log = new ListLogger();
        OpaeLogging.UseLogger(log);
        try
        {
            using var acc = TestSim.Open(new OpaeSharp.Devices.Simulated.SimulatorOptions { IovaSize = 4096 });
            Assert.False(acc.TryPrepareBuffer(1 << 20, BufferFlags.Quiet, out _, out _));
            Assert.Empty(log.Messages);
            Assert.False(acc.TryPrepareBuffer(1 << 20, BufferFlags.None, out _, out _));
        }
        finally
        {
            OpaeLogging.UseLogger(NullLogger.Instance);
        }

        Assert.Contains(log.Messages, m => m.Contains("IO address space exhausted", StringComparison.Ordinal));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void PrepareAndForget(Accelerator acc) => acc.PrepareBuffer(4096);

    private sealed class ListLogger : ILogger
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Messages)
            {
                Messages.Add(formatter(state, exception));
            }
        }
    }
}
