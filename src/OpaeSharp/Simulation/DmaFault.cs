namespace OpaeSharp.Simulation;

/// <summary>
/// A device access the simulated IOMMU refused. On hardware such an access corrupts memory or is
/// dropped silently; the simulator records it and leaves host memory untouched.
/// </summary>
/// <param name="Kind">Why the access was refused.</param>
/// <param name="IoAddress">First IO address of the access.</param>
/// <param name="Length">Bytes the access covered.</param>
/// <param name="IsWrite">True for a device write to host memory, false for a read.</param>
/// <param name="Initiator">The accelerator function that made the access (for example "nlb0").</param>
public sealed record DmaFault(DmaFaultKind Kind, ulong IoAddress, ulong Length, bool IsWrite, string Initiator)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"DMA fault ({Kind}): {Initiator} {(IsWrite ? "write" : "read")} of {Length} bytes at IO address 0x{IoAddress:x}";
}
