using BenchmarkDotNet.Attributes;
using OpaeSharp.Memory;

namespace OpaeSharp.Benchmarks;

/// <summary>
/// fpgaGetIOAddress with 10, 10,000 and 100,000 live buffers, looked up in a shuffled order, on one
/// thread or with a second thread doing the same lookups at the same time. The baseline is the
/// simplest possible map (a Dictionary read by one thread). Targets: ≤ 30 ns at 10,000, flat to
/// 100,000, 0 bytes allocated.
/// </summary>
public class IoAddressBenchmarks
{
    private const int Batch = 1024;

    // Setting up 100,000 buffers takes seconds: the in-process job shares them between cases.
    private static readonly Dictionary<int, LiveSet> s_sets = [];

    private LiveSet _set = null!;
    private Thread? _competitor;
    private volatile bool _stop;
    private int _next;

    [Params(10, 10_000, 100_000)]
    public int LiveBuffers { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (!s_sets.TryGetValue(LiveBuffers, out var set))
        {
            set = new LiveSet(LiveBuffers);
            s_sets[LiveBuffers] = set;
        }

        _set = set;
        _stop = false;
        if (Threads == 2)
        {
            _competitor = new Thread(() =>
            {
                var sum = 0UL;
                for (var i = 0; !_stop; i++)
                {
                    sum += _set.Accelerator.GetIoAddress(_set.Ids[i & (_set.Ids.Length - 1)]);
                }

                GC.KeepAlive(sum);
            })
            { IsBackground = true, Name = "second lookup thread" };
            _competitor.Start();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop = true;
        _competitor?.Join();
        _competitor = null;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch, Description = "Dictionary<ulong,ulong> (1 thread)")]
    public ulong DictionaryLookup()
    {
        var ids = _set.Ids;
        var mask = ids.Length - 1;
        var sum = 0UL;
        var next = _next;
        for (var i = 0; i < Batch; i++)
        {
            sum += _set.Plain[ids[(next + i) & mask]];
        }

        _next = next + Batch;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "GetIoAddress")]
    public ulong GetIoAddress()
    {
        var accelerator = _set.Accelerator;
        var ids = _set.Ids;
        var mask = ids.Length - 1;
        var sum = 0UL;
        var next = _next;
        for (var i = 0; i < Batch; i++)
        {
            sum += accelerator.GetIoAddress(ids[(next + i) & mask]);
        }

        _next = next + Batch;
        return sum;
    }

    /// <summary>Live 4 KiB buffers on one accelerator and their ids, shuffled, repeated to a power of two.</summary>
    private sealed class LiveSet
    {
        public LiveSet(int count)
        {
            Accelerator = BenchSetup.Open(PageSizes.Small);
            var buffers = new List<SharedBuffer>(count);
            for (var i = 0; i < count; i++)
            {
                buffers.Add(Accelerator.PrepareBuffer(4096));
            }

            Plain = buffers.ToDictionary(b => b.WorkspaceId, b => b.IoAddress);
            var length = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(count, Batch));
            Ids = new ulong[length];
            for (var i = 0; i < length; i++)
            {
                Ids[i] = buffers[i % count].WorkspaceId;
            }

            new Random(42).Shuffle(Ids);
        }

        public Accelerator Accelerator { get; }

        public Dictionary<ulong, ulong> Plain { get; }

        public ulong[] Ids { get; }
    }
}
