namespace OpaeSharp.Devices;

/// <summary>Which way the device may move data for a mapping.</summary>
[Flags]
internal enum DmaAccess
{
    /// <summary>The device may read host memory (host to device).</summary>
    Read = 1,

    /// <summary>The device may write host memory (device to host).</summary>
    Write = 2,

    ReadWrite = Read | Write,
}

/// <summary>
/// The driver boundary: one open accelerator as a backend sees it. Implementations throw
/// <see cref="OpaeException"/> with the OPAE result code for the cause; the layer above validates
/// arguments, so a device sees only well-formed requests.
/// </summary>
internal interface IDevice : IDisposable
{
    /// <summary>True when the driver maps a buffer as one physically contiguous range (DFL).</summary>
    bool RequiresContiguousBuffers { get; }

    /// <summary>True when the device can be told it may only read a buffer.</summary>
    bool SupportsReadOnly { get; }

    /// <summary>True when this handle can map DMA at all (an FPGA_DEVICE handle cannot).</summary>
    bool SupportsDma { get; }

    /// <summary>Size in bytes of MMIO region <paramref name="region"/>, or 0 when there is no such region.</summary>
    ulong MmioSize(uint region);

    /// <summary>Maps pinned host memory for device DMA and returns its IO address.</summary>
    ulong MapDma(nint address, ulong length, ulong pageSize, DmaAccess access);

    /// <summary>Removes a mapping made by <see cref="MapDma"/>. After it returns the device cannot reach the memory.</summary>
    void UnmapDma(ulong iova, ulong length);

    uint ReadMmio32(uint region, ulong offset);

    ulong ReadMmio64(uint region, ulong offset);

    void WriteMmio32(uint region, ulong offset, uint value);

    void WriteMmio64(uint region, ulong offset, ulong value);

    /// <summary>A pointer to MMIO region <paramref name="region"/> mapped into the process, or 0 when MMIO only goes through the read/write calls.</summary>
    nint MapMmio(uint region);

    /// <summary>Resets the accelerator function.</summary>
    void Reset();

    /// <summary>DMA faults the device recorded (the simulator's sanitizer; empty on hardware).</summary>
    IReadOnlyList<DmaFault> DmaFaults { get; }
}
