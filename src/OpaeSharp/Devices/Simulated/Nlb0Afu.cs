using System.Buffers.Binary;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// NLB0, the native loopback AFU that OPAE's hello_fpga sample drives, to its register protocol
/// (shared/opae-buffer-api.md): software programs the DSM, source and destination IO addresses and
/// a line count, writes CTL=3, and polls bit 0 of the u64 at DSM+0x40. The copy runs on the AFU's
/// own worker thread, like hardware, through the IOMMU, so a bad address is a recorded fault. The
/// worker lives while the port is open (<see cref="Shutdown"/> ends it) and waits for CTL writes.
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
    private const ulong CompleteStatus = 1;
    private const ulong ErrorStatus = 3;

    private readonly Lock _lock = new();
    private readonly byte[] _registers = new byte[RegisterBytes];
    private readonly DmaEngine _dma;

    // The worker's state, guarded by _gate (a monitor: the worker sleeps on it between runs).
    private readonly object _gate = new();
    private Thread? _worker;
    private Job? _queued;
    private bool _running;   // a start was accepted and its status is not yet written: further starts are ignored
    private bool _inFlight;  // the worker holds a job, status write included: reset waits for this
    private bool _exit;
    private bool _active;     // a handle has the port open: only then can a start be accepted
    private int _stateOf;     // the process the worker state belongs to (a forked child inherits none of its threads)
    private volatile bool _stopRequested;
    private long _pendingLines;

    internal Nlb0Afu(DmaEngine dma) => _dma = dma;

    public Guid AfuId => Id;

    public ulong MmioSize => 0x40000;

    /// <summary>The managed thread id of the last worker (for tests: the AFU runs on its own thread).</summary>
    internal int LastWorkerThreadId { get; private set; }

    /// <summary>True while the worker thread exists (for tests: it ends when the port is closed).</summary>
    internal bool HasWorker
    {
        get
        {
            lock (_gate)
            {
                return _worker is not null;
            }
        }
    }

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

    /// <summary>The port was opened: starts are accepted until <see cref="Shutdown"/>.</summary>
    internal void Activate()
    {
        lock (_gate)
        {
            ForgetInheritedWorker();
            _active = true;
        }
    }

    /// <summary>Ends the worker thread (the port was closed); a later start is ignored until <see cref="Activate"/>.</summary>
    internal void Shutdown()
    {
        Thread? worker;
        lock (_gate)
        {
            ForgetInheritedWorker();

            // From here no start is accepted, so no worker can be made after the join below: a CTL
            // write that raced the close (on a handle that was still open when it began) is dropped.
            _active = false;
            CancelAndWait();
            _exit = true;
            worker = _worker;
            _worker = null;
            Monitor.PulseAll(_gate);
        }

        worker?.Join();
        lock (_gate)
        {
            _exit = false;
        }
    }

    private void Start()
    {
        Job job;
        lock (_lock)
        {
            job = new Job(
                Dsm: BinaryPrimitives.ReadUInt64LittleEndian(_registers.AsSpan((int)DsmBase)),
                Source: BinaryPrimitives.ReadUInt64LittleEndian(_registers.AsSpan((int)SrcAddr)) * CacheLine,
                Destination: BinaryPrimitives.ReadUInt64LittleEndian(_registers.AsSpan((int)DstAddr)) * CacheLine,
                Lines: BinaryPrimitives.ReadUInt32LittleEndian(_registers.AsSpan((int)NumLines)),
                Mode: (BinaryPrimitives.ReadUInt32LittleEndian(_registers.AsSpan((int)Cfg)) >> 2) & 7);
        }

        lock (_gate)
        {
            ForgetInheritedWorker();
            if (_running || !_active)
            {
                // Hardware ignores a start while it is running; a closed port has nobody to start it.
                return;
            }

            _running = true;
            _stopRequested = false;
            _queued = job;
            Interlocked.Exchange(ref _pendingLines, (long)job.Lines);
            if (_worker is null)
            {
                // A small stack: the worker copies through the DMA engine and keeps nothing on it, and
                // in a C program every thread's stack comes out of the host's address space.
                _worker = new Thread(Work, maxStackSize: 256 << 10) { IsBackground = true, Name = $"{_dma.Initiator} AFU" };
                _worker.Start();
            }

            Monitor.PulseAll(_gate);
        }
    }

    private void StopAndWait()
    {
        lock (_gate)
        {
            ForgetInheritedWorker();
            CancelAndWait();
        }

        Interlocked.Exchange(ref _pendingLines, 0);
    }

    /// <summary>
    /// In a forked child the worker thread and any run in flight exist only in the parent: waiting for
    /// them would wait forever. Called holding <see cref="_gate"/>.
    /// </summary>
    private void ForgetInheritedWorker()
    {
        var pid = Interop.Libc.GetPid();
        if (_stateOf == pid)
        {
            return;
        }

        if (_stateOf != 0)
        {
            _worker = null;
            _queued = null;
            _running = false;
            _inFlight = false;
            _exit = false;
        }

        _stateOf = pid;
    }

    /// <summary>Drops a queued start and waits out a running one. Called holding <see cref="_gate"/>.</summary>
    private void CancelAndWait()
    {
        _stopRequested = true;
        _queued = null;
        while (_inFlight && _worker != Thread.CurrentThread)
        {
            Monitor.Wait(_gate);
        }

        _running = false;
    }

    private void Work()
    {
        LastWorkerThreadId = Environment.CurrentManagedThreadId;
        Span<byte> bytes = stackalloc byte[8];
        while (true)
        {
            Job job;
            lock (_gate)
            {
                while (_queued is null && !_exit)
                {
                    Monitor.Wait(_gate);
                }

                if (_queued is not { } next)
                {
                    if (_worker == Thread.CurrentThread)
                    {
                        _worker = null;
                    }

                    return;
                }

                job = next;
                _queued = null;
                _inFlight = true;
            }

            ulong? status;
            try
            {
                status = Copy(job);
            }
            catch (Exception)
            {
                // Nothing a device does may take the process down; report it as an AFU error.
                status = ErrorStatus;
            }

            // Idle again before the status lands, so a start written by a host that saw it is never lost.
            lock (_gate)
            {
                _running = false;
            }

            if (status is { } value)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
                _dma.TryWrite(job.Dsm + DsmStatusComplete, bytes);
            }

            lock (_gate)
            {
                _inFlight = false;
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Runs one loopback; returns the DSM status to write, or null when stopped.</summary>
    private ulong? Copy(Job job)
    {
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
            return null;
        }

        // Bit 0: test complete; bit 1: the AFU stopped on an error (a DMA fault or unsupported mode).
        return ok ? CompleteStatus : ErrorStatus;
    }

    private readonly record struct Job(ulong Dsm, ulong Source, ulong Destination, ulong Lines, ulong Mode);
}
