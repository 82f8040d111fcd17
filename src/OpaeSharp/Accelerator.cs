using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using OpaeSharp.Buffers;
using OpaeSharp.Devices;
using OpaeSharp.Enumeration;
using OpaeSharp.Events;
using OpaeSharp.Memory;

namespace OpaeSharp;

/// <summary>
/// An open FPGA object (OPAE's <c>fpga_handle</c>): prepares buffers the accelerator can reach by
/// DMA, gives their IO addresses, and accesses the accelerator's MMIO registers.
/// </summary>
/// <remarks>
/// All members are safe to call from several threads at once. IO address lookups take no lock.
/// Disposing releases every buffer still prepared (unmapped from the device, memory the library
/// allocated freed) and logs how many there were; buffers must not be used afterwards.
/// A handle on an FPGA device object (<see cref="FpgaObjectType.Device"/>) opens nothing of the
/// driver: it has no MMIO and prepares no buffers.
/// A handle belongs to the process that opened it: in a forked child, preparing and releasing
/// buffers on it are refused (INVALID_PARAM) and disposing it only forgets it, without unmapping
/// anything from the device or waiting for threads that do not exist in the child — the device
/// mappings and the device itself stay the parent's.
/// </remarks>
public sealed class Accelerator : IDisposable
{
    /// <summary>The flag bits OPAE defines; any other bit is INVALID_PARAM.</summary>
    internal const int KnownFlags = BufferPipeline.KnownFlags;

    private readonly IDevice? _device;
    private readonly BufferPipeline? _buffers;
    private readonly Interop.IKernel _kernel;
    private readonly int _processId;
    private EventRegistrations? _events;
    private int _closed;

    internal Accelerator(AcceleratorToken token, IDevice? device, bool shared, BufferAllocator? memory = null)
    {
        Token = token;
        _device = device;
        IsShared = shared;
        memory ??= token.BackendImpl.Memory;
        _kernel = memory.Kernel;
        _processId = _kernel.ProcessId;
        if (device is not null)
        {
            _buffers = new BufferPipeline(this, device, memory);
        }
    }

    /// <summary>Releases the buffers of an accelerator that was never disposed.</summary>
    ~Accelerator() => Close(finalizing: true);

    /// <summary>
    /// When true, every buffer records the stack that prepared it, and closing an accelerator with
    /// buffers still prepared logs where each came from. Also set by <c>OPAESHARP_TRACK_LEAKS=1</c>.
    /// </summary>
    public static bool TrackLeaks { get; set; } = Environment.GetEnvironmentVariable("OPAESHARP_TRACK_LEAKS") is "1" or "true";

    /// <summary>The object this handle was opened on.</summary>
    public AcceleratorToken Token { get; }

    /// <summary>True when opened with <c>FPGA_OPEN_SHARED</c>.</summary>
    public bool IsShared { get; }

    /// <summary>Buffers prepared on this handle and not yet released.</summary>
    public int BufferCount => _buffers?.Count ?? 0;

    /// <summary>True when buffers can be made from memory the caller already owns (the PREALLOCATED probe).</summary>
    public bool SupportsPreallocatedBuffers => _device is not null;

    /// <summary>True once disposed.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>The backend's open device; null for a handle on an FPGA device object.</summary>
    internal IDevice? Device => _device;

    /// <summary>True in a forked child of the process that opened the handle (asks the kernel: a system call).</summary>
    internal bool IsInheritedByFork => _kernel.MayHaveForked && _kernel.ProcessId != _processId;

    /// <summary>The process that opened the handle.</summary>
    internal int OwnerProcessId => _processId;

    /// <summary>The events registered on this handle (made on first use).</summary>
    internal EventRegistrations Events
    {
        get
        {
            if (Volatile.Read(ref _events) is { } events)
            {
                return events;
            }

            var made = new EventRegistrations(this);
            return Interlocked.CompareExchange(ref _events, made, null) ?? made;
        }
    }

    /// <summary>The events registered on this handle, or null when none ever was.</summary>
    internal EventRegistrations? EventsOrNull => Volatile.Read(ref _events);

    /// <summary>Buffers the last close had to release (for diagnostics and tests).</summary>
    internal int LeakedOnLastClose { get; private set; }

    /// <summary>Finds FPGA objects; with no filter, every object of the selected backend.</summary>
    /// <param name="filter">Properties to match, or null for all.</param>
    /// <param name="backend">Backend to search; null means <c>OPAESHARP_BACKEND</c>, else auto.</param>
    public static IReadOnlyList<AcceleratorToken> Enumerate(AcceleratorFilter? filter = null, BackendKind? backend = null) =>
        Enumerate(filter is null ? [] : [filter], backend);

    /// <summary>Finds FPGA objects matching any of <paramref name="filters"/> (all objects when empty).</summary>
    public static IReadOnlyList<AcceleratorToken> Enumerate(IReadOnlyList<AcceleratorFilter> filters, BackendKind? backend = null) =>
        Enumerate(BackendRegistry.System, filters, backend ?? BackendRegistry.FromEnvironment());

    /// <summary>Opens the first accelerator that matches <paramref name="filter"/> (any accelerator when null).</summary>
    /// <remarks>
    /// Where an AFU id can only be read by opening the device (vfio-pci), each candidate is opened
    /// once, and the open that matches is the one returned.
    /// </remarks>
    /// <exception cref="OpaeException">NOT_FOUND when nothing matches; BUSY when it is held exclusively.</exception>
    public static Accelerator Open(AcceleratorFilter? filter = null, bool shared = false, BackendKind? backend = null) =>
        Open(BackendRegistry.System, filter, shared, backend ?? BackendRegistry.FromEnvironment());

    /// <summary>Opens the object <paramref name="token"/> names.</summary>
    /// <exception cref="OpaeException">BUSY when another handle holds it exclusively (or any handle holds it and <paramref name="shared"/> is false).</exception>
    public static Accelerator Open(AcceleratorToken token, bool shared = false)
    {
        ArgumentNullException.ThrowIfNull(token);
        var device = token.ObjectType == FpgaObjectType.Accelerator ? token.BackendImpl.Open(token, shared) : null;
        return new Accelerator(token, device, shared);
    }

    /// <summary>
    /// Allocates a zero-filled buffer of at least <paramref name="length"/> bytes (rounded up to
    /// 4 KiB), pins it and maps it for device DMA (<c>fpgaPrepareBuffer</c>).
    /// </summary>
    /// <exception cref="OpaeException">
    /// INVALID_PARAM for a zero length, unknown flags or <see cref="BufferFlags.Preallocated"/> (use
    /// <see cref="AttachBuffer"/>); NO_MEMORY when memory, hugepages, locked memory or IO address
    /// space run out (the message says which and what to do); INVALID_PARAM when the device refuses the mapping.
    /// </exception>
    public SharedBuffer PrepareBuffer(long length, BufferFlags flags = BufferFlags.None)
    {
        var status = PrepareOwned(length, flags, out var buffer);
        status.ThrowIfFailed();
        return buffer!;
    }

    /// <summary>Like <see cref="PrepareBuffer"/>, but reports failure as a result code instead of throwing.</summary>
    public bool TryPrepareBuffer(long length, BufferFlags flags, [NotNullWhen(true)] out SharedBuffer? buffer, out FpgaResult result)
    {
        result = PrepareOwned(length, flags, out buffer).Result;
        return buffer is not null;
    }

    /// <summary>
    /// Pins <paramref name="length"/> bytes of memory the caller owns at <paramref name="address"/>
    /// and maps them for device DMA (<c>FPGA_BUF_PREALLOCATED</c>). Both must be multiples of 4 KiB.
    /// Releasing the buffer unpins and unmaps it; the memory and its contents stay the caller's.
    /// </summary>
    /// <exception cref="OpaeException">INVALID_PARAM for a null or unaligned address, a length that is zero or not a multiple of 4 KiB, or memory that is not mapped.</exception>
    public SharedBuffer AttachBuffer(nint address, long length, BufferFlags flags = BufferFlags.None)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var status = TryPrepare((ulong)length, address, (int)(flags | BufferFlags.Preallocated), out var buffer);
        status.ThrowIfFailed();
        return buffer!;
    }

    /// <summary>Like <see cref="AttachBuffer"/>, but reports failure as a result code instead of throwing.</summary>
    public bool TryAttachBuffer(nint address, long length, BufferFlags flags, [NotNullWhen(true)] out SharedBuffer? buffer, out FpgaResult result)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        result = TryPrepare((ulong)length, address, (int)(flags | BufferFlags.Preallocated), out buffer).Result;
        return buffer is not null;
    }

    /// <summary>The IO address of a live buffer of this handle (<c>fpgaGetIOAddress</c>).</summary>
    /// <exception cref="OpaeException">NOT_FOUND when <paramref name="workspaceId"/> is not a live buffer of this handle.</exception>
    public ulong GetIoAddress(ulong workspaceId)
    {
        if (!TryGetIoAddress(workspaceId, out var ioAddress))
        {
            ThrowNotFound(workspaceId);
        }

        return ioAddress;
    }

    /// <summary>Looks up the IO address of a live buffer of this handle without throwing. Takes no lock and allocates nothing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetIoAddress(ulong workspaceId, out ulong ioAddress)
    {
        if (_buffers is null)
        {
            ioAddress = 0;
            return false;
        }

        return _buffers.TryGetIoAddress(workspaceId, out ioAddress);
    }

    /// <summary>The live buffer with id <paramref name="workspaceId"/>, if this handle has it.</summary>
    public bool TryGetBuffer(ulong workspaceId, [NotNullWhen(true)] out SharedBuffer? buffer)
    {
        buffer = null;
        return _buffers is not null && _buffers.TryGet(workspaceId, out buffer) && buffer is not null;
    }

    /// <summary>Releases a buffer by workspace id (<c>fpgaReleaseBuffer</c>); same as disposing it.</summary>
    /// <exception cref="OpaeException">INVALID_PARAM when the id is not a live buffer of this handle, or the device could not unmap it (the id is forgotten anyway).</exception>
    public void ReleaseBuffer(ulong workspaceId) => Release(workspaceId).ThrowIfFailed();

    /// <summary>Reads a 32-bit MMIO register (offset in bytes, 4-byte aligned).</summary>
    public uint ReadMmio32(ulong offset, uint region = 0) => Mmio(region, offset, 4).ReadMmio32(region, offset);

    /// <summary>Reads a 64-bit MMIO register (offset in bytes, 8-byte aligned).</summary>
    public ulong ReadMmio64(ulong offset, uint region = 0) => Mmio(region, offset, 8).ReadMmio64(region, offset);

    /// <summary>Writes a 32-bit MMIO register (offset in bytes, 4-byte aligned).</summary>
    public void WriteMmio32(ulong offset, uint value, uint region = 0) => Mmio(region, offset, 4).WriteMmio32(region, offset, value);

    /// <summary>Writes a 64-bit MMIO register (offset in bytes, 8-byte aligned).</summary>
    public void WriteMmio64(ulong offset, ulong value, uint region = 0) => Mmio(region, offset, 8).WriteMmio64(region, offset, value);

    /// <summary>
    /// The device behind an MMIO access of <paramref name="width"/> bytes at <paramref name="offset"/>
    /// of <paramref name="region"/>, or why there is none (closed handle, no such region, unaligned
    /// or outside it) — the C exports' check, which costs no exception for a refused call.
    /// </summary>
    internal Status CheckMmio(uint region, ulong offset, uint width, out IDevice? device)
    {
        device = null;
        if (IsClosed)
        {
            return Status.Fail(FpgaResult.InvalidParam, "the accelerator handle is closed");
        }

        var size = _device?.MmioSize(region) ?? 0;
        if (size == 0)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"{Token.Name} has no MMIO region {region}");
        }

        if (offset % width != 0 || offset > size - width)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"MMIO offset 0x{offset:x} is not a {width}-byte aligned offset inside region {region} (size 0x{size:x})");
        }

        device = _device;
        return Status.Ok;
    }

    /// <summary>
    /// Writes the 64 bytes of <paramref name="value"/> at a 64-byte aligned offset as one 512-bit
    /// access (<c>fpgaWriteMMIO512</c>): a single store on x86-64 CPUs with AVX-512 to a mapped
    /// region; the simulator delivers it to its AFU as one access on any CPU.
    /// </summary>
    /// <exception cref="OpaeException">
    /// INVALID_PARAM for a value that is not 64 bytes or an offset that is unaligned or outside the
    /// region; NOT_SUPPORTED where the CPU has no AVX-512 or the region is not mapped.
    /// </exception>
    public void WriteMmio512(ulong offset, ReadOnlySpan<byte> value, uint region = 0)
    {
        if (value.Length != 64)
        {
            throw new OpaeException(FpgaResult.InvalidParam, $"a 512-bit MMIO write takes 64 bytes, not {value.Length}");
        }

        Mmio(region, offset, 64).WriteMmio512(region, offset, value);
    }

    /// <summary>
    /// Registers for an event of this handle (<c>fpgaRegisterEvent</c>): an interrupt vector of the
    /// accelerator, the port's errors (accelerator handle) or the FME's errors (device handle).
    /// Register before starting what raises it; dispose the result to unregister.
    /// </summary>
    /// <param name="type">The kind of event.</param>
    /// <param name="vector">For <see cref="FpgaEventType.Interrupt"/>, the vector; otherwise 0.</param>
    /// <exception cref="OpaeException">
    /// INVALID_PARAM for an interrupt on a device handle, a vector the accelerator does not have or
    /// one that another registration already uses; NOT_SUPPORTED (vfio, the simulator) or NO_DAEMON
    /// (DFL, where OPAE would ask the FPGA daemon) when the object cannot signal that event.
    /// </exception>
    public AcceleratorEvent RegisterEvent(FpgaEventType type, int vector = 0)
    {
        ThrowIfClosed();
        AcceleratorEvent.TryRegister(this, type, vector, out var registration).ThrowIfFailed();
        return registration!;
    }

    /// <summary>Like <see cref="RegisterEvent"/>, but reports failure as a result code instead of throwing.</summary>
    public bool TryRegisterEvent(FpgaEventType type, int vector, [NotNullWhen(true)] out AcceleratorEvent? registration, out FpgaResult result)
    {
        registration = null;
        result = IsClosed ? FpgaResult.InvalidParam : AcceleratorEvent.TryRegister(this, type, vector, out registration).Result;
        return registration is not null;
    }

    /// <summary>
    /// The child accelerators of this one (<c>fpgaGetChildren</c>): only an AFU whose DFH v1
    /// parameters name child AFUs (an OFS multi-port AFU) has any. Children share their parent's IO
    /// address space, which this library cannot give separate functions yet: such an AFU is
    /// NOT_SUPPORTED, every other one has none.
    /// </summary>
    internal Status GetChildren(out IReadOnlyList<Accelerator> children)
    {
        children = [];
        if (IsClosed)
        {
            return Status.Fail(FpgaResult.InvalidParam, "the accelerator handle is closed");
        }

        var size = _device?.MmioSize(0) ?? 0;
        if (size == 0)
        {
            return Status.Ok;
        }

        IReadOnlyList<Guid> named;
        try
        {
            named = Devices.Kernel.DeviceFeatureList.ChildAfus(offset => _device!.ReadMmio64(0, offset), size);
        }
        catch (OpaeException e)
        {
            return Status.Fail(FpgaResult.Exception, $"reading the AFU's feature parameters: {e.Message}");
        }

        return named.Count == 0
            ? Status.Ok
            : Status.Fail(
                FpgaResult.NotSupported,
                $"{Token.Name} is a multi-port AFU naming {named.Count} child AFU(s) ({string.Join(", ", named)}): children share the parent's IO address space, which this library does not do");
    }

    /// <summary>Binds the process's address space to the device for shared virtual addressing (<c>fpgaBindSVA</c>).</summary>
    internal Status BindSva(out uint pasid)
    {
        pasid = 0;
        if (IsClosed)
        {
            return Status.Fail(FpgaResult.InvalidParam, "the accelerator handle is closed");
        }

        return _device?.BindSva(out pasid)
            ?? Status.Fail(FpgaResult.NotSupported, $"{Token.Name} is an FPGA device; shared virtual addressing is bound on an accelerator handle");
    }

    /// <summary>Size in bytes of MMIO region <paramref name="region"/> (0 when there is none).</summary>
    public ulong GetMmioSize(uint region = 0)
    {
        ThrowIfClosed();
        return _device?.MmioSize(region) ?? 0;
    }

    /// <summary>
    /// A pointer to MMIO region <paramref name="region"/> mapped into the process, or 0 where MMIO only
    /// goes through the read/write calls (the simulator, whose registers have side effects).
    /// </summary>
    public nint MapMmio(uint region = 0) => Mmio(region, 0, 4).MapMmio(region);

    /// <summary>
    /// The attribute or group <paramref name="name"/> of the object this handle is open on, as
    /// <see cref="AcceleratorToken.GetObject"/>, but writable: <c>GetObject("errors/inject_errors").Write64(1)</c>.
    /// </summary>
    /// <exception cref="OpaeException">NOT_FOUND when nothing is there; NOT_SUPPORTED where the backend has no attribute tree.</exception>
    public Objects.FpgaObject GetObject(string name)
    {
        ThrowIfClosed();
        return Objects.FpgaObject.Open(Token, name, writable: true);
    }

    /// <summary>
    /// The device's sensors and counters now (<c>fpgaGetMetricsByIndex</c>): power and temperature
    /// from the FME's hwmon sensors, fabric performance counters where the driver has them.
    /// Empty for an accelerator, and where the backend exposes none.
    /// </summary>
    public IReadOnlyList<FpgaMetric> ReadMetrics()
    {
        ThrowIfClosed();
        var metrics = new List<FpgaMetric>();
        if (Token.ObjectType == FpgaObjectType.Device && Token.Sysfs is { } sysfs && Token.SysfsPath is { } path)
        {
            foreach (var source in Objects.MetricCatalog.Of(sysfs, path))
            {
                if (source.Read(sysfs) is { } value)
                {
                    metrics.Add(new FpgaMetric(source.Index, source.Group, source.Name, source.Units, source.Kind, value));
                }
            }
        }

        return metrics;
    }

    /// <summary>The accelerator's user clock now: the 1x frequency and the low (2x clock's half, or a second) frequency, in Hz.</summary>
    /// <exception cref="OpaeException">INVALID_PARAM on a device handle; NOT_SUPPORTED where the driver has no user clock interface.</exception>
    public (ulong HighHz, ulong LowHz) GetUserClock()
    {
        ThrowIfClosed();
        UserClock.Get(Token, out var high, out var low).ThrowIfFailed();
        return (high, low);
    }

    /// <summary>Programs the user clock: <paramref name="highMhz"/> 25..1200 MHz, <paramref name="lowMhz"/> 0 (half of high) or at most high.</summary>
    /// <exception cref="OpaeException">INVALID_PARAM for frequencies out of range or a device handle; NOT_SUPPORTED where the backend cannot program it (DFL).</exception>
    public void SetUserClock(ulong highMhz, ulong lowMhz = 0)
    {
        ThrowIfClosed();
        UserClock.Set(Token, highMhz, lowMhz).ThrowIfFailed();
    }

    /// <summary>
    /// Loads a partial bitstream (OPAE's GBS file) into slot <paramref name="slot"/> of this FPGA
    /// device (<c>fpgaReconfigureSlot</c>); on the simulator the AFU model the image's metadata names.
    /// </summary>
    /// <exception cref="OpaeException">
    /// INVALID_PARAM on an accelerator handle, for data that is not a GBS, or an image built for
    /// another FPGA interface; BUSY while the slot's accelerator is open (without
    /// <see cref="ReconfigureOptions.Force"/>); RECONF_ERROR when the FPGA refused the image;
    /// NOT_SUPPORTED where the backend cannot reconfigure (vfio-pci).
    /// </exception>
    public void Reconfigure(ReadOnlySpan<byte> bitstream, int slot = 0, ReconfigureOptions options = ReconfigureOptions.None) =>
        TryReconfigure(bitstream, slot, options).ThrowIfFailed();

    /// <summary>The core of <c>fpgaReconfigureSlot</c>.</summary>
    internal Status TryReconfigure(ReadOnlySpan<byte> bitstream, int slot, ReconfigureOptions options)
    {
        if (IsClosed)
        {
            return Status.Fail(FpgaResult.InvalidParam, "the handle is closed");
        }

        if (Token.ObjectType != FpgaObjectType.Device)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"{Token.Name} is an accelerator; reconfigure through a handle on its FPGA device");
        }

        var parsed = GreenBitstream.TryParse(bitstream, out var image);
        if (!parsed.IsOk)
        {
            return parsed;
        }

        IFpgaDevice fme;
        try
        {
            fme = Token.BackendImpl.OpenFpgaDevice(Token);
        }
        catch (OpaeException e)
        {
            return Status.Fail(e.Result, e.Message);
        }

        using (fme)
        {
            return fme.Reconfigure(slot, bitstream, image!, options);
        }
    }

    /// <summary>Resets the accelerator function (<c>fpgaReset</c>). Prepared buffers stay prepared.</summary>
    public void Reset()
    {
        ThrowIfClosed();
        _device?.Reset();
    }

    /// <summary>Releases every outstanding buffer and closes the handle (<c>fpgaClose</c>). Idempotent.</summary>
    public void Dispose()
    {
        Close(finalizing: false);
        GC.SuppressFinalize(this);
    }

    internal static IReadOnlyList<AcceleratorToken> Enumerate(BackendRegistry registry, IReadOnlyList<AcceleratorFilter> filters, BackendKind kind)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var result = new List<AcceleratorToken>();
        foreach (var source in registry.Resolve(kind).Backends)
        {
            foreach (var token in source.Enumerate())
            {
                if (filters.Count == 0 || filters.Any(f => f.Matches(token)))
                {
                    result.Add(token);
                }
            }
        }

        return result;
    }

    internal static Accelerator Open(BackendRegistry registry, AcceleratorFilter? filter, bool shared, BackendKind kind)
    {
        filter ??= new AcceleratorFilter { ObjectType = FpgaObjectType.Accelerator };
        var resolution = registry.Resolve(kind);
        var unreadable = new List<string>();
        foreach (var backend in resolution.Backends)
        {
            foreach (var token in backend.Enumerate())
            {
                if (!filter.MatchesAllButGuid(token))
                {
                    continue;
                }

                if (filter.Guid is null || token.IsIdentityKnown || token.ObjectType != FpgaObjectType.Accelerator)
                {
                    if (filter.Matches(token))
                    {
                        return Open(token, shared);
                    }

                    continue;
                }

                // Only the device knows its AFU id: open it once, and keep that open if it matches.
                IDevice device;
                try
                {
                    device = backend.Open(token, shared);
                }
                catch (OpaeException e)
                {
                    unreadable.Add($"{token.Name}: {e.Message}");
                    continue;
                }

                if (filter.Matches(token))
                {
                    return new Accelerator(token, device, shared);
                }

                device.Dispose();
            }
        }

        var where = $"the {BackendRegistry.Name(kind)} backend";
        throw new OpaeException(
            FpgaResult.NotFound,
            $"no FPGA object matches {filter} on {where}" +
            (resolution.Why is { } why ? $": {why}" : kind == BackendKind.Auto ? "" : " (is its driver loaded and a card bound to it?)") +
            (unreadable.Count > 0 ? $"; could not read the AFU id of {string.Join("; ", unreadable)}" : ""));
    }

    /// <summary>The core of <c>fpgaPrepareBuffer</c>, after the C ABI's pointer checks; never throws for a refused call.</summary>
    internal Status TryPrepare(ulong length, nint address, int flags, out SharedBuffer? buffer)
    {
        if (_buffers is null || IsInheritedByFork)
        {
            buffer = null;
            if (_buffers is not null)
            {
                return InheritedFailure();
            }

            return IsClosed
                ? Status.Fail(FpgaResult.InvalidParam, "the accelerator handle is closed")
                : Status.Fail(FpgaResult.InvalidParam, $"{Token.Name} is an FPGA device; DMA buffers are prepared on an accelerator handle");
        }

        return _buffers.Prepare(length, address, flags, out buffer);
    }

    /// <summary>The core of <c>fpgaReleaseBuffer</c>.</summary>
    internal Status Release(ulong workspaceId) =>
        _buffers is not null && IsInheritedByFork ? InheritedFailure() :
        _buffers?.Release(workspaceId) ?? Status.Fail(
            FpgaResult.InvalidParam,
            IsClosed ? "the accelerator handle is closed" : $"workspace id {workspaceId} is not a live buffer of this handle (an FPGA device handle has none)");

    private Status PrepareOwned(long length, BufferFlags flags, out SharedBuffer? buffer)
    {
        if ((flags & BufferFlags.Preallocated) != 0)
        {
            buffer = null;
            return Status.Fail(FpgaResult.InvalidParam, "PrepareBuffer allocates; use AttachBuffer for preallocated memory");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return TryPrepare((ulong)length, 0, (int)flags, out buffer);
    }

    private void Close(bool finalizing)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        if (IsInheritedByFork)
        {
            // A forked child's copy of the parent's handle: the device mappings, the device and its
            // worker threads are the parent's (the threads do not even exist here). Forget, touch nothing.
            return;
        }

        try
        {
            // Nothing may stay bound to an eventfd of a handle that is gone.
            _events?.Close();
            var leaks = _buffers?.Close();
            LeakedOnLastClose = leaks?.Count ?? 0;
            leaks?.Publish(Token.Name, finalizing);
        }
        finally
        {
            // Whatever happened to the buffers, the device is given back: the port must not stay busy.
            _device?.Dispose();
        }
    }

    private Status InheritedFailure() => Status.Fail(
        FpgaResult.InvalidParam,
        $"the handle on {Token.Name} was opened by process {_processId}, not by this forked child; open the accelerator again in the child");

    /// <summary>The device, after checking the handle is open and the access inside a region.</summary>
    private IDevice Mmio(uint region, ulong offset, uint width)
    {
        CheckMmio(region, offset, width, out var device).ThrowIfFailed();
        return device!;
    }

    private void ThrowIfClosed()
    {
        if (IsClosed)
        {
            throw new OpaeException(FpgaResult.InvalidParam, "the accelerator handle is closed");
        }
    }

    [DoesNotReturn]
    private static void ThrowNotFound(ulong workspaceId) =>
        throw new OpaeException(FpgaResult.NotFound, $"workspace id {workspaceId} is not a live buffer of this handle");
}
