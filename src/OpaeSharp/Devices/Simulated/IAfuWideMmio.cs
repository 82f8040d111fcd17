namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// An AFU model that takes a 512-bit MMIO write (<c>fpgaWriteMMIO512</c>) as one access, as a
/// device that decodes 64-byte writes does. Models without it see the 64 bytes as eight 64-bit
/// writes at ascending offsets, which is what a register file of 64-bit registers makes of them.
/// </summary>
internal interface IAfuWideMmio
{
    /// <summary>One 64-byte write at a 64-byte aligned <paramref name="offset"/>.</summary>
    void Write512(ulong offset, ReadOnlySpan<byte> value);
}
