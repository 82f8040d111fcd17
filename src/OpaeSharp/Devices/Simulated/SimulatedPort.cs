using Microsoft.Extensions.Logging;
using OpaeSharp.Diagnostics;
using OpaeSharp.Interop;
using OpaeSharp.Simulation;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// One port of a simulated card and the AFU model placed in it: its register file, interrupt
/// vectors, error register, worker thread, clock, injected faults, and who has it open. MMIO from a
/// program is routed here and on to the model. Shared by every handle opened on the port.
/// </summary>
/// <remarks>
/// Thread-safe. The model can change only while the port is closed (<see cref="SimulatedFme.LoadAfu"/>),
/// so an open handle always talks to one model, one register file and one set of vectors.
/// </remarks>
internal sealed class SimulatedPort
{
    /// <summary>The port's error register, as the DFL driver names its sysfs attribute.</summary>
    internal const string ErrorsRegister = "errors";

    private readonly Lock _openLock = new();
    private readonly IKernel _kernel;
    private int _openCount;
    private bool _exclusive;
    private long _mmioReads;
    private long _mmioWrites;
    private (ulong Start, ulong End)[] _headers = [];

    internal SimulatedPort(SimulatedCard card, int index, AfuModel model, IKernel kernel)
    {
        Card = card;
        Index = index;
        _kernel = kernel;
        Clock = new AfuClock(card.Link);
        Place(model);
    }

    internal SimulatedCard Card { get; }

    internal int Index { get; }

    /// <summary>The model in the port.</summary>
    internal AfuModel Afu { get; private set; } = null!;

    /// <summary>The AFU id the port reports (its model's).</summary>
    internal Guid AfuId { get; private set; }

    /// <summary>The port's interrupt vectors: as many as its AFU declares.</summary>
    internal SimulatedInterrupts Interrupts { get; private set; } = null!;

    /// <summary>The port's error registers (<c>errors</c>); kept across reconfiguration, like the port itself.</summary>
    internal SimulatedErrors Errors { get; } = new(ErrorsRegister);

    internal RegisterFile Registers { get; private set; } = null!;

    internal AfuWorker Worker { get; private set; } = null!;

    internal AfuClock Clock { get; }

    internal FaultInjector Faults { get; } = new();

    internal DmaEngine Dma { get; private set; } = null!;

    internal AfuContext Context { get; private set; } = null!;

    /// <summary>"nlb0", or "nlb0#1.0" for card 1 port 0: who a DMA fault names.</summary>
    internal string Initiator { get; private set; } = "";

    internal bool IsOpen
    {
        get
        {
            lock (_openLock)
            {
                return _openCount > 0;
            }
        }
    }

    internal int OpenCount
    {
        get
        {
            lock (_openLock)
            {
                return _openCount;
            }
        }
    }

    internal ulong MmioSize => Registers.Size;

    /// <summary>MMIO reads and writes programs made through the calls (not through a mapped pointer).</summary>
    internal long MmioReads => Interlocked.Read(ref _mmioReads);

    internal long MmioWrites => Interlocked.Read(ref _mmioWrites);

    /// <summary>"sim:0/port0": how tokens and messages name the port.</summary>
    internal string Name => $"sim:{Card.Index}/port{Index}";

    /// <summary>Takes the port: exclusive opens exclude everyone, shared ones only an exclusive holder.</summary>
    internal void Acquire(bool shared)
    {
        lock (_openLock)
        {
            if (_exclusive || (!shared && _openCount > 0))
            {
                throw new OpaeException(
                    FpgaResult.Busy,
                    $"simulated accelerator {Name} is already open{(_exclusive ? " exclusively" : "")}; open it shared (FPGA_OPEN_SHARED) or close the other handle");
            }

            if (_openCount++ == 0)
            {
                Worker.Activate();
            }

            _exclusive = !shared;
        }
    }

    internal void Release()
    {
        lock (_openLock)
        {
            _openCount--;
            if (_openCount > 0)
            {
                return;
            }

            _exclusive = false;

            // The driver resets the port when its last user goes; the worker need not wait for work.
            Worker.Shutdown();
            ResetState();
        }
    }

    /// <summary>Port reset (<c>fpgaReset</c>): work stops, registers return to power-on, a hang clears.</summary>
    internal void Reset()
    {
        Worker.CancelAndWait();
        ResetState();
    }

    /// <summary>Puts <paramref name="model"/> in the closed port (partial reconfiguration); BUSY while the port is open.</summary>
    internal Status Load(AfuModel model)
    {
        lock (_openLock)
        {
            if (_openCount > 0)
            {
                return Status.Fail(FpgaResult.Busy, $"{Name} is open ({_openCount} handle(s)); close it before loading another AFU");
            }

            Worker.Shutdown();
            Place(model);
            return Status.Ok;
        }
    }

    internal void Inject(InjectedFault fault) => Faults.Add(fault, Clock.Elapsed);

    internal ulong ReadMmio64(ulong offset)
    {
        Interlocked.Increment(ref _mmioReads);
        try
        {
            return Afu.ReadMmio64(offset);
        }
        catch (Exception e) when (e is not OpaeException)
        {
            throw ModelFailed(e);
        }
    }

    internal uint ReadMmio32(ulong offset)
    {
        Interlocked.Increment(ref _mmioReads);
        try
        {
            return Afu.ReadMmio32(offset);
        }
        catch (Exception e) when (e is not OpaeException)
        {
            throw ModelFailed(e);
        }
    }

    internal void WriteMmio64(ulong offset, ulong value)
    {
        Interlocked.Increment(ref _mmioWrites);
        try
        {
            Afu.WriteMmio64(offset, value);
        }
        catch (Exception e) when (e is not OpaeException)
        {
            throw ModelFailed(e);
        }
    }

    internal void WriteMmio32(ulong offset, uint value)
    {
        Interlocked.Increment(ref _mmioWrites);
        try
        {
            Afu.WriteMmio32(offset, value);
        }
        catch (Exception e) when (e is not OpaeException)
        {
            throw ModelFailed(e);
        }
    }

    internal void WriteMmio512(ulong offset, ReadOnlySpan<byte> value)
    {
        Interlocked.Increment(ref _mmioWrites);
        try
        {
            Afu.WriteMmio512(offset, value);
        }
        catch (Exception e) when (e is not OpaeException)
        {
            throw ModelFailed(e);
        }
    }

    internal bool IsHeader(ulong offset)
    {
        foreach (var (start, end) in _headers)
        {
            if (offset >= start && offset < end)
            {
                return true;
            }
        }

        return false;
    }

    internal bool RaiseInterrupt(int vector)
    {
        if (Faults.DropInterrupt(vector, Clock.Elapsed))
        {
            Interrupts.CountLost();
            return false;
        }

        return Interrupts.Raise(vector);
    }

    /// <summary>Injected faults and link pacing before a DMA access; false when it must not happen.</summary>
    internal bool BeforeDma(ulong iova, ulong length, ulong read, ulong write)
    {
        var cancel = Worker.Token;
        return Decide(Faults.OnDma(iova, length, Clock.Elapsed), iova, length, write > 0, cancel)
            && Clock.Transfer(read, write, cancel);
    }

    internal bool BeforeCopy(ulong source, ulong destination, ulong length)
    {
        var cancel = Worker.Token;
        return Decide(Faults.OnDma(source, length, Clock.Elapsed), source, length, isWrite: false, cancel)
            && Decide(Faults.OnDma(destination, length, Clock.Elapsed), destination, length, isWrite: true, cancel)
            && Clock.Transfer(length, length, cancel);
    }

    private bool Decide(FaultInjector.DmaDecision decision, ulong iova, ulong length, bool isWrite, CancellationToken cancel)
    {
        if (decision == default)
        {
            return true;
        }

        if (decision.ErrorBits != 0)
        {
            Errors.Set(ErrorsRegister, decision.ErrorBits);
        }

        if (decision.Hang)
        {
            return AfuClock.WaitForever(cancel);
        }

        if (decision.Stall > TimeSpan.Zero && !Clock.Delay(decision.Stall, cancel))
        {
            return false;
        }

        if (decision.Fail)
        {
            Card.Faults.Record(new DmaFault(DmaFaultKind.Injected, iova, length, isWrite, Initiator));
            return false;
        }

        return true;
    }

    private void Place(AfuModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var size = model.MmioSize;
        if (size < 0x1000 || size % 0x1000 != 0 || size > 1UL << 32)
        {
            throw new ArgumentException($"AFU {model.Name}: MMIO size 0x{size:x} is not a multiple of 4 KiB between 4 KiB and 4 GiB", nameof(model));
        }

        if (model.InterruptCount is < 0 or > 2048)
        {
            throw new ArgumentException($"AFU {model.Name}: {model.InterruptCount} interrupt vectors (0 to 2048)", nameof(model));
        }

        _headers = CheckFeatures(model, size);
        var previous = Afu;
        Afu = model;
        AfuId = model.AfuId;
        Initiator = Card.Index == 0 && Index == 0 ? model.Name : $"{model.Name}#{Card.Index}.{Index}";
        Registers = Registers?.Size == size ? Registers : new RegisterFile(size);
        Interrupts = new SimulatedInterrupts(_kernel, model.InterruptCount);
        Worker = new AfuWorker($"{Name} {model.Name}");
        Dma = new DmaEngine(Card.Iommu, Initiator);
        Faults.ClearHang();
        Context = new AfuContext(this);
        model.Attach(Context);
        ResetState();
        if (previous is not null)
        {
            try
            {
                previous.Detach();
            }
            catch (Exception e)
            {
                OpaeLogging.Logger.LogError(e, "simulated AFU {Name}: detaching failed: {Message}", previous.Name, e.Message);
            }
        }
    }

    private void ResetState()
    {
        Faults.ClearHang();
        Registers.Clear();
        var features = Afu.Features;
        for (var i = 0; i < features.Count; i++)
        {
            var feature = features[i];
            var last = i == features.Count - 1;
            Registers.Write64(feature.Offset, feature.HeaderValue(last ? 0 : features[i + 1].Offset - feature.Offset, last));
            if (feature.Guid is { } guid)
            {
                var (low, high) = AfuFeature.GuidRegisters(guid);
                Registers.Write64(feature.Offset + 8, low);
                Registers.Write64(feature.Offset + 0x10, high);
            }
        }

        try
        {
            Afu.Reset();
        }
        catch (Exception e)
        {
            OpaeLogging.Logger.LogError(e, "simulated AFU {Name}: reset failed: {Message}", Initiator, e.Message);
        }
    }

    private static (ulong, ulong)[] CheckFeatures(AfuModel model, ulong size)
    {
        var features = model.Features;
        if (features.Count == 0 || features[0].Offset != 0)
        {
            throw new ArgumentException($"AFU {model.Name}: the DFH chain must start at offset 0", nameof(model));
        }

        var headers = new (ulong, ulong)[features.Count];
        for (var i = 0; i < features.Count; i++)
        {
            var feature = features[i];
            if (feature.Offset % 8 != 0 || feature.Offset + feature.HeaderBytes > size || (i > 0 && feature.Offset < headers[i - 1].Item2))
            {
                throw new ArgumentException($"AFU {model.Name}: DFH entry {i} at 0x{feature.Offset:x} is unaligned, overlaps the previous one or lies outside the MMIO region", nameof(model));
            }

            headers[i] = (feature.Offset, feature.Offset + feature.HeaderBytes);
        }

        return headers;
    }

    private OpaeException ModelFailed(Exception e)
    {
        OpaeLogging.Logger.LogError(e, "simulated AFU {Name}: MMIO handler failed: {Message}", Initiator, e.Message);
        return new OpaeException(FpgaResult.Exception, $"the simulated AFU {Initiator} failed in an MMIO handler: {e.Message}");
    }
}
