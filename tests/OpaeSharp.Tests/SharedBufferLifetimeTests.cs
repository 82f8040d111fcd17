using System.Runtime.CompilerServices;
using OpaeSharp.Interop;
using OpaeSharp.Pooling;

namespace OpaeSharp.Tests;

/// <summary>
/// Issue #12, class 1: buffer memory cannot be used after it is gone. Every accessor holds the
/// memory while it runs; a release waits for the last holder; a use after release is an
/// ObjectDisposedException, never a touch of unmapped memory.
/// </summary>
public sealed class SharedBufferLifetimeTests
{
    private const int Big = 32 << 20;

    [Fact]
    public void Dispose_on_another_thread_during_Fill_lets_the_fill_finish_and_the_next_one_throws()
    {
        using var acc = TestSim.Open();
        for (var round = 0; round < 8; round++)
        {
            var buffer = acc.PrepareBuffer(Big);
            using var started = new ManualResetEventSlim();
            var disposer = new Thread(() =>
            {
                started.Wait();
                buffer.Dispose();
            });
            disposer.Start();
            var fills = 0;
            var error = Record.Exception((Action)(() =>
            {
                while (true)
                {
                    started.Set();
                    buffer.Fill((byte)fills++);
                }
            }));
            disposer.Join();
            Assert.IsType<ObjectDisposedException>(error);
        }
    }

    [Fact]
    public void Dispose_on_another_thread_during_Compare_never_compares_unmapped_memory()
    {
        using var acc = TestSim.Open();
        for (var round = 0; round < 8; round++)
        {
            using var a = acc.PrepareBuffer(Big);
            var b = acc.PrepareBuffer(Big);
            using var started = new ManualResetEventSlim();
            var disposer = new Thread(() =>
            {
                started.Wait();
                b.Dispose();
            });
            disposer.Start();
            var error = Record.Exception((Action)(() =>
            {
                while (true)
                {
                    started.Set();
                    Assert.Equal(-1, a.Compare(b, Big));
                }
            }));
            disposer.Join();
            Assert.IsType<ObjectDisposedException>(error);
        }
    }

    [Fact]
    public async Task Dispose_on_another_thread_during_Poll_ends_the_poll_with_object_disposed()
    {
        using var acc = TestSim.Open();
        var buffer = acc.PrepareBuffer(4096);
        var poll = Task.Run(() => buffer.Poll<ulong>(0, 1, 1, Timeout.InfiniteTimeSpan), TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        buffer.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => poll);
    }

    [Fact]
    public void Poll_with_an_infinite_timeout_waits_for_the_value()
    {
        using var acc = TestSim.Open();
        using var buffer = acc.PrepareBuffer(4096);
        var writer = new Thread(() =>
        {
            Thread.Sleep(200);
            buffer.Write(8, 5UL);
        });
        writer.Start();
        Assert.True(buffer.Poll<ulong>(8, 5, ulong.MaxValue, Timeout.InfiniteTimeSpan));
        writer.Join();
    }

    [Fact]
    public void Memory_used_after_the_buffer_is_released_throws_object_disposed()
    {
        using var acc = TestSim.Open();
        var buffer = acc.PrepareBuffer(4096);
        var memory = buffer.Memory;
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => memory.Span[0] = 1);
        Assert.Throws<ObjectDisposedException>(() => memory.Pin());
    }

    [Fact]
    public unsafe void A_pinned_memory_handle_keeps_the_pages_mapped_across_a_release_until_it_is_disposed()
    {
        using var acc = TestSim.Open();
        var buffer = acc.PrepareBuffer(8192);
        var address = buffer.Address;
        var handle = buffer.Memory.Pin();
        buffer.Dispose();

        ((byte*)handle.Pointer)[100] = 42;
        Assert.Equal(42, ((byte*)handle.Pointer)[100]);
        Assert.Equal(Errno.None, Libc.Msync(address, 8192, Libc.MS_ASYNC));

        handle.Dispose();
        Assert.Equal(Errno.ENOMEM, Libc.Msync(address, 8192, Libc.MS_ASYNC));
    }

    [Fact]
    public void A_memory_that_outlives_every_other_reference_keeps_its_buffer_from_being_finalized_under_it()
    {
        var memory = MemoryOfAnAcceleratorNobodyDisposes();
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        memory.Span.Fill(1);
        Assert.Equal(1, memory.Span[4095]);
    }

    [Fact]
    public void Pool_returns_racing_the_accelerators_dispose_never_touch_unmapped_memory()
    {
        for (var round = 0; round < 8; round++)
        {
            var acc = TestSim.Open();
            var pool = new SharedBufferPool(acc, new SharedBufferPoolOptions { IdleTimeout = Timeout.InfiniteTimeSpan });
            var rented = Enumerable.Range(0, 4).Select(_ => pool.Rent(Big / 4)).ToList();
            using var go = new ManualResetEventSlim();
            var returner = new Thread(() =>
            {
                go.Wait();
                rented.ForEach(r => r.Dispose());
            });
            returner.Start();
            go.Set();
            acc.Dispose();
            returner.Join();
            pool.Dispose();
            Assert.Equal(0, acc.BufferCount);
        }
    }

    [Fact]
    public void Memory_of_a_returned_rental_throws_instead_of_reaching_the_next_renter()
    {
        using var acc = TestSim.Open();
        using var pool = new SharedBufferPool(acc, new SharedBufferPoolOptions { IdleTimeout = Timeout.InfiniteTimeSpan });
        var first = pool.Rent(4096);
        var stale = first.Memory;
        var wsid = first.WorkspaceId;
        first.Dispose();
        using var second = pool.Rent(4096);
        Assert.Equal(wsid, second.WorkspaceId);

        Assert.Throws<ObjectDisposedException>(() => stale.Span[0] = 0xEE);
        Assert.Equal(0, second.Span[0]);
    }

    [Fact]
    public void A_rental_returned_while_pinned_is_released_not_handed_out_again()
    {
        using var acc = TestSim.Open();
        using var pool = new SharedBufferPool(acc, new SharedBufferPoolOptions { IdleTimeout = Timeout.InfiniteTimeSpan });
        var rented = pool.Rent(4096);
        var wsid = rented.WorkspaceId;
        var pin = rented.Memory.Pin();
        rented.Dispose();

        Assert.False(acc.TryGetIoAddress(wsid, out _));
        Assert.Equal(0, pool.Statistics.RetainedBuffers);
        pin.Dispose();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Memory<byte> MemoryOfAnAcceleratorNobodyDisposes()
    {
        var acc = TestSim.Open();
        return acc.PrepareBuffer(4096).Memory;
    }
}
