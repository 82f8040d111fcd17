using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using OpaeSharp.Diagnostics;
using OpaeSharp.Interop;
using OpaeSharp.Simulation;
using static OpaeSharp.Interop.SimAfuAbi;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// An AFU model implemented by a C plugin (<c>opae/sim-afu.h</c>): a shared library loaded by path
/// whose <c>opae_sim_afu_create</c> fills in the AFU's description and callbacks. MMIO goes to its
/// callbacks (or the register file where it gives none); the host functions it calls are the
/// <see cref="AfuContext"/>'s, reached through a GC handle passed as the context pointer.
/// </summary>
/// <remarks>
/// A plugin runs in the process with no protection: a crash in it is a crash of the program, as a
/// crash in any library is. Everything the simulator does for it (DMA, interrupts) is checked as
/// for .NET models. Host functions catch every exception and return -1.
/// </remarks>
internal sealed unsafe class NativeAfuPlugin : AfuModel
{
    private static readonly opae_sim_afu_host* s_host = MakeHost();
    private static readonly Lock s_librariesLock = new();
    private static readonly Dictionary<string, nint> s_creates = new(StringComparer.Ordinal);

    private readonly opae_sim_afu* _afu;
    private readonly GCHandle _self;
    private readonly Guid _id;
    private readonly string _name;
    private int _destroyed;

    private NativeAfuPlugin(nint create, string path, string arguments, string registeredName)
    {
        _afu = (opae_sim_afu*)NativeMemory.AllocZeroed((nuint)sizeof(opae_sim_afu));
        _self = GCHandle.Alloc(this, GCHandleType.Normal);
        var args = Encoding.UTF8.GetBytes(arguments + "\0");
        int rc;
        fixed (byte* a = args)
        {
            rc = ((delegate* unmanaged<opae_sim_afu_host*, nint, byte*, opae_sim_afu*, int>)create)(s_host, GCHandle.ToIntPtr(_self), a, _afu);
        }

        if (rc != 0)
        {
            Free();
            throw new OpaeException(FpgaResult.Exception, $"the AFU plugin {path} refused to create an AFU ({SimAfuAbi.CreateSymbol} returned {rc})");
        }

        if (_afu->abi_version != AbiVersion)
        {
            Destroy();
            throw new OpaeException(FpgaResult.NotSupported, $"the AFU plugin {path} was built for sim-afu ABI {_afu->abi_version}; this simulator speaks {AbiVersion}");
        }

        var id = Text(_afu->afu_id, AfuIdBytes);
        if (!Guid.TryParse(id, out _id))
        {
            Destroy();
            throw new OpaeException(FpgaResult.InvalidParam, $"the AFU plugin {path} gave afu_id \"{id}\", which is not a GUID");
        }

        var name = Text(_afu->name, NameBytes);
        _name = name.Length > 0 ? name : registeredName;
        Path = path;
    }

    /// <summary>Frees the instance if it was never placed in a port (the probe made to learn the id).</summary>
    ~NativeAfuPlugin()
    {
        // A plugin's state may hold threads or memory of its own: only an unplaced probe is freed here.
        if (!IsAttached && _afu is not null)
        {
            NativeMemory.Free(_afu);
        }
    }

    internal string Path { get; }

    public override Guid AfuId => _id;

    public override string Name => _name;

    public override ulong MmioSize => _afu->mmio_size == 0 ? base.MmioSize : _afu->mmio_size;

    public override int InterruptCount => (int)Math.Min(_afu->num_interrupts, 2048);

    /// <summary>Loads the plugin at <paramref name="path"/> and learns its AFU id from one instance; the entry makes one per port.</summary>
    internal static AfuCatalog.Entry Register(string name, string path, string arguments)
    {
        var create = Load(path);
        var probe = new NativeAfuPlugin(create, path, arguments, name);
        var id = probe.AfuId;
        probe.Destroy();
        return new AfuCatalog.Entry(name, id, () => new NativeAfuPlugin(create, path, arguments, name), $"C plugin {path}");
    }

    public override ulong ReadMmio64(ulong offset) =>
        _afu->mmio_read64 is not null ? _afu->mmio_read64(_afu->state, offset) : base.ReadMmio64(offset);

    public override void WriteMmio64(ulong offset, ulong value)
    {
        if (_afu->mmio_write64 is not null)
        {
            _afu->mmio_write64(_afu->state, offset, value);
        }
        else
        {
            base.WriteMmio64(offset, value);
        }
    }

    public override uint ReadMmio32(ulong offset) =>
        _afu->mmio_read32 is not null ? _afu->mmio_read32(_afu->state, offset) : base.ReadMmio32(offset);

    public override void WriteMmio32(ulong offset, uint value)
    {
        if (_afu->mmio_write32 is not null)
        {
            _afu->mmio_write32(_afu->state, offset, value);
        }
        else
        {
            base.WriteMmio32(offset, value);
        }
    }

    public override void Reset()
    {
        if (_afu->reset is not null)
        {
            _afu->reset(_afu->state);
        }
    }

    protected override void OnDetached() => Destroy();

    private static nint Load(string path)
    {
        lock (s_librariesLock)
        {
            if (s_creates.TryGetValue(path, out var known))
            {
                return known;
            }

            nint library;
            try
            {
                library = NativeLibrary.Load(path);
            }
            catch (DllNotFoundException e)
            {
                throw new OpaeException(FpgaResult.NotFound, $"the AFU plugin {path} could not be loaded: {e.Message}", e);
            }
            catch (BadImageFormatException e)
            {
                throw new OpaeException(FpgaResult.NotFound, $"the AFU plugin {path} is not a shared library for this machine: {e.Message}", e);
            }

            if (!NativeLibrary.TryGetExport(library, CreateSymbol, out var create))
            {
                throw new OpaeException(FpgaResult.NotFound, $"the AFU plugin {path} does not export {CreateSymbol} (see opae/sim-afu.h)");
            }

            s_creates[path] = create;
            return create;
        }
    }

    private void Destroy()
    {
        if (Interlocked.Exchange(ref _destroyed, 1) != 0)
        {
            return;
        }

        if (_afu->destroy is not null)
        {
            _afu->destroy(_afu->state);
        }

        Free();
    }

    private void Free()
    {
        if (_self.IsAllocated)
        {
            _self.Free();
        }

        // The struct stays: a late callback through a stale model must read NULLs, not freed memory.
        NativeMemory.Clear(_afu, (nuint)sizeof(opae_sim_afu));
    }

    private static string Text(byte* bytes, int capacity)
    {
        var span = new ReadOnlySpan<byte>(bytes, capacity);
        var end = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? span : span[..end]).Trim();
    }

    private static opae_sim_afu_host* MakeHost()
    {
        var host = (opae_sim_afu_host*)NativeMemory.AllocZeroed((nuint)sizeof(opae_sim_afu_host));
        host->abi_version = AbiVersion;
        host->dma_read = &HostDmaRead;
        host->dma_write = &HostDmaWrite;
        host->raise_interrupt = &HostRaiseInterrupt;
        host->set_port_error = &HostSetPortError;
        host->run = &HostRun;
        host->stopping = &HostStopping;
        host->delay = &HostDelay;
        host->now_ns = &HostNow;
        host->registers = &HostRegisters;
        host->log = &HostLog;
        return host;
    }

    /// <summary>The placed model a context pointer names, or null (not yet placed, destroyed, garbage).</summary>
    private static AfuContext? ContextOf(nint context)
    {
        if (context == 0)
        {
            return null;
        }

        var handle = GCHandle.FromIntPtr(context);
        return handle.IsAllocated && handle.Target is NativeAfuPlugin { IsAttached: true } plugin ? plugin.Context : null;
    }

    [UnmanagedCallersOnly]
    private static int HostDmaRead(nint context, ulong ioAddress, void* destination, ulong length) =>
        HostDma(context, ioAddress, (byte*)destination, length, static (afu, address, memory, chunk) => afu.ReadDma(address, new Span<byte>(memory, chunk)));

    [UnmanagedCallersOnly]
    private static int HostDmaWrite(nint context, ulong ioAddress, void* source, ulong length) =>
        HostDma(context, ioAddress, (byte*)source, length, static (afu, address, memory, chunk) => afu.WriteDma(address, new ReadOnlySpan<byte>(memory, chunk)));

    /// <summary>
    /// A plugin's DMA request in chunks a span can hold (its length is 64-bit); 0 when the whole
    /// range moved, -1 when the context, pointer or any chunk was refused. Nothing may escape to C.
    /// </summary>
    private static int HostDma(nint context, ulong ioAddress, byte* memory, ulong length, DmaChunk move)
    {
        try
        {
            if (ContextOf(context) is not { } afu || (memory is null && length > 0))
            {
                return -1;
            }

            for (ulong done = 0; done < length;)
            {
                var chunk = (int)Math.Min(length - done, 1 << 30);
                if (!move(afu, ioAddress + done, memory + done, chunk))
                {
                    return -1;
                }

                done += (ulong)chunk;
            }

            return 0;
        }
        catch (Exception)
        {
            return -1;
        }
    }

    private delegate bool DmaChunk(AfuContext afu, ulong ioAddress, byte* memory, int length);

    [UnmanagedCallersOnly]
    private static int HostRaiseInterrupt(nint context, uint vector)
    {
        try
        {
            return ContextOf(context) is { } afu && vector <= int.MaxValue && afu.RaiseInterrupt((int)vector) ? 0 : -1;
        }
        catch (Exception)
        {
            return -1;
        }
    }

    [UnmanagedCallersOnly]
    private static void HostSetPortError(nint context, ulong bits)
    {
        try
        {
            ContextOf(context)?.SetPortError(bits);
        }
        catch (Exception)
        {
            // Nothing to report to a void function; the register simply stays as it was.
        }
    }

    [UnmanagedCallersOnly]
    private static int HostRun(nint context, nint work, void* argument)
    {
        try
        {
            if (ContextOf(context) is not { } afu || work == 0)
            {
                return -1;
            }

            var arg = (nint)argument;
            return afu.Run(_ => ((delegate* unmanaged<nint, void*, void>)work)(context, (void*)arg)) ? 0 : -1;
        }
        catch (Exception)
        {
            return -1;
        }
    }

    [UnmanagedCallersOnly]
    private static int HostStopping(nint context)
    {
        try
        {
            return ContextOf(context) is { } afu ? (afu.IsStopping ? 1 : 0) : 1;
        }
        catch (Exception)
        {
            return 1;
        }
    }

    [UnmanagedCallersOnly]
    private static int HostDelay(nint context, ulong nanoseconds)
    {
        try
        {
            return ContextOf(context) is { } afu && afu.Delay(TimeSpan.FromTicks((long)Math.Min(nanoseconds / 100, (ulong)TimeSpan.MaxValue.Ticks))) ? 0 : -1;
        }
        catch (Exception)
        {
            return -1;
        }
    }

    [UnmanagedCallersOnly]
    private static ulong HostNow(nint context)
    {
        try
        {
            return ContextOf(context) is { } afu ? (ulong)(afu.Now.Ticks * 100) : 0;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    [UnmanagedCallersOnly]
    private static byte* HostRegisters(nint context)
    {
        try
        {
            return ContextOf(context) is { } afu ? (byte*)afu.RegisterFileAddress : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

    [UnmanagedCallersOnly]
    private static void HostLog(nint context, byte* message)
    {
        try
        {
            if (message is not null)
            {
                var name = ContextOf(context) is { } afu ? $"card {afu.Card} port {afu.Port}" : "plugin";
                OpaeLogging.Logger.LogInformation("simulated AFU ({Where}): {Message}", name, Marshal.PtrToStringUTF8((nint)message));
            }
        }
        catch (Exception)
        {
            // Logging must never fail the plugin.
        }
    }
}
