using System.Collections.Concurrent;
using OpaeSharp.Memory;

namespace OpaeSharp.Tests;

[Collection(ProcessMemoryCollection.Name)]
public sealed class ConcurrencyTests
{
    private const int Threads = 4;
    private const int Rounds = 200;

    [Fact]
    public void Threads_preparing_looking_up_and_releasing_on_one_handle_never_collide()
    {
        using var acc = TestSim.Open();
        var baseline = MemoryLimits.LockedBytes();
        var wsids = new ConcurrentBag<ulong>();
        var ranges = new ConcurrentBag<(ulong Start, ulong End)>();
        var errors = new ConcurrentQueue<Exception>();
        using var start = new Barrier(Threads);

        var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                var mine = new List<SharedBuffer>();
                for (var i = 0; i < Rounds; i++)
                {
                    var buffer = acc.PrepareBuffer(4096 * (1 + (i % 3)));
                    wsids.Add(buffer.WorkspaceId);
                    Assert.Equal(buffer.IoAddress, acc.GetIoAddress(buffer.WorkspaceId));
                    mine.Add(buffer);
                    if (i % 2 == 1)
                    {
                        var victim = mine[0];
                        mine.RemoveAt(0);
                        acc.ReleaseBuffer(victim.WorkspaceId);
                    }
                }

                foreach (var buffer in mine)
                {
                    ranges.Add((buffer.IoAddress, buffer.IoAddress + (ulong)buffer.Length));
                }

                // Live buffers of all threads coexist here; release them after the overlap check below.
                start.SignalAndWait();
                start.SignalAndWait();
                mine.ForEach(b => b.Dispose());
            }
            catch (Exception e)
            {
                errors.Enqueue(e);
                start.RemoveParticipant();
            }
        })).ToList();

        workers.ForEach(w => w.Start());
        SpinUntil(() => ranges.Count == Threads * Rounds / 2 || !errors.IsEmpty);
        var sorted = ranges.OrderBy(r => r.Start).ToList();
        var overlaps = sorted.Zip(sorted.Skip(1)).Count(p => p.First.End > p.Second.Start);
        workers.ForEach(w => w.Join());

        Assert.Empty(errors);
        Assert.Equal(Threads * Rounds, wsids.Distinct().Count());
        Assert.Equal(0, overlaps);
        Assert.Equal(0, acc.BufferCount);
        Assert.Equal(baseline, MemoryLimits.LockedBytes());
    }

    [Fact]
    public void A_buffer_released_by_two_threads_at_once_is_released_exactly_once()
    {
        using var acc = TestSim.Open();
        for (var round = 0; round < 100; round++)
        {
            var buffer = acc.PrepareBuffer(4096);
            var results = new FpgaResult[2];
            Parallel.For(0, 2, i => results[i] = acc.Release(buffer.WorkspaceId).Result);
            Assert.Equal(1, results.Count(r => r == FpgaResult.Ok));
            Assert.Equal(1, results.Count(r => r == FpgaResult.InvalidParam));
        }

        Assert.Equal(0, TestSim.CardOf(acc).Iommu.Count);
    }

    [Fact]
    public async Task Close_racing_with_prepare_leaves_nothing_mapped()
    {
        for (var round = 0; round < 20; round++)
        {
            var acc = TestSim.Open();
            var card = TestSim.CardOf(acc);
            var preparer = Task.Run(
                () =>
                {
                    for (var i = 0; i < 50; i++)
                    {
                        if (!acc.TryPrepareBuffer(4096, BufferFlags.None, out _, out var result))
                        {
                            Assert.Equal(FpgaResult.InvalidParam, result);
                            return;
                        }
                    }
                },
                TestContext.Current.CancellationToken);
            acc.Dispose();
            await preparer;
            Assert.Equal(0, card.Iommu.Count);
            Assert.Equal(0, acc.BufferCount);
        }
    }

    private static void SpinUntil(Func<bool> condition)
    {
        Assert.True(SpinWait.SpinUntil(condition, TimeSpan.FromMinutes(1)));
    }
}
