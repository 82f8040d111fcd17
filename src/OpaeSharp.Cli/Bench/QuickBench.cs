using OpaeSharp.Devices.Simulated.Afus;
using System.Diagnostics;
using OpaeSharp.Devices.Simulated;
using OpaeSharp.Interop;
using OpaeSharp.Memory;
using OpaeSharp.Pooling;

namespace OpaeSharp.Cli.Bench;

/// <summary>
/// The short form of bench/OpaeSharp.Benchmarks: the same pairs (library against its floor), timed
/// with a stopwatch as the median of a few rounds instead of BenchmarkDotNet's statistics. Runs on
/// a private simulator so it never competes with another program for the default one.
/// </summary>
internal sealed class QuickBench(bool quick, int maxLiveBuffers)
{
    private const int Rounds = 5;
    private const int WarmUpMilliseconds = 250;

    /// <summary>The steps, each with a name and its number of cases for the progress display.</summary>
    internal IReadOnlyList<BenchStep> Steps() =>
    [
        new("prepare+release vs mmap/mlock/munmap", PrepareSizes.Length * PreparePageSizes.Length, PrepareRelease),
        new("GetIoAddress vs live buffers", LiveCounts.Length, Lookups),
        new("NLB0 copy vs memcpy", CopySizes.Length, Copies),
        new("pool vs prepare+release", PoolSizes.Length, Pool),
    ];

    /// <summary>Whether this is the short run (<c>--quick</c>), a twentieth of the iterations.</summary>
    internal bool IsQuick => quick;

    private static long[] PreparePageSizes => [PageSizes.Small, PageSizes.Huge2M];

    private static (long Length, int Ops)[] PrepareSizes => [(4096, 2000), (2L << 20, 40), (64L << 20, 4)];

    private static int[] LiveCounts => [10, 100, 1_000, 10_000, 100_000];

    private static long[] CopySizes => [64 << 10, 1 << 20, 16 << 20, 64 << 20];

    private static (int Length, int Ops)[] PoolSizes => [(4096, 2000), (64 << 10, 500), (2 << 20, 40)];

    private static Accelerator Open(long pageSize)
    {
        var backend = new SimulatedBackend(new SimulatorOptions());
        var token = backend.Enumerate().First(t => t.ObjectType == FpgaObjectType.Accelerator);
        return new Accelerator(token, backend.Open(token, shared: false), shared: false, pageSize == PageSizes.Small ? BufferAllocator.SmallPagesOnly : BufferAllocator.System);
    }

    /// <summary>
    /// Median over <see cref="Rounds"/> rounds of the time per operation, in ns, after a warm-up
    /// long enough for the JIT to replace tier-0 code with optimized code (a few hundred ms).
    /// </summary>
    private static double Time(int operations, Action<int> run)
    {
        var warmUntil = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * WarmUpMilliseconds / 1000);
        do
        {
            run(Math.Max(1, operations / 10));
        }
        while (Stopwatch.GetTimestamp() < warmUntil);

        var samples = new double[Rounds];
        for (var r = 0; r < Rounds; r++)
        {
            var started = Stopwatch.GetTimestamp();
            run(operations);
            samples[r] = Stopwatch.GetElapsedTime(started).TotalNanoseconds / operations;
        }

        Array.Sort(samples);
        return samples[Rounds / 2];
    }

    private int Ops(int full) => quick ? Math.Max(1, full / 20) : full;

    private void PrepareRelease(BenchReport report, Action<string> done)
    {
        foreach (var pageSize in PreparePageSizes)
        {
            foreach (var (length, ops) in PrepareSizes)
            {
                var measured = PrepareRelease(report, pageSize, length, ops);
                done($"{CliApp.Bytes(length)} on {PageSizes.Name(pageSize)} pages{(measured ? "" : " (skipped)")}");
            }
        }
    }

    /// <summary>Measures one case; false when it was skipped (a note says why, unless the case cannot exist: 4 KiB on 2 MiB pages).</summary>
    private bool PrepareRelease(BenchReport report, long pageSize, long length, int ops)
    {
        if (length < pageSize)
        {
            return false;
        }

        var needed = PageSizes.RoundUp(length, pageSize) / pageSize;
        if (pageSize != PageSizes.Small && HugePages.System.Free(pageSize) < needed)
        {
            report.Notes.Add($"{CliApp.Bytes(length)} on {PageSizes.Name(pageSize)} pages skipped: {needed} free hugepages needed, {HugePages.System.Free(pageSize)} free");
            return false;
        }

        var flags = Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | (pageSize == PageSizes.Huge2M ? Libc.MAP_HUGETLB | Libc.MAP_HUGE_2MB : 0);
        var failure = (string?)null;
        var raw = Time(Ops(ops), n =>
        {
            for (var i = 0; i < n; i++)
            {
                var address = Libc.Mmap(0, (nuint)length, Libc.PROT_READ | Libc.PROT_WRITE, flags, -1, 0, out var errno);
                if (address == Libc.MapFailed)
                {
                    failure = Libc.StrError(errno);
                    return;
                }

                // The library's own sequence on the simulator, with nothing of ours around it.
                Libc.Madvise(address, (nuint)length, Libc.MADV_DONTFORK);
                Libc.Mlock(address, (nuint)length);
                Libc.Munmap(address, (nuint)length);
            }
        });
        using var accelerator = Open(pageSize);
        using (var probe = accelerator.PrepareBuffer(length))
        {
            if (probe.PageSize != pageSize)
            {
                failure = $"the library fell back to {PageSizes.Name(probe.PageSize)} pages";
            }
        }

        if (failure is not null)
        {
            // Hugepages can be taken by another process between the check and the run.
            report.Notes.Add($"{CliApp.Bytes(length)} on {PageSizes.Name(pageSize)} pages skipped: {failure}");
            return false;
        }

        var prepared = Time(Ops(ops), n =>
        {
            for (var i = 0; i < n; i++)
            {
                accelerator.PrepareBuffer(length).Dispose();
            }
        });
        report.Rows.Add(new BenchRow(
            "prepare+release",
            $"{CliApp.Bytes(length)} on {PageSizes.Name(pageSize)} pages",
            prepared,
            "mmap+madvise+mlock+munmap",
            raw,
            "ratio ≤ 1.10",
            prepared / raw <= 1.10)
        {
            Quantities = [new("size", length, "bytes"), new("pageSize", pageSize, "bytes")],
        });

        return true;
    }

    private void Lookups(BenchReport report, Action<string> done)
    {
        using var accelerator = Open(PageSizes.Small);
        var buffers = new List<SharedBuffer>();
        var skipped = false;
        foreach (var live in LiveCounts)
        {
            if (live > maxLiveBuffers)
            {
                // One note, for the first count skipped: it says which --max-live takes it in.
                if (!skipped)
                {
                    report.Notes.Add($"GetIoAddress at {live:N0} live buffers skipped (opae bench --max-live {live})");
                    skipped = true;
                }

                done($"{live:N0} live buffers (skipped)");
                continue;
            }

            while (buffers.Count < live)
            {
                buffers.Add(accelerator.PrepareBuffer(4096));
            }

            var plain = buffers.ToDictionary(b => b.WorkspaceId, b => b.IoAddress);
            var ids = new ulong[1 << 16];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = buffers[i % live].WorkspaceId;
            }

            new Random(42).Shuffle(ids);
            var sink = 0UL;
            var lookup = Time(Ops(1 << 22), n =>
            {
                for (var i = 0; i < n; i++)
                {
                    sink += accelerator.GetIoAddress(ids[i & 0xFFFF]);
                }
            });
            var dictionary = Time(Ops(1 << 22), n =>
            {
                for (var i = 0; i < n; i++)
                {
                    sink += plain[ids[i & 0xFFFF]];
                }
            });
            GC.KeepAlive(sink);
            report.Latency.Add((live, lookup, dictionary));
            var atTarget = live == 10_000;
            report.Rows.Add(new BenchRow(
                "GetIoAddress",
                $"{live:N0} live buffers",
                lookup,
                "Dictionary<ulong,ulong>",
                dictionary,
                atTarget ? "≤ 30 ns" : null,
                atTarget ? lookup <= 30 : null)
            {
                Quantities = [new("liveBuffers", live, "buffers")],
            });
            done($"{live:N0} live buffers");
        }

        foreach (var buffer in Enumerable.Reverse(buffers))
        {
            buffer.Dispose();
        }
    }

    private unsafe void Copies(BenchReport report, Action<string> done)
    {
        using var accelerator = Open(PageSizes.Small);
        using var dsm = accelerator.PrepareBuffer(4096);
        foreach (var length in CopySizes)
        {
            using var source = accelerator.PrepareBuffer(length);
            using var destination = accelerator.PrepareBuffer(length);
            source.Fill(0xAF);
            accelerator.Reset();
            accelerator.WriteMmio64(Nlb0Afu.DsmBase, dsm.IoAddress);
            accelerator.WriteMmio64(Nlb0Afu.SrcAddr, source.IoAddress >> 6);
            accelerator.WriteMmio64(Nlb0Afu.DstAddr, destination.IoAddress >> 6);
            accelerator.WriteMmio32(Nlb0Afu.NumLines, (uint)(length / 64));
            accelerator.WriteMmio32(Nlb0Afu.Cfg, 0x42000);
            var runs = Ops((int)Math.Clamp((256L << 20) / length, 4, 400));
            var memcpy = Time(runs, n =>
            {
                for (var i = 0; i < n; i++)
                {
                    Buffer.MemoryCopy((void*)source.Address, (void*)destination.Address, length, length);
                }
            });
            var nlb0 = Time(runs, n =>
            {
                for (var i = 0; i < n; i++)
                {
                    dsm.Write((long)Nlb0Afu.DsmStatusComplete, 0UL);
                    accelerator.WriteMmio32(Nlb0Afu.Ctl, 0);
                    accelerator.WriteMmio32(Nlb0Afu.Ctl, 1);
                    accelerator.WriteMmio32(Nlb0Afu.Ctl, 3);
                    if (!dsm.Poll((long)Nlb0Afu.DsmStatusComplete, 1UL, 1UL, TimeSpan.FromSeconds(10)))
                    {
                        throw new OpaeException(FpgaResult.Exception, "the simulated NLB0 did not complete a copy within 10 s");
                    }

                    accelerator.WriteMmio32(Nlb0Afu.Ctl, 7);
                }
            });
            report.Throughput.Add((length, length / nlb0, length / memcpy));
            var atTarget = length == 64 << 20;
            report.Rows.Add(new BenchRow(
                "NLB0 copy",
                CliApp.Bytes(length),
                nlb0,
                "memcpy",
                memcpy,
                atTarget ? "≥ 80% of memcpy" : null,
                atTarget ? memcpy / nlb0 >= 0.8 : null)
            {
                Detail = $"{length / nlb0:0.0} GB/s, {100 * memcpy / nlb0:0}% of memcpy",
                Quantities = [new("size", length, "bytes"), new("throughput", length / nlb0, "GB/s"), new("baselineThroughput", length / memcpy, "GB/s")],
            });
            done(CliApp.Bytes(length));
        }
    }

    private void Pool(BenchReport report, Action<string> done)
    {
        using var accelerator = Open(PageSizes.Small);
        using var pool = new SharedBufferPool(accelerator, new SharedBufferPoolOptions { Name = "opae-bench" });
        foreach (var (length, ops) in PoolSizes)
        {
            var prepared = Time(Ops(ops), n =>
            {
                for (var i = 0; i < n; i++)
                {
                    accelerator.PrepareBuffer(length).Dispose();
                }
            });
            var pooled = Time(Ops(ops), n =>
            {
                for (var i = 0; i < n; i++)
                {
                    pool.Rent(length).Dispose();
                }
            });
            report.Rows.Add(new BenchRow("pool", $"{CliApp.Bytes(length)} rent+return", pooled, "prepare+release", prepared, null, null)
            {
                Detail = $"{prepared / pooled:0.#}x faster",
                Quantities = [new("size", length, "bytes"), new("speedup", prepared / pooled, "ratio")],
            });
            done($"{CliApp.Bytes(length)} rent+return");
        }
    }
}
