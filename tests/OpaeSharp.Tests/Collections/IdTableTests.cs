using OpaeSharp.Collections;

namespace OpaeSharp.Tests.Collections;

public sealed class IdTableTests
{
    [Fact]
    public void An_added_entry_is_found_with_its_io_address()
    {
        var table = new IdTable<string>();
        table.Add(7, "seven", 0x7000);

        Assert.True(table.TryGet(7, out var entry));
        Assert.Equal("seven", entry);
        Assert.True(table.TryGetIoAddress(7, out var address));
        Assert.Equal(0x7000UL, address);
    }

    [Fact]
    public void An_id_never_added_is_not_found()
    {
        var table = new IdTable<string>();
        table.Add(7, "seven", 0x7000);

        Assert.False(table.TryGet(8, out _));
        Assert.False(table.TryGetIoAddress(8, out var address));
        Assert.Equal(0UL, address);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(ulong.MaxValue)]
    public void The_ids_no_buffer_has_are_not_found(ulong wsid)
    {
        var table = new IdTable<string>();
        table.Add(7, "seven", 0x7000);
        table.TryRemove(7, out _);

        Assert.False(table.TryGetIoAddress(wsid, out _));
        Assert.False(table.TryGet(wsid, out _));
        Assert.False(table.TryRemove(wsid, out _));
    }

    [Fact]
    public void An_id_added_twice_is_refused()
    {
        var table = new IdTable<string>();
        table.Add(7, "seven");

        Assert.Throws<InvalidOperationException>(() => table.Add(7, "again"));
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void A_removed_entry_is_gone_and_a_second_remove_finds_nothing()
    {
        var table = new IdTable<string>();
        table.Add(7, "seven", 0x7000);

        Assert.True(table.TryRemove(7, out var removed));
        Assert.Equal("seven", removed);
        Assert.False(table.TryRemove(7, out _));
        Assert.False(table.TryGetIoAddress(7, out _));
        Assert.Equal(0, table.Count);
    }

    [Theory]
    [InlineData(1)]       // consecutive ids: one handle preparing alone
    [InlineData(4)]       // strided ids: four handles preparing in turn
    [InlineData(65536)]   // a stride equal to a table size
    public void Every_entry_survives_the_table_growing_and_shrinking(ulong stride)
    {
        var table = new IdTable<string>();
        var ids = Enumerable.Range(1, 5000).Select(i => (ulong)i * stride).ToArray();
        foreach (var id in ids)
        {
            table.Add(id, id.ToString(), id << 12);
        }

        // Remove all but every tenth, which forces shrinking rebuilds on the way down.
        foreach (var id in ids.Where((_, i) => i % 10 != 0))
        {
            Assert.True(table.TryRemove(id, out _));
        }

        Assert.Equal(500, table.Count);
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            Assert.Equal(i % 10 == 0, table.TryGetIoAddress(id, out var address));
            Assert.Equal(i % 10 == 0 ? id << 12 : 0, address);
        }

        Assert.Equal(ids.Where((_, i) => i % 10 == 0).Select(id => id.ToString()).Order(), table.Snapshot().Order());
    }

    [Fact]
    public void Lookups_racing_adds_and_removes_never_pair_an_id_with_another_address()
    {
        var table = new IdTable<string>();
        var next = 0UL;
        var wrong = 0;
        var lookups = new long[2];
        var stop = false;
        using var started = new CountdownEvent(lookups.Length);

        // Readers (own threads: a busy thread pool must not leave them unstarted) look up ids
        // around the writer's front; every address found must be its own id's.
        var readers = Enumerable.Range(0, lookups.Length).Select(r => new Thread(() =>
        {
            var random = new Random(r);
            started.Signal();
            while (!Volatile.Read(ref stop))
            {
                var id = (ulong)random.NextInt64(1, (long)Volatile.Read(ref next) + 2);
                if (table.TryGetIoAddress(id, out var address) && address != id << 12)
                {
                    Interlocked.Increment(ref wrong);
                }

                Interlocked.Increment(ref lookups[r]);
            }
        })).ToArray();
        foreach (var reader in readers)
        {
            reader.Start();
        }

        started.Wait(TestContext.Current.CancellationToken);

        // The writer keeps about 1,000 live entries, removing in random order, so slots are reused
        // and tables rebuilt all the time.
        var live = new List<ulong>();
        var order = new Random(2);
        for (var i = 0; i < 200_000 || Array.Exists(lookups, count => count == 0); i++)
        {
            var id = Interlocked.Increment(ref next);
            table.Add(id, "x", id << 12);
            live.Add(id);
            if (live.Count > 1000)
            {
                var at = order.Next(live.Count);
                Assert.True(table.TryRemove(live[at], out _));
                live[at] = live[^1];
                live.RemoveAt(live.Count - 1);
            }
        }

        Volatile.Write(ref stop, true);
        foreach (var reader in readers)
        {
            reader.Join();
        }

        Assert.Equal(0, wrong);
        Assert.All(lookups, count => Assert.True(count > 0, "every reader looked up"));
        Assert.Equal(live.Count, table.Count);
        Assert.All(live, id => Assert.True(table.TryGetIoAddress(id, out var address) && address == id << 12));
    }
}
