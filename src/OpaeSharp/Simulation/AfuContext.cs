using System.Buffers.Binary;
using OpaeSharp.Devices.Simulated;

namespace OpaeSharp.Simulation;

/// <summary>
/// What the simulated card gives the AFU model placed in one of its ports: DMA to host memory by
/// IO address (through the simulated IOMMU, which refuses and records bad accesses, and the card's
/// link model, which paces them), interrupts, the port's error register, the register file, a
/// worker thread, and the AFU's clock. Get it from <see cref="AfuModel.Context"/>.
/// </summary>
/// <remarks>
/// Thread-safe. DMA and <see cref="Delay"/> wait as the link model says; a reset of the port
/// cancels those waits (they return false) so that work running on the worker ends promptly.
/// </remarks>
public sealed class AfuContext
{
    private readonly SimulatedPort _port;

    internal AfuContext(SimulatedPort port) => _port = port;

    /// <summary>Index of the card in the simulator.</summary>
    public int Card => _port.Card.Index;

    /// <summary>Index of the port on its card.</summary>
    public int Port => _port.Index;

    /// <summary>The clock the simulator runs on (<see cref="TimeProvider.System"/> unless the configuration gave another).</summary>
    public TimeProvider Time => _port.Clock.Link.Time;

    /// <summary>
    /// Time since the card was made, on this AFU's clock: real time, or later when paced DMA has
    /// run ahead of it. Measure tick counters with it and they follow the link model.
    /// </summary>
    public TimeSpan Now => _port.Clock.Elapsed;

    /// <summary>The card's link model, or null when DMA runs as fast as the host copies.</summary>
    public LinkModel? Link => _port.Clock.Link.Model;

    /// <summary>True when a reset (or the last close) asked the current work to end.</summary>
    public bool IsStopping => _port.Worker.Token.IsCancellationRequested;

    /// <summary>True while work queued with <see cref="Run"/> has not finished.</summary>
    public bool IsWorking => _port.Worker.IsBusy;

    /// <summary>Reads <paramref name="destination"/>.Length bytes of host memory at <paramref name="ioAddress"/>; false when the IOMMU refused (recorded as a <see cref="DmaFault"/>), a fault was injected, or the port was reset meanwhile.</summary>
    public bool ReadDma(ulong ioAddress, Span<byte> destination)
    {
        if (!_port.BeforeDma(ioAddress, (ulong)destination.Length, read: (ulong)destination.Length, write: 0))
        {
            return false;
        }

        return _port.Dma.TryRead(ioAddress, destination);
    }

    /// <summary>Writes <paramref name="source"/> to host memory at <paramref name="ioAddress"/>; false when refused (see <see cref="ReadDma"/>).</summary>
    public bool WriteDma(ulong ioAddress, ReadOnlySpan<byte> source)
    {
        if (!_port.BeforeDma(ioAddress, (ulong)source.Length, read: 0, write: (ulong)source.Length))
        {
            return false;
        }

        return _port.Dma.TryWrite(ioAddress, source);
    }

    /// <summary>Copies <paramref name="length"/> bytes of host memory from <paramref name="source"/> to <paramref name="destination"/> (a device-side read then write); false when refused.</summary>
    public bool CopyDma(ulong source, ulong destination, ulong length)
    {
        if (!_port.BeforeCopy(source, destination, length))
        {
            return false;
        }

        return _port.Dma.TryCopy(source, destination, length);
    }

    /// <summary>Reads a little-endian u64 of host memory; false when refused.</summary>
    public bool ReadDma64(ulong ioAddress, out ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        var ok = ReadDma(ioAddress, bytes);
        value = ok ? BinaryPrimitives.ReadUInt64LittleEndian(bytes) : 0;
        return ok;
    }

    /// <summary>Writes a little-endian u64 to host memory; false when refused.</summary>
    public bool WriteDma64(ulong ioAddress, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        return WriteDma(ioAddress, bytes);
    }

    /// <summary>
    /// Raises interrupt vector <paramref name="vector"/>: the event a program registered for it
    /// (<c>fpgaRegisterEvent(FPGA_EVENT_INTERRUPT)</c>) fires. False when nothing was signalled (no
    /// event registered, a vector the model did not declare, or a dropped-interrupt fault).
    /// </summary>
    public bool RaiseInterrupt(int vector) => _port.RaiseInterrupt(vector);

    /// <summary>Sets <paramref name="bits"/> in the port's <c>errors</c> register (the first error is latched in <c>first_error</c>); an FPGA_EVENT_ERROR fires.</summary>
    public void SetPortError(ulong bits) => _port.Errors.Set(SimulatedPort.ErrorsRegister, bits);

    /// <summary>The port's <c>errors</c> register.</summary>
    public ulong PortErrors => _port.Errors.Read(SimulatedPort.ErrorsRegister);

    /// <summary>Reads the register file (no handler runs): 8-byte aligned, inside the MMIO size.</summary>
    public ulong ReadRegister64(ulong offset) => _port.Registers.Read64(offset);

    /// <summary>Stores into the register file, where MMIO reads and mapped pointers see it (no handler runs).</summary>
    public void WriteRegister64(ulong offset, ulong value) => _port.Registers.Write64(offset, value);

    /// <summary>Reads 32 bits of the register file (4-byte aligned).</summary>
    public uint ReadRegister32(ulong offset) => _port.Registers.Read32(offset);

    /// <summary>Stores 32 bits into the register file (4-byte aligned).</summary>
    public void WriteRegister32(ulong offset, uint value) => _port.Registers.Write32(offset, value);

    /// <summary>Where the register file is in memory (for C plugins, which access it directly).</summary>
    internal nint RegisterFileAddress => _port.Registers.Address;

    /// <summary>True when <paramref name="offset"/> falls in a DFH header of the model's <see cref="AfuModel.Features"/> (read-only to software).</summary>
    public bool IsHeader(ulong offset) => _port.IsHeader(offset);

    /// <summary>
    /// Queues <paramref name="work"/> on the AFU's worker thread; work runs one at a time, in order.
    /// The token is cancelled when the port is reset or closed: long work checks it (or
    /// <see cref="IsStopping"/>) and returns. False, and nothing queued, while no handle has the
    /// port open (the worker exists only then).
    /// </summary>
    public bool Run(Action<CancellationToken> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return _port.Worker.Post(work);
    }

    /// <summary>
    /// Cancels the running work and drops queued work, then waits for the running work to return:
    /// an AFU's own reset (a control register's reset bit). Called from the work itself it only cancels.
    /// </summary>
    public void CancelWork() => _port.Worker.CancelAndWait();

    /// <summary>Lets <paramref name="span"/> pass on the AFU's clock (processing time of a model); false when the port was reset meanwhile.</summary>
    public bool Delay(TimeSpan span) => _port.Clock.Delay(span, _port.Worker.Token);

    /// <summary>Arms <paramref name="fault"/> on this port (a model that misbehaves on purpose).</summary>
    public void Inject(InjectedFault fault) => _port.Inject(fault);
}
