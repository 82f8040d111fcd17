namespace OpaeSharp.Simulation;

/// <summary>
/// One entry of an AFU's device feature header (DFH) chain, the linked list software walks from
/// MMIO offset 0 to find what the accelerator implements. The simulator writes each entry's header
/// (and, for an AFU or building block, its GUID) into the register file at <see cref="Offset"/>,
/// links the entries in order and marks the last one end-of-list.
/// </summary>
/// <param name="Offset">Byte offset of the header in MMIO region 0 (8-byte aligned, entries in increasing order).</param>
/// <param name="Type">Feature type in DFH bits 63:60: 1 AFU, 2 building block (BBB), 3 private feature.</param>
/// <param name="FeatureId">Feature id in DFH bits 11:0.</param>
/// <param name="Revision">Revision in DFH bits 15:12.</param>
/// <param name="Guid">The GUID at <see cref="Offset"/> + 8 (low half) and + 0x10 (high half); only AFUs and building blocks have one.</param>
public sealed record AfuFeature(ulong Offset, byte Type, ushort FeatureId, byte Revision, Guid? Guid)
{
    /// <summary>DFH feature type of an accelerator function.</summary>
    public const byte AfuType = 1;

    /// <summary>DFH feature type of a building block (BBB).</summary>
    public const byte BuildingBlockType = 2;

    /// <summary>DFH feature type of a private feature.</summary>
    public const byte PrivateType = 3;

    /// <summary>The AFU header: type 1 with the AFU's id as its GUID (at offset 0 unless told).</summary>
    public static AfuFeature Afu(Guid afuId, ulong offset = 0, byte revision = 0) => new(offset, AfuType, 0, revision, afuId);

    /// <summary>A building block with its own GUID.</summary>
    public static AfuFeature BuildingBlock(Guid id, ulong offset, byte revision = 0) => new(offset, BuildingBlockType, 0, revision, id);

    /// <summary>A private feature: a header with an id, no GUID.</summary>
    public static AfuFeature Private(ushort featureId, ulong offset, byte revision = 0) => new(offset, PrivateType, featureId, revision, null);

    /// <summary>Bytes the header occupies (and that software cannot write): the DFH, plus the GUID where there is one.</summary>
    public ulong HeaderBytes => Guid is null ? 8UL : 0x18UL;

    /// <summary>The 64-bit DFH value, given the byte distance to the next entry (0 and <paramref name="last"/> for the end of the list).</summary>
    public ulong HeaderValue(ulong nextOffset, bool last) =>
        ((ulong)(Type & 0xF) << 60)
        | (last ? 1UL << 40 : 0)
        | ((nextOffset & 0xFF_FFFF) << 16)
        | ((ulong)(Revision & 0xF) << 12)
        | (FeatureId & 0xFFFUL);

    /// <summary>OPAE's split of a GUID into the two 64-bit registers that follow the header: (low, high).</summary>
    internal static (ulong Low, ulong High) GuidRegisters(Guid guid)
    {
        Span<byte> bytes = stackalloc byte[16];
        guid.TryWriteBytes(bytes, bigEndian: true, out _);
        return (System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]), System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes));
    }
}
