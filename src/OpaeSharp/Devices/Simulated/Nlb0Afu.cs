using System.Buffers.Binary;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// NLB0, the native loopback AFU that OPAE's hello_fpga sample drives, to its register protocol
/// (shared/opae-buffer-api.md): software programs the DSM, source and destination IO addresses and
/// a line count, writes CTL=3, and polls bit 0 of the u64 at DSM+0x40. The copy runs on the AFU's
/// own thread, like hardware, through the IOMMU, so a bad address is a recorded fault.
/// </summary>
/// <remarks>Only the loopback mode (CFG mode bits 4:2 = 0, what the sample uses) is implemented;
/// any other mode completes with the error bit set instead of copying.</remarks>
internal sealed class Nlb0Afu : IAfu
{
    internal static readonly Guid Id = new("D8424DC4-A4A3-C413-F89E-433683F9040B");

    internal const ulong Dfh = 0x0;
    internal const ulong AfuIdLow = 0x8;
    internal const ulong AfuIdHigh = 0x10;
    internal const ulong DsmBase = 0x110;
    internal const ulong SrcAddr = 0x120;
    internal const ulong DstAddr = 0x128;
    internal const ulong NumLines = 0x130;
    internal const ulong Ctl = 0x138;
    internal const ulong Cfg = 0x140;
    internal const ulong Status1 = 0x168;
    internal const ulong DsmStatusComplete = 0x40;

    // Feature type 1 (AFU) in bits 63:60, end-of-list in bit 40, no next feature.
    private const ulong DfhValue = (1UL << 60) | (1UL << 40);
    private const int RegisterBytes = 0x1000;
    private const ulong CacheLine = 64;

    // Copy in slices so a stop or reset takes effect promptly, as it would between bursts.
    private const ulong SliceBytes = 1 << 20;

    private readonly Lock _lock = new();
    private readonly byte[] _registers = new byte[RegisterBytes];
    private readonly DmaEngine _dma;
    private Thread? _worker;
    private volatile bool _stopRequested;

    // True from a start until the run has written its status; the thread may live a moment longer.
    private volatile bool _busy;
    private long _pendingLines;

    internal Nlb0Afu(DmaEngine dma) => _dma = dma;

    public Guid AfuId => Id;

    public ulong MmioSize => 0x40000;

    /// <summary>The managed thread id of the last worker (for tests: the AFU runs on its own thread).</summary>
    internal int LastWorkerThreadId { get; private set; }

    public ulong Read64(ulong offset)
    {
        switch (offset)
        {
            case Dfh: return DfhValue;
            case AfuIdLow: return 0xF89E433683F9040B;
            case AfuIdHigh: return 0xD8424DC4A4A3C413;
            case Status1:
                // Two u32 counters: reads and writes still in flight.
                var pending = (ulong)(uint)Interlocked.Read(ref _pendingLines);
                return pending | (pending << 32);
            default:
                if (offset + 8 > RegisterBytes)
                {
                    return 0;
                }

                lock (_lock)
                {
                    return BinaryPrimitives.ReadUInt64LittleEndian(_registers.AsSpan((int)offset));
                }
        }
    }

    public uint Read32(ulong offset)
    {
        var word = Read64(offset & ~7UL);
        return (offset & 4) == 0 ? (uint)word : (uint)(word >> 32);
    }

    public void Write64(ulong offset, ulong value)
    {
        if (offset < 0x18 || offset + 8 > RegisterBytes)
        {
            return;
        }

        lock (_lock)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(_registers.AsSpan((int)offset), value);
        }

        if (offset == Ctl)
        {
            OnControl((uint)value);
        }
    }

    public void Write32(ulong offset, uint value)
    {
        if (offset < 0x18 || offset + 4 > RegisterBytes)
        {
            return;
        }

        lock (_lock)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(_registers.AsSpan((int)offset), value);
        }

        if (offset == Ctl)
        {
            OnControl(value);
        }
    }

    public void Reset()
    {
        StopAndWait();
        lock (_lock)
        {
            Array.Clear(_registers);
        }
    }

    private void OnControl(uint value)
    {
        if ((value & 1) == 0)
        {
            // Held in reset: stop whatever runs.
            StopAndWait();
        }
        else if ((value & 4) != 0)
        {
            _stopRequested = true;
        }
        else if ((value & 2) != 0)
        {
            Start();
        }
    }

    private void Start()
    {
        lock (_lock)
        {
            if (_busy)
            {
                // Hardware ignores a start while it is running.
                return;
            }

            // The previous run is done but its thread may still be exiting: a new start must not be lost.
            _worker?.Join();
            _stopRequested = false;
            _busy = true;
            var job = new Job(
                Dsm: BinaryPrimitives.ReadUInt64LittleEndian(_registers.AsSpan((int)DsmBase)),
                Source: BinaryPrimitives.ReadUInt64LittleEndian(_registers.AsSpan((int)SrcAddr)) * CacheLine,
                Destination: BinaryPrimitives.ReadUInt64LittleEndian(_registers.AsSpan((int)DstAddr)) * CacheLine,
                Lines: BinaryPrimitives.ReadUInt32LittleEndian(_registers.AsSpan((int)NumLines)),
                Mode: (BinaryPrimitives.ReadUInt32LittleEndian(_registers.AsSpan((int)Cfg)) >> 2) & 7);
            Interlocked.Exchange(ref _pendingLines, (long)job.Lines);
            _worker = new Thread(() => Run(job)) { IsBackground = true, Name = $"{_dma.Initiator} AFU" };
            _worker.Start();
        }
    }

    private void StopAndWait()
    {
        Thread? worker;
        lock (_lock)
        {
            _stopRequested = true;
            worker = _worker;
        }

        if (worker is not null && worker != Thread.CurrentThread)
        {
            worker.Join();
        }

        Interlocked.Exchange(ref _pendingLines, 0);
    }

    private void Run(Job job)
    {
        try
        {
            Copy(job);
        }
        finally
        {
            _busy = false;
        }
    }

    private void Copy(Job job)
    {
        LastWorkerThreadId = Environment.CurrentManagedThreadId;
        var ok = job.Mode == 0;
        var total = job.Lines * CacheLine;
        for (ulong done = 0; ok && done < total && !_stopRequested;)
        {
            var slice = Math.Min(SliceBytes, total - done);
            ok = _dma.TryCopy(job.Source + done, job.Destination + done, slice);
            done += slice;
            Interlocked.Exchange(ref _pendingLines, (long)((total - done) / CacheLine));
        }

        Interlocked.Exchange(ref _pendingLines, 0);
        if (_stopRequested && ok)
        {
            return;
        }

        // Bit 0: test complete; bit 1: the AFU stopped on an error (a DMA fault or unsupported mode).
        Span<byte> status = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(status, ok ? 1UL : 3UL);
        _dma.TryWrite(job.Dsm + DsmStatusComplete, status);
    }

    private readonly record struct Job(ulong Dsm, ulong Source, ulong Destination, ulong Lines, ulong Mode);
}
