namespace OpaeSharp.Simulation;

/// <summary>
/// An accelerator function (AFU) for the simulated card: what it is (<see cref="AfuId"/>, MMIO size,
/// DFH chain, interrupt vectors) and what it does when software touches its registers. Derive from
/// it, register it with <see cref="SimulatorConfiguration.AddModel"/>, and OPAE programs and
/// <see cref="Accelerator"/> find it like hardware.
/// </summary>
/// <remarks>
/// <para>
/// Registers live in a register file (<see cref="AfuContext.ReadRegister64"/> and friends), which is
/// also the memory a program gets from <c>fpgaMapMMIO</c>. By default a read returns the register
/// file and a write stores into it, except for the DFH headers of <see cref="Features"/>, which are
/// read-only. Override <see cref="WriteMmio64"/> (and, for registers that are computed,
/// <see cref="ReadMmio64"/>) to give registers side effects. 32-bit accesses are served from the
/// 64-bit handlers (a 32-bit write reaches <see cref="WriteMmio64"/> with the other half of the
/// register unchanged) unless <see cref="ReadMmio32"/> and <see cref="WriteMmio32"/> are overridden.
/// Writes through a mapped pointer reach the register file only: no handler runs for them, as no
/// software-visible event tells hardware either — keep side-effect registers to the MMIO calls.
/// </para>
/// <para>
/// Threading: MMIO handlers run on the program's thread, possibly several at once; work that takes
/// time goes to the AFU's own worker (<see cref="AfuContext.Run"/>), as hardware runs beside the
/// host. <see cref="Reset"/> runs after the worker's current work was cancelled and has returned.
/// Host memory is reached only by IO address through <see cref="Context"/> (the simulated IOMMU),
/// never by pointer. An exception thrown by a handler becomes an FPGA_EXCEPTION result for the
/// program; one thrown by work on the worker is logged and ends that work.
/// </para>
/// </remarks>
public abstract class AfuModel
{
    private AfuContext? _context;

    /// <summary>The AFU id software enumerates by (OPAE's accelerator GUID), also in the AFU header's GUID registers.</summary>
    public abstract Guid AfuId { get; }

    /// <summary>A short name for logs and DMA faults ("nlb0", "my-afu"); the type's name unless overridden.</summary>
    public virtual string Name => GetType().Name;

    /// <summary>Size of MMIO region 0 in bytes (a multiple of 4 KiB); 256 KiB unless overridden.</summary>
    public virtual ulong MmioSize => 256 * 1024;

    /// <summary>Interrupt vectors the AFU can raise (0 to <see cref="InterruptCount"/> - 1); none unless overridden.</summary>
    public virtual int InterruptCount => 0;

    /// <summary>The DFH chain, first entry at offset 0; the AFU header alone unless overridden.</summary>
    public virtual IReadOnlyList<AfuFeature> Features => [AfuFeature.Afu(AfuId)];

    /// <summary>The simulator's side of the AFU: DMA, interrupts, port errors, the register file, the worker, the clock.</summary>
    /// <exception cref="InvalidOperationException">The model has not been placed in a port yet.</exception>
    public AfuContext Context => _context ?? throw new InvalidOperationException($"{Name} has not been placed in a simulated port yet");

    /// <summary>Reads the 64-bit register at <paramref name="offset"/> (8-byte aligned, inside <see cref="MmioSize"/>).</summary>
    public virtual ulong ReadMmio64(ulong offset) => Context.ReadRegister64(offset);

    /// <summary>Writes the 64-bit register at <paramref name="offset"/>; by default stores it unless it is part of a DFH header.</summary>
    public virtual void WriteMmio64(ulong offset, ulong value)
    {
        if (!Context.IsHeader(offset))
        {
            Context.WriteRegister64(offset, value);
        }
    }

    /// <summary>Reads the 32-bit register at <paramref name="offset"/> (4-byte aligned): by default the half of <see cref="ReadMmio64"/>.</summary>
    public virtual uint ReadMmio32(ulong offset)
    {
        var word = ReadMmio64(offset & ~7UL);
        return (offset & 4) == 0 ? (uint)word : (uint)(word >> 32);
    }

    /// <summary>Writes the 32-bit register at <paramref name="offset"/>: by default a <see cref="WriteMmio64"/> of the merged 64-bit register.</summary>
    public virtual void WriteMmio32(ulong offset, uint value)
    {
        var aligned = offset & ~7UL;
        var current = Context.ReadRegister64(aligned);
        var merged = (offset & 4) == 0
            ? (current & 0xFFFF_FFFF_0000_0000) | value
            : (current & 0xFFFF_FFFF) | ((ulong)value << 32);
        WriteMmio64(aligned, merged);
    }

    /// <summary>Writes 64 bytes at <paramref name="offset"/> (64-byte aligned; <c>fpgaWriteMMIO512</c>): by default eight <see cref="WriteMmio64"/> calls in order.</summary>
    public virtual void WriteMmio512(ulong offset, ReadOnlySpan<byte> value)
    {
        for (var i = 0; i < 8; i++)
        {
            WriteMmio64(offset + (ulong)(i * 8), System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(value[(i * 8)..]));
        }
    }

    /// <summary>
    /// Port reset (<c>fpgaReset</c>, and when the last handle closes): the register file has been
    /// cleared and the DFH chain rewritten; put registers with non-zero power-on values back.
    /// </summary>
    public virtual void Reset()
    {
    }

    /// <summary>Called once when the model is placed in a port, before any other call; <see cref="Context"/> is set.</summary>
    protected virtual void OnAttached()
    {
    }

    /// <summary>Called once when the model leaves its port (another AFU was loaded into it); no call follows.</summary>
    protected virtual void OnDetached()
    {
    }

    internal bool IsAttached => Volatile.Read(ref _context) is not null;

    internal void Detach() => OnDetached();

    internal void Attach(AfuContext context)
    {
        if (Interlocked.CompareExchange(ref _context, context, null) is not null)
        {
            throw new InvalidOperationException($"{Name} is already placed in a simulated port; a model instance serves one port (register a factory)");
        }

        OnAttached();
    }
}
