namespace OpaeSharp.Devices.Kernel;

/// <summary>
/// Walks the Device Feature List an FPGA card keeps in BAR 0 (OFS/DFL format) to find the AFU and
/// its GUID, as OPAE's vfio plugin does: without a kernel driver nothing else says which AFU is loaded.
/// </summary>
/// <remarks>
/// A Device Feature Header is one u64: feature type in bits 63:60 (1 = AFU, 2 = BBB, 3 = private
/// feature, 4 = FIU, 5 = DFH v1 feature), end of list in bit 40, the byte offset of the next header
/// (relative to this one) in bits 39:16. An AFU's GUID follows its header as two u64: low half at
/// +0x8, high half at +0x10.
/// </remarks>
internal static class DeviceFeatureList
{
    internal const int TypeShift = 60;
    internal const ulong TypeAfu = 1;
    internal const ulong TypeLast = 5;
    internal const int EndOfListBit = 40;
    internal const int NextShift = 16;
    internal const ulong NextMask = 0xFF_FFFF;
    internal const ulong GuidLow = 0x8;
    internal const ulong GuidHigh = 0x10;

    // A list longer than this is a device that does not hold one (or a loop we must not follow).
    private const int MaxHeaders = 4096;

    /// <summary>The GUID OPAE reads from the two u64 of an AFU header: high half first, each big-endian.</summary>
    internal static Guid ToGuid(ulong low, ulong high)
    {
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, high);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], low);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>
    /// Follows the list from offset 0 of a region of <paramref name="size"/> bytes and returns the
    /// GUID of the first AFU header, or null with <paramref name="reason"/> saying why there is none.
    /// <paramref name="read64"/> reads the u64 at a byte offset and may throw <see cref="OpaeException"/>.
    /// </summary>
    internal static Guid? FindAfu(Func<ulong, ulong> read64, ulong size, out string reason)
    {
        ulong offset = 0;
        for (var count = 0; count < MaxHeaders; count++)
        {
            if (offset > size || size - offset < GuidHigh + 8)
            {
                reason = $"the feature list runs past the end of BAR 0 ({size} bytes) at 0x{offset:x} without an AFU";
                return null;
            }

            var header = read64(offset);
            var type = header >> TypeShift;
            if (type is 0 || type > TypeLast)
            {
                reason = count == 0
                    ? $"BAR 0 holds no device feature list (0x{header:x16} at 0x0 is not a feature header)"
                    : $"the feature list ends at 0x{offset:x} (0x{header:x16} is not a feature header) without an AFU";
                return null;
            }

            if (type == TypeAfu)
            {
                reason = "";
                return ToGuid(read64(offset + GuidLow), read64(offset + GuidHigh));
            }

            var next = (header >> NextShift) & NextMask;
            if ((header & (1UL << EndOfListBit)) != 0 || next == 0)
            {
                reason = $"the feature list ({count + 1} headers) has no AFU";
                return null;
            }

            offset += next;
        }

        reason = $"the feature list has more than {MaxHeaders} headers: not a device feature list";
        return null;
    }
}
