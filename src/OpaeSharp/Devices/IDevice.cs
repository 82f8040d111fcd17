using OpaeSharp.Dma;

namespace OpaeSharp.Devices;

/// <summary>
/// The driver boundary: one open accelerator as a backend sees it — what its driver can do with a
/// buffer (<see cref="Capabilities"/>), how buffers are mapped for its DMA (<see cref="Dma"/>), and
/// its MMIO registers. FPGA_DEVICE objects are not devices here: a handle on one opens nothing of a
/// backend. The layer above validates arguments, so a device sees only well-formed requests.
/// </summary>
/// <remarks>
/// MMIO members and <see cref="Reset"/> throw <see cref="OpaeException"/> with the OPAE result code
/// of the cause. Implementations are thread-safe.
/// </remarks>
internal interface IDevice : IDisposable
{
    DeviceCapabilities Capabilities { get; }

    /// <summary>Maps buffers for the device's DMA and gives their IO addresses.</summary>
    IDmaMapper Dma { get; }

    /// <summary>Size in bytes of MMIO region <paramref name="region"/>, or 0 when there is no such region.</summary>
    ulong MmioSize(uint region);

    uint ReadMmio32(uint region, ulong offset);

    ulong ReadMmio64(uint region, ulong offset);

    void WriteMmio32(uint region, ulong offset, uint value);

    void WriteMmio64(uint region, ulong offset, ulong value);

    /// <summary>
    /// Writes 64 bytes at a 64-byte aligned <paramref name="offset"/> as one 512-bit access
    /// (<c>fpgaWriteMMIO512</c>); NOT_SUPPORTED where the backend or the CPU cannot make one.
    /// </summary>
    void WriteMmio512(uint region, ulong offset, ReadOnlySpan<byte> value);

    /// <summary>A pointer to MMIO region <paramref name="region"/> mapped into the process, or 0 when MMIO only goes through the read/write calls.</summary>
    nint MapMmio(uint region);

    /// <summary>
    /// Binds the process's address space to the device through the IOMMU (shared virtual
    /// addressing) and gives the PASID; NOT_SUPPORTED where the driver or platform cannot. Once bound
    /// it stays bound until the device is disposed, and binding again gives the same PASID.
    /// </summary>
    Status BindSva(out uint pasid);

    /// <summary>Resets the accelerator function.</summary>
    void Reset();

    /// <summary>The accelerator's interrupt vectors, or null where the backend cannot route them (yet).</summary>
    IInterruptLines? Interrupts { get; }

    /// <summary>The port's error reporting interrupt (FPGA_EVENT_ERROR on an accelerator handle), or null where there is none.</summary>
    IInterruptLines? ErrorInterrupts { get; }
}
