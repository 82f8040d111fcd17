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

    /// <summary>The steps, each with a name for the progress display.</summary>
    internal IReadOnlyList<(string Name, Action<BenchReport> Run)> Steps() =>
    [
        ("prepare+release vs mmap/mlock/munmap", PrepareRelease),
        ("GetIoAddress vs live buffers", Lookups),
        ("NLB0 copy vs memcpy", Copies),
        ("pool vs prepare+release", Pool),
    ];

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

    private void PrepareRelease(BenchReport report)
    {
        foreach (var pageSize in (long[])[PageSizes.Small, PageSizes.Huge2M])
        {
            foreach (var (length, ops) in (ReadOnlySpan<(long, int)>)[(4096, 2000), (2L << 20, 40), (64L << 20, 4)])
            {
                if (length < pageSize)
                {
                    continue;
                }

                var needed = PageSizes.RoundUp(length, pageSize) / pageSize;
                if (pageSize != PageSizes.Small && HugePages.System.Free(pageSize) < needed)
                {
                    report.Notes.Add($"{CliApp.Bytes(length)} on {PageSizes.Name(pageSize)} pages skipped: {needed} free hugepages needed, {HugePages.System.Free(pageSize)} free");
                    continue;
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
                    continue;
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
                    prepared / raw <= 1.10));
            }
        }
    }

    private void Lookups(BenchReport report)
    {
        using var accelerator = Open(PageSizes.Small);
        var buffers = new List<SharedBuffer>();
        foreach (var live in (int[])[10, 100, 1_000, 10_000, 100_000])
        {
            if (live > maxLiveBuffers)
            {
                report.Notes.Add($"GetIoAddress at {live:N0} live buffers skipped (opae bench --max-live {live})");
                break;
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
                atTarget ? lookup <= 30 : null));
        }

        foreach (var buffer in Enumerable.Reverse(buffers))
        {
            buffer.Dispose();
        }
    }

    private unsafe void Copies(BenchReport report)
    {
        using var accelerator = Open(PageSizes.Small);
        using var dsm = accelerator.PrepareBuffer(4096);
        foreach (var length in (long[])[64 << 10, 1 << 20, 16 << 20, 64 << 20])
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
                $"{CliApp.Bytes(length)} ({length / nlb0:0.0} GB/s, {100 * memcpy / nlb0:0}% of memcpy)",
                nlb0,
                "memcpy",
                memcpy,
                atTarget ? "≥ 80% of memcpy" : null,
                atTarget ? memcpy / nlb0 >= 0.8 : null));
        }
    }

    private void Pool(BenchReport report)
    {
        using var accelerator = Open(PageSizes.Small);
        using var pool = new SharedBufferPool(accelerator, new SharedBufferPoolOptions { Name = "opae-bench" });
        foreach (var (length, ops) in (ReadOnlySpan<(int, int)>)[(4096, 2000), (64 << 10, 500), (2 << 20, 40)])
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
            report.Rows.Add(new BenchRow("pool", $"{CliApp.Bytes(length)} rent+return ({prepared / pooled:0.#}x faster)", pooled, "prepare+release", prepared, null, null));
        }
    }
}
