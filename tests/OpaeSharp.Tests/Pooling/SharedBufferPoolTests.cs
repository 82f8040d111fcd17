using System.Collections.Concurrent;
using OpaeSharp.Pooling;

namespace OpaeSharp.Tests.Pooling;

public sealed class SharedBufferPoolTests
{
    private static SharedBufferPoolOptions NoBackgroundTrim(ManualTimeProvider? clock = null) => new()
    {
        IdleTimeout = Timeout.InfiniteTimeSpan,
        TimeProvider = clock ?? new ManualTimeProvider(),
    };

    [Fact]
    public void Rent_gives_a_zero_filled_mapped_buffer_at_least_as_long_as_requested()
    {
        using var acc = TestSim.Open();
        using var pool = new SharedBufferPool(acc, NoBackgroundTrim());
        using var rented = pool.Rent(3000);

        Assert.True(rented.Length >= 3000);
        Assert.Equal(3000, rented.RequestedLength);
        Assert.Equal(acc.GetIoAddress(rented.WorkspaceId), rented.IoAddress);
        Assert.Equal(-1, rented.Span.IndexOfAnyExcept((byte)0));
        Assert.Equal(rented.Length, rented.Memory.Length);
    }

    [Theory]
    [InlineData(1, 4096)]
    [InlineData(4096, 4096)]
    [InlineData(4097, 8192)]
    [InlineData(3 << 20, 4 << 20)]
    public void Requests_round_up_to_a_power_of_two_size_class(long requested, long expected)
    {
        using var acc = TestSim.Open();
        using var pool = new SharedBufferPool(acc, NoBackgroundTrim());
        using var rented = pool.Rent(requested);
        Assert.Equal(expected, rented.Length);
    }

    [Fact]
    public void A_returned_buffer_serves_the_next_rent_of_its_size_class_as_a_hit()
    {
        using var acc = TestSim.Open();
        using var pool = new SharedBufferPool(acc, NoBackgroundTrim());
        var first = pool.Rent(8192);
        var wsid = first.WorkspaceId;
        first.Dispose();

        using var second = pool.Rent(5000);

        Assert.Equal(wsid, second.WorkspaceId);
        Assert.Equal(new SharedBufferPoolStatistics(Hits: 1, Misses: 1, Rented: 1, RetainedBuffers: 0, RetainedBytes: 0, Trimmed: 0), pool.Statistics);
        Assert.Equal(0.5, pool.Statistics.HitRate);
    }

    [Fact]
    public void A_rent_of_another_size_class_is_a_miss()
    {
        using var acc = TestSim.Open();
        using var pool = new SharedBufferPool(acc, NoBackgroundTrim());
        pool.Rent(4096).Dispose();

        using var other = pool.Rent(16384);

        Assert.Equal(0, pool.Statistics.Hits);
        Assert.Equal(2, pool.Statistics.Misses);
    }

    [Fact]
    public void A_reused_buffer_is_zeroed()
    {
        using var acc = TestSim.Open();
        using var pool = new SharedBufferPool(acc, NoBackgroundTrim());
        var first = pool.Rent(4096);
        first.Span.Fill(0xAB);
        first.Dispose();

        using var second = pool.Rent(4096);

        Assert.Equal(1, pool.Statistics.Hits);
        Assert.Equal(-1, second.Span.IndexOfAnyExcept((byte)0));
    }

    [Fact]
    public void A_returned_buffer_cannot_be_used_through_its_old_owner()
    {
        using var acc = TestSim.Open();
        using var pool = new SharedBufferPool(acc, NoBackgroundTrim());
        var rented = pool.Rent(4096);
        rented.Dispose();

        Assert.True(rented.IsReturned);
        Assert.Throws<ObjectDisposedException>(() => rented.Memory);
        Assert.Throws<ObjectDisposedException>(() => rented.IoAddress);
    }

    [Fact]
    public void Returning_twice_returns_once()
    {
        using var acc = TestSim.Open();
        using var pool = new SharedBufferPool(acc, NoBackgroundTrim());
        var rented = pool.Rent(4096);
        rented.Dispose();
        rented.Dispose();

        Assert.Equal(0, pool.Statistics.Rented);
        Assert.Equal(1, pool.Statistics.RetainedBuffers);
    }

    [Fact]
    public void Rents_larger_than_the_largest_size_class_are_released_on_return()
    {
        using var acc = TestSim.Open();
        using var small = new SharedBufferPool(acc, new SharedBufferPoolOptions { MaxPooledLength = 8192, IdleTimeout = Timeout.InfiniteTimeSpan });
        var big = small.Rent(16384);
        Assert.Equal(16384, big.Length);
        Assert.Equal(1, acc.BufferCount);

        big.Dispose();

        Assert.Equal(0, acc.BufferCount);
        Assert.Equal(0, small.Statistics.RetainedBuffers);
        Assert.Equal(1, small.Statistics.Misses);
    }

    [Fact]
    public void Returns_beyond_the_retained_buffer_bound_are_released()
    {
        using var acc = TestSim.Open();
        using var pool = new SharedBufferPool(acc, new SharedBufferPoolOptions { MaxRetainedBuffers = 2, IdleTimeout = Timeout.InfiniteTimeSpan });
        var rented = Enumerable.Range(0, 3).Select(_ => pool.Rent(4096)).ToList();
        rented.ForEach(r => r.Dispose());

        Assert.Equal(2, pool.Statistics.RetainedBuffers);
        Assert.Equal(2, acc.BufferCount);
    }

    [Fact]
    public void Returns_beyond_the_retained_byte_bound_are_released()
    {
        using var acc = TestSim.Open();
        using var pool = new SharedBufferPool(acc, new SharedBufferPoolOptions { MaxRetainedBytes = 12288, IdleTimeout = Timeout.InfiniteTimeSpan });
        var a = pool.Rent(8192);
        var b = pool.Rent(8192);
        a.Dispose();
        b.Dispose();

        Assert.Equal(8192, pool.Statistics.RetainedBytes);
        Assert.Equal(1, acc.BufferCount);
    }

    [Fact]
    public void Trim_releases_every_idle_buffer_and_leaves_rented_ones_alone()
    {
        using var acc = TestSim.Open();
        using var pool = new SharedBufferPool(acc, NoBackgroundTrim());
        pool.Rent(4096).Dispose();
        pool.Rent(65536).Dispose();
        using var kept = pool.Rent(1 << 20);

        Assert.Equal(2, pool.Trim());

        Assert.Equal(1, acc.BufferCount);
        Assert.Equal(0, pool.Statistics.RetainedBytes);
        Assert.Equal(2, pool.Statistics.Trimmed);
        Assert.False(kept.Buffer.IsReleased);
    }

    [Fact]
    public void Trim_with_an_idle_time_releases_only_buffers_idle_that_long()
    {
        var clock = new ManualTimeProvider();
        using var acc = TestSim.Open();
        using var pool = new SharedBufferPool(acc, NoBackgroundTrim(clock));
        pool.Rent(4096).Dispose();
        clock.Advance(TimeSpan.FromSeconds(10));
        pool.Rent(8192).Dispose();
        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(1, pool.Trim(TimeSpan.FromSeconds(10)));

        Assert.Equal(8192, pool.Statistics.RetainedBytes);
    }

    [Fact]
    public void The_background_trim_releases_buffers_idle_past_the_timeout()
    {
        var clock = new ManualTimeProvider();
        using var acc = TestSim.Open();
        using var pool = new SharedBufferPool(acc, new SharedBufferPoolOptions { IdleTimeout = TimeSpan.FromSeconds(30), TimeProvider = clock });
        pool.Rent(4096).Dispose();

        clock.Advance(TimeSpan.FromSeconds(29));
        clock.FireTimers();
        Assert.Equal(1, acc.BufferCount);

        clock.Advance(TimeSpan.FromSeconds(1));
        clock.FireTimers();
        Assert.Equal(0, acc.BufferCount);
    }

    [Fact]
    public void Disposing_the_pool_releases_idle_buffers_and_later_returns_and_stops_its_timer()
    {
        var clock = new ManualTimeProvider();
        using var acc = TestSim.Open();
        var pool = new SharedBufferPool(acc, new SharedBufferPoolOptions { TimeProvider = clock });
        pool.Rent(4096).Dispose();
        var outstanding = pool.Rent(4096);
        Assert.Equal(1, clock.TimerCount);

        pool.Dispose();
        Assert.Equal(1, acc.BufferCount);
        outstanding.Dispose();

        Assert.Equal(0, acc.BufferCount);
        Assert.Equal(0, clock.TimerCount);
        Assert.Throws<ObjectDisposedException>(() => pool.Rent(4096));
    }

    [Fact]
    public void Read_only_pools_prepare_device_read_only_buffers()
    {
        using var acc = TestSim.Open();
        using var pool = new SharedBufferPool(acc, new SharedBufferPoolOptions { Flags = BufferFlags.ReadOnly, IdleTimeout = Timeout.InfiniteTimeSpan });
        using var rented = pool.Rent(4096);
        Assert.True(rented.Buffer.IsReadOnly);
    }

    [Fact]
    public void A_pool_on_a_closed_accelerator_hands_out_no_released_buffer()
    {
        var acc = TestSim.Open();
        using var pool = new SharedBufferPool(acc, NoBackgroundTrim());
        pool.Rent(4096).Dispose();
        acc.Dispose();

        var e = Assert.Throws<OpaeException>(() => pool.Rent(4096));

        Assert.Equal(FpgaResult.InvalidParam, e.Result);
        Assert.Equal(0, pool.Statistics.RetainedBuffers);
    }

    [Fact]
    public void Options_out_of_range_are_refused()
    {
        using var acc = TestSim.Open();
        Assert.Throws<ArgumentOutOfRangeException>(() => new SharedBufferPool(acc, new SharedBufferPoolOptions { MaxPooledLength = 2L << 30 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SharedBufferPool(acc, new SharedBufferPoolOptions { IdleTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SharedBufferPool(acc, new SharedBufferPoolOptions { Flags = BufferFlags.Preallocated }));
    }

    [Fact]
    public void Concurrent_renters_never_share_a_buffer()
    {
        using var acc = TestSim.Open();
        using var pool = new SharedBufferPool(acc, NoBackgroundTrim());
        var inUse = new ConcurrentDictionary<ulong, bool>();
        var collisions = 0;

        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            for (var i = 0; i < 500; i++)
            {
                using var rented = pool.Rent(4096 << (i % 3));
                if (!inUse.TryAdd(rented.WorkspaceId, true))
                {
                    Interlocked.Increment(ref collisions);
                }

                rented.Span[0] = 1;
                inUse.TryRemove(rented.WorkspaceId, out var _);
            }
        });

        Assert.Equal(0, collisions);
        Assert.Equal(2000, pool.Statistics.Hits + pool.Statistics.Misses);
        Assert.True(pool.Statistics.Hits > pool.Statistics.Misses);
        Assert.Equal(pool.Statistics.RetainedBuffers, acc.BufferCount);
    }
}
