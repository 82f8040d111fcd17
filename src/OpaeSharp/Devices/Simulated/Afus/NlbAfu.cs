using System.Buffers.Binary;
using OpaeSharp.Simulation;

namespace OpaeSharp.Devices.Simulated.Afus;

/// <summary>
/// The native loopback (NLB) register protocol shared by NLB0 and NLB3, as OPAE's fpgadiag
/// (nlb0, nlb3) and hello_fpga drive it: software programs the DSM's IO address (DSM_BASE, bytes),
/// source and destination (cache-line addresses), a line count and a mode (CFG), releases reset
/// (CTL=1) and starts (CTL=3); the AFU moves the lines on its worker and writes the DSM status
/// block: test_error, num_clocks, num_reads, num_writes, the start and end overheads, then
/// test_complete. In continuous mode it repeats until stopped (CTL bit 2), then reports.
/// </summary>
/// <remarks>
/// CFG: bit 1 continuous, bits 4:2 mode (0 lpbk1, 1 read, 2 write, 3 trput), bits 6:5 lines per
/// request (0: 1, 1: 2, 3: 4). STATUS1 counts lines still pending (reads, writes); STATUS2 bits 47:32
/// give the clock in MHz that num_clocks counts at. A mode the AFU lacks, or a DMA the IOMMU refuses,
/// completes with test_error set (and bit 1 of test_complete). A start while running is ignored.
/// </remarks>
internal abstract class NlbAfu : AfuModel
{
    internal const ulong DsmBase = 0x110;
    internal const ulong Scratchpad0 = 0x100;
    internal const ulong SrcAddr = 0x120;
    internal const ulong DstAddr = 0x128;
    internal const ulong NumLines = 0x130;
    internal const ulong Ctl = 0x138;
    internal const ulong Cfg = 0x140;
    internal const ulong Status1 = 0x168;
    internal const ulong Status2 = 0x170;
    internal const ulong StridedAccess = 0x178;

    internal const ulong DsmStatusComplete = 0x40;
    internal const ulong DsmTestError = 0x44;
    internal const ulong DsmNumClocks = 0x48;
    internal const ulong DsmNumReads = 0x50;
    internal const ulong DsmNumWrites = 0x54;
    internal const ulong DsmStartOverhead = 0x58;
    internal const ulong DsmEndOverhead = 0x5c;

    /// <summary>The AFU clock num_clocks counts (MHz), what STATUS2 reports.</summary>
    internal const uint ClockMHz = 400;

    internal const uint ModeLoopback = 0;
    internal const uint ModeRead = 1;
    internal const uint ModeWrite = 2;
    internal const uint ModeThroughput = 3;

    private const ulong CacheLine = 64;

    // Work in slices so a stop or reset takes effect promptly, as it would between bursts.
    private const int SliceBytes = 1 << 20;

    private readonly object _gate = new();
    private readonly byte[] _scratch = new byte[SliceBytes];
    private readonly byte[] _pattern = new byte[SliceBytes];
    private bool _running;
    private volatile bool _stop;

    protected NlbAfu() => _pattern.AsSpan().Fill(0xA5);

    /// <summary>The modes this AFU implements.</summary>
    protected abstract bool Supports(uint mode);

    public override void WriteMmio64(ulong offset, ulong value)
    {
        if (offset is Status1 or Status2)
        {
            return;
        }

        base.WriteMmio64(offset, value);
        if (offset == Ctl)
        {
            OnControl((uint)value);
        }
    }

    public override void Reset()
    {
        lock (_gate)
        {
            _running = false;
        }

        Context.WriteRegister64(Status2, (ulong)ClockMHz << 32);
    }

    private void OnControl(uint value)
    {
        if ((value & 1) == 0)
        {
            // Held in reset: whatever runs stops without reporting.
            Context.CancelWork();
            lock (_gate)
            {
                _running = false;
            }

            Context.WriteRegister64(Status1, 0);
        }
        else if ((value & 4) != 0)
        {
            _stop = true;
        }
        else if ((value & 2) != 0)
        {
            Start();
        }
    }

    private void Start()
    {
        var cfg = (uint)Context.ReadRegister64(Cfg);
        var mcl = ((cfg >> 5) & 3) switch { 0 => 1UL, 1 => 2UL, _ => 4UL };
        var job = new Job(
            Dsm: Context.ReadRegister64(DsmBase),
            Source: Context.ReadRegister64(SrcAddr) * CacheLine,
            Destination: Context.ReadRegister64(DstAddr) * CacheLine,
            Lines: Context.ReadRegister32(NumLines),
            Mode: (cfg >> 2) & 7,
            Continuous: (cfg & 2) != 0,
            LinesPerRequest: mcl,
            Stride: Context.ReadRegister32(StridedAccess));
        lock (_gate)
        {
            if (_running)
            {
                // Hardware ignores a start while it is running.
                return;
            }

            _running = true;
            _stop = false;
        }

        Context.WriteRegister64(Status1, job.Lines | (job.Lines << 32));
        Context.Run(cancel => Work(job, cancel));
    }

    private void Work(Job job, CancellationToken cancel)
    {
        var started = Context.Now;
        var ok = Supports(job.Mode);
        ulong reads = 0, writes = 0;
        do
        {
            if (ok)
            {
                ok = Pass(job, ref reads, ref writes, cancel);
            }
        }
        while (ok && job.Continuous && !_stop && !cancel.IsCancellationRequested);

        Context.WriteRegister64(Status1, 0);
        if (cancel.IsCancellationRequested)
        {
            // Reset: nothing is reported.
            return;
        }

        var ticks = Math.Max(1, (ulong)((Context.Now - started).TotalSeconds * ClockMHz * 1e6));

        // Idle again before the status lands, so a start written by a host that saw it is never lost.
        lock (_gate)
        {
            _running = false;
        }

        // The counters first, test_complete last: a host that sees completion sees the counters.
        Span<byte> block = stackalloc byte[0x20];
        block.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(block[4..], ok ? 0u : 1u);
        BinaryPrimitives.WriteUInt64LittleEndian(block[8..], ticks);
        BinaryPrimitives.WriteUInt32LittleEndian(block[0x10..], (uint)reads);
        BinaryPrimitives.WriteUInt32LittleEndian(block[0x14..], (uint)writes);
        if (Context.WriteDma(job.Dsm + DsmStatusComplete, block))
        {
            Span<byte> complete = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(complete, ok ? 1u : 3u);
            Context.WriteDma(job.Dsm + DsmStatusComplete, complete);
        }
    }

    /// <summary>One pass over the buffers; false on a DMA failure or reset.</summary>
    private bool Pass(Job job, ref ulong reads, ref ulong writes, CancellationToken cancel)
    {
        var requestBytes = job.LinesPerRequest * CacheLine;

        // Contiguous requests merge into slices; strided ones go one request at a time.
        var chunk = job.Stride == 0 ? (ulong)SliceBytes : requestBytes;
        var step = job.Stride == 0 ? chunk : requestBytes + (job.Stride * CacheLine);
        var total = job.Lines * CacheLine;
        ulong done = 0, at = 0;
        while (done < total)
        {
            if (cancel.IsCancellationRequested || (_stop && !job.Continuous))
            {
                return !cancel.IsCancellationRequested;
            }

            var bytes = Math.Min(chunk, total - done);
            var lines = bytes / CacheLine;
            bool ok;
            switch (job.Mode)
            {
                case ModeLoopback:
                    ok = Context.CopyDma(job.Source + at, job.Destination + at, bytes);
                    reads += ok ? lines : 0;
                    writes += ok ? lines : 0;
                    break;
                case ModeRead:
                    ok = Context.ReadDma(job.Source + at, _scratch.AsSpan(0, (int)bytes));
                    reads += ok ? lines : 0;
                    break;
                case ModeWrite:
                    ok = Context.WriteDma(job.Destination + at, _pattern.AsSpan(0, (int)bytes));
                    writes += ok ? lines : 0;
                    break;
                default:
                    ok = Context.ReadDma(job.Source + at, _scratch.AsSpan(0, (int)bytes));
                    reads += ok ? lines : 0;
                    ok = ok && Context.WriteDma(job.Destination + at, _pattern.AsSpan(0, (int)bytes));
                    writes += ok ? lines : 0;
                    break;
            }

            if (!ok)
            {
                return false;
            }

            done += bytes;
            at += step;
            var pending = (total - done) / CacheLine;
            Context.WriteRegister64(Status1, pending | (pending << 32));
        }

        return true;
    }

    private readonly record struct Job(ulong Dsm, ulong Source, ulong Destination, ulong Lines, uint Mode, bool Continuous, ulong LinesPerRequest, ulong Stride);
}
