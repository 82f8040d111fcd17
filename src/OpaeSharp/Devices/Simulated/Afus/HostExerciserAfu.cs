using System.Buffers.Binary;
using OpaeSharp.Simulation;

namespace OpaeSharp.Devices.Simulated.Afus;

/// <summary>
/// OFS's host exerciser, HE-LPBK and HE-MEM, to the register map OPAE's <c>host_exerciser</c>
/// drives (samples/host_exerciser of the 2021 SDK): DSM_BASE, SRC_ADDR and DST_ADDR in cache
/// lines, NUM_LINES as lines − 1, CFG (delay, continuous, mode, lines per request, interleave,
/// interrupt test), CTL (bit 0 reset released, bit 1 start, bit 2 forced completion), INTERRUPT0
/// (vector in bits 31:16), STATUS0 (writes in 31:0, reads in 63:32), STATUS1 (pending), ERROR.
/// </summary>
/// <remarks>
/// On completion the AFU writes its DSM status: err_vector at +4, num_ticks at +8 (counted at
/// <see cref="ClockMHz"/> on the AFU's clock, so it follows the link model), num_reads at +0x10,
/// num_writes at +0x14, then test_completed (bit 0 of +0); in interrupt test mode it then raises
/// the INTERRUPT0 vector. Modes: lpbk (copy), read, write, trput (read and write); continuous mode
/// repeats until forced completion. HE-MEM is the same exerciser with its own AFU id; the host
/// buffers it is given are what it moves. A refused DMA sets ERROR bit 0 and err_vector, and with
/// CFG's interrupt-on-error bit raises the vector.
/// </remarks>
internal sealed class HostExerciserAfu(Guid id, string name) : AfuModel
{
    internal static readonly Guid LoopbackId = new("56E203E9-864F-49A7-B94B-12284C31E02B");
    internal static readonly Guid MemoryId = new("8568AB4E-6bA5-4616-BB65-2A578330A8EB");

    internal const ulong Scratchpad0 = 0x100;
    internal const ulong DsmBase = 0x110;
    internal const ulong SrcAddr = 0x120;
    internal const ulong DstAddr = 0x128;
    internal const ulong NumLines = 0x130;
    internal const ulong Ctl = 0x138;
    internal const ulong Cfg = 0x140;
    internal const ulong InactivityThreshold = 0x148;
    internal const ulong Interrupt0 = 0x150;
    internal const ulong SwTestMessage = 0x158;
    internal const ulong Status0 = 0x160;
    internal const ulong Status1 = 0x168;
    internal const ulong Error = 0x170;
    internal const ulong Stride = 0x178;

    internal const ulong DsmErrorVector = 0x4;
    internal const ulong DsmNumTicks = 0x8;
    internal const ulong DsmNumReads = 0x10;
    internal const ulong DsmNumWrites = 0x14;

    internal const uint ModeLoopback = 0;
    internal const uint ModeRead = 1;
    internal const uint ModeWrite = 2;
    internal const uint ModeThroughput = 3;

    /// <summary>The clock num_ticks counts at (MHz).</summary>
    internal const uint ClockMHz = 400;

    private const ulong CacheLine = 64;
    private const int SliceBytes = 1 << 20;

    private readonly object _gate = new();
    private readonly byte[] _scratch = new byte[SliceBytes];
    private readonly byte[] _pattern = new byte[SliceBytes];
    private bool _running;
    private volatile bool _forcedCompletion;

    public override Guid AfuId => id;

    public override string Name => name;

    /// <summary>Four vectors, as <c>host_exerciser --interrupt</c> allows 0 to 3.</summary>
    public override int InterruptCount => 4;

    public override void WriteMmio64(ulong offset, ulong value)
    {
        if (offset is Status0 or Status1)
        {
            return;
        }

        if (offset == Error)
        {
            // Write one to clear.
            Context.WriteRegister64(Error, Context.ReadRegister64(Error) & ~value);
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

        _pattern.AsSpan().Fill(0x5A);
    }

    private void OnControl(uint value)
    {
        if ((value & 1) == 0)
        {
            Context.CancelWork();
            lock (_gate)
            {
                _running = false;
            }

            Context.WriteRegister64(Status0, 0);
            Context.WriteRegister64(Status1, 0);
            Context.WriteRegister64(Error, 0);
            return;
        }

        if ((value & 4) != 0)
        {
            _forcedCompletion = true;
        }

        if ((value & 2) != 0)
        {
            Start();
        }
    }

    private void Start()
    {
        var cfg = Context.ReadRegister64(Cfg);
        var job = new Job(
            Dsm: Context.ReadRegister64(DsmBase) * CacheLine,
            Source: Context.ReadRegister64(SrcAddr) * CacheLine,
            Destination: Context.ReadRegister64(DstAddr) * CacheLine,
            Lines: (ulong)Context.ReadRegister32(NumLines) + 1,
            Mode: (uint)(cfg >> 2) & 7,
            Continuous: (cfg & 2) != 0,
            Delay: (cfg & 1) != 0,
            LinesPerRequest: ((cfg >> 5) & 3) switch { 0 => 1UL, 1 => 2UL, 2 => 4UL, _ => 8UL },
            InterruptOnError: (cfg & (1UL << 28)) != 0,
            InterruptTest: (cfg & (1UL << 29)) != 0,
            Vector: (int)(Context.ReadRegister32(Interrupt0) >> 16));
        lock (_gate)
        {
            if (_running)
            {
                return;
            }

            _running = true;
            _forcedCompletion = false;
        }

        Context.WriteRegister64(Status0, 0);
        Context.WriteRegister64(Status1, job.Lines | (job.Lines << 32));
        Context.Run(cancel => Work(job, cancel));
    }

    private void Work(Job job, CancellationToken cancel)
    {
        var started = Context.Now;
        var random = new Random(0x4E5);
        ulong reads = 0, writes = 0;
        var ok = job.Mode <= ModeThroughput;
        do
        {
            ok = ok && Pass(job, random, ref reads, ref writes, cancel);
        }
        while (ok && job.Continuous && !_forcedCompletion && !cancel.IsCancellationRequested);

        Context.WriteRegister64(Status1, 0);
        if (cancel.IsCancellationRequested)
        {
            return;
        }

        var ticks = Math.Max(1, (ulong)((Context.Now - started).TotalSeconds * ClockMHz * 1e6));
        if (!ok)
        {
            Context.WriteRegister64(Error, Context.ReadRegister64(Error) | 1);
        }

        lock (_gate)
        {
            _running = false;
        }

        Span<byte> block = stackalloc byte[0x40];
        block.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(block[(int)DsmErrorVector..], ok ? 0u : 1u);
        BinaryPrimitives.WriteUInt64LittleEndian(block[(int)DsmNumTicks..], ticks);
        BinaryPrimitives.WriteUInt32LittleEndian(block[(int)DsmNumReads..], (uint)reads);
        BinaryPrimitives.WriteUInt32LittleEndian(block[(int)DsmNumWrites..], (uint)writes);
        if (Context.WriteDma(job.Dsm, block))
        {
            Span<byte> complete = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(complete, 1);
            Context.WriteDma(job.Dsm, complete);
        }

        if (job.InterruptTest || (!ok && job.InterruptOnError))
        {
            Context.RaiseInterrupt(job.Vector);
        }
    }

    private bool Pass(Job job, Random random, ref ulong reads, ref ulong writes, CancellationToken cancel)
    {
        // Requests merge into slices unless a delay is inserted between them.
        var chunk = job.Delay ? job.LinesPerRequest * CacheLine : SliceBytes;
        var total = job.Lines * CacheLine;
        for (ulong done = 0; done < total;)
        {
            if (cancel.IsCancellationRequested || (_forcedCompletion && !job.Continuous))
            {
                return !cancel.IsCancellationRequested;
            }

            var bytes = Math.Min(chunk, total - done);
            var lines = bytes / CacheLine;
            var ok = job.Mode switch
            {
                ModeLoopback => Context.CopyDma(job.Source + done, job.Destination + done, bytes),
                ModeRead => Context.ReadDma(job.Source + done, _scratch.AsSpan(0, (int)bytes)),
                ModeWrite => Context.WriteDma(job.Destination + done, _pattern.AsSpan(0, (int)bytes)),
                _ => Context.ReadDma(job.Source + done, _scratch.AsSpan(0, (int)bytes)) && Context.WriteDma(job.Destination + done, _pattern.AsSpan(0, (int)bytes)),
            };
            if (!ok)
            {
                return false;
            }

            reads += job.Mode is ModeWrite ? 0 : lines;
            writes += job.Mode is ModeRead ? 0 : lines;
            done += bytes;
            var pending = (total - done) / CacheLine;
            Context.WriteRegister64(Status0, (writes & 0xFFFF_FFFF) | ((reads & 0xFFFF_FFFF) << 32));
            Context.WriteRegister64(Status1, pending | (pending << 32));
            if (job.Delay && !Context.Delay(TimeSpan.FromTicks(random.Next(0, 4))))
            {
                return false;
            }
        }

        return true;
    }

    private readonly record struct Job(
        ulong Dsm, ulong Source, ulong Destination, ulong Lines, uint Mode, bool Continuous, bool Delay,
        ulong LinesPerRequest, bool InterruptOnError, bool InterruptTest, int Vector);
}
