using System.Diagnostics;
using System.IO.Pipelines;
using OpaeSharp.Devices.Simulated;
using OpaeSharp.Devices.Simulated.Afus;
using OpaeSharp.Pooling;

namespace OpaeSharp.Tests;

/// <summary>Issue #15, item 5: waits that can be cancelled, awaited, and that leave the core alone.</summary>
[Collection(ProcessMemoryCollection.Name)]
public sealed class WaitTests
{
    [Fact]
    public void A_long_poll_does_not_keep_a_core_busy()
    {
        using var acc = TestSim.Open();
        using var buffer = acc.PrepareBuffer(4096);
        var cpu = ThisThreadsCpu();
        var wall = Stopwatch.StartNew();
        Assert.False(buffer.Poll<ulong>(0, 1, 1, TimeSpan.FromSeconds(1)));
        var used = ThisThreadsCpu() - cpu;

        // Spinning the whole second (what Poll used to do) costs a full second of CPU.
        Assert.True(used < wall.Elapsed / 4, $"polling for {wall.Elapsed} used {used} of CPU");
    }

    /// <summary>User and system time of the calling thread (/proc/thread-self/stat, in clock ticks of 10 ms).</summary>
    private static TimeSpan ThisThreadsCpu()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    [Fact]
    public void Poll_stops_when_its_token_is_cancelled()
    {
        using var acc = TestSim.Open();
        using var buffer = acc.PrepareBuffer(4096);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Assert.ThrowsAny<OperationCanceledException>(() => buffer.Poll<ulong>(0, 1, 1, Timeout.InfiniteTimeSpan, cancel.Token));
    }

    [Fact]
    public async Task PollAsync_completes_when_the_device_writes_the_value()
    {
        using var acc = TestSim.Open();
        using var dsm = acc.PrepareBuffer(4096);
        using var input = acc.PrepareBuffer(1 << 20);
        using var output = acc.PrepareBuffer(1 << 20);
        input.Fill(0x5A);
        var waiting = dsm.PollAsync<ulong>((long)Nlb0Afu.DsmStatusComplete, 1, 1, Timeout.InfiniteTimeSpan, TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);

        acc.WriteMmio64(Nlb0Afu.DsmBase, dsm.IoAddress);
        acc.WriteMmio32(Nlb0Afu.Ctl, 0);
        acc.WriteMmio32(Nlb0Afu.Ctl, 1);
        acc.WriteMmio64(Nlb0Afu.SrcAddr, input.IoAddress >> 6);
        acc.WriteMmio64(Nlb0Afu.DstAddr, output.IoAddress >> 6);
        acc.WriteMmio32(Nlb0Afu.NumLines, (1 << 20) / 64);
        acc.WriteMmio32(Nlb0Afu.Ctl, 3);

        Assert.True(await waiting);
        Assert.Equal(-1, input.Compare(output, 1 << 20));
    }

    [Fact]
    public async Task PollAsync_completes_with_false_on_timeout_and_throws_on_cancellation()
    {
        using var acc = TestSim.Open();
        using var buffer = acc.PrepareBuffer(4096);
        Assert.False(await buffer.PollAsync<uint>(0, 1, 1, TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await buffer.PollAsync<uint>(0, 1, 1, Timeout.InfiniteTimeSpan, cancel.Token));
    }

    [Fact]
    public async Task A_value_already_there_completes_PollAsync_synchronously()
    {
        using var acc = TestSim.Open();
        using var buffer = acc.PrepareBuffer(4096);
        buffer.Write(0, 3u);
        var done = buffer.PollAsync<uint>(0, 3, 3, TimeSpan.Zero, TestContext.Current.CancellationToken);
        Assert.True(done.IsCompletedSuccessfully);
        Assert.True(await done);
    }

    [Fact]
    public void A_negative_timeout_other_than_infinite_is_refused()
    {
        using var acc = TestSim.Open();
        using var buffer = acc.PrepareBuffer(4096);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Poll<uint>(0, 1, 1, TimeSpan.FromSeconds(-2)));
    }

    [Fact]
    public async Task A_pipe_on_the_pool_moves_data_through_device_mapped_segments()
    {
        using var acc = TestSim.Open();
        using var pool = new SharedBufferPool(acc, new SharedBufferPoolOptions { IdleTimeout = Timeout.InfiniteTimeSpan });
        var pipe = new Pipe(new PipeOptions(pool: pool.AsMemoryPool(), minimumSegmentSize: 4096, useSynchronizationContext: false));
        var sent = new byte[100_000];
        Random.Shared.NextBytes(sent);

        var writing = Task.Run(
            async () =>
            {
                await pipe.Writer.WriteAsync(sent, TestContext.Current.CancellationToken);
                await pipe.Writer.CompleteAsync();
            },
            TestContext.Current.CancellationToken);
        var received = new List<byte>();
        while (true)
        {
            var read = await pipe.Reader.ReadAsync(TestContext.Current.CancellationToken);
            foreach (var segment in read.Buffer)
            {
                received.AddRange(segment.ToArray());
            }

            pipe.Reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                break;
            }
        }

        await pipe.Reader.CompleteAsync();
        await writing;
        Assert.Equal(sent, received);
        Assert.True(pool.Statistics.Hits + pool.Statistics.Misses > 0);
        Assert.Equal(0, pool.Statistics.Rented);
    }

    [Fact]
    public void The_memory_pool_view_rents_at_least_the_asked_size_and_reports_the_pool_bound()
    {
        using var acc = TestSim.Open();
        using var pool = new SharedBufferPool(acc, new SharedBufferPoolOptions { IdleTimeout = Timeout.InfiniteTimeSpan, MaxPooledLength = 1 << 20 });
        var view = pool.AsMemoryPool();
        using var block = view.Rent(5000);
        using var standard = view.Rent();
        Assert.Equal(1 << 20, view.MaxBufferSize);
        Assert.True(block.Memory.Length >= 5000);
        Assert.True(standard.Memory.Length >= 4096);
        Assert.Same(view, pool.AsMemoryPool());
    }
}
