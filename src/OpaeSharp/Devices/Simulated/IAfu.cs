namespace OpaeSharp.Devices.Simulated;

/// <summary>An accelerator function inside a simulated card: an MMIO register file plus whatever it does with DMA.</summary>
internal interface IAfu
{
    Guid AfuId { get; }

    ulong MmioSize { get; }

    ulong Read64(ulong offset);

    void Write64(ulong offset, ulong value);

    uint Read32(ulong offset);

    void Write32(ulong offset, uint value);

    /// <summary>Port reset: stops any work and returns the registers to their power-on values.</summary>
    void Reset();
}
