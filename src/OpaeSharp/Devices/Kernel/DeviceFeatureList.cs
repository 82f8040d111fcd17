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

    /// <summary>
    /// The child AFUs a parent AFU names (OFS multi-port AFUs): the AFU header at offset 0 must be a
    /// DFH v1 (version in bits 59:52 non-zero) with feature id 0 (bits 11:0) and a parameter block
    /// (bit 31 of the u64 at 0x20); parameter id 2 (bits 15:0 of a parameter header, next parameter
    /// in bits 63:35 in u64s, end of parameters in bit 32) lists child GUIDs, low u64 first, from
    /// the u64 after its header. Empty for any other AFU.
    /// </summary>
    internal static IReadOnlyList<Guid> ChildAfus(Func<ulong, ulong> read64, ulong size)
    {
        if (size < 0x30)
        {
            return [];
        }

        var header = read64(0);
        if (header >> TypeShift != TypeAfu || ((header >> 52) & 0xff) == 0 || (header & 0xfff) != 0)
        {
            return [];
        }

        if (((read64(0x20) >> 31) & 1) == 0)
        {
            return [];
        }

        ulong offset = 0x28;
        for (var count = 0; count < MaxHeaders && offset <= size - 8; count++)
        {
            var parameter = read64(offset);
            if ((parameter & 0xffff) == 2)
            {
                var children = new List<Guid>();
                var first = offset + 8;
                var listed = parameter >> 36;
                for (ulong i = 0; i < listed && first + (i * 16) + 16 <= size; i++)
                {
                    children.Add(ToGuid(read64(first + (i * 16)), read64(first + (i * 16) + 8)));
                }

                return children;
            }

            var next = parameter >> 35;
            if (((parameter >> 32) & 1) != 0 || next == 0)
            {
                break;
            }

            offset += next * 8;
        }

        return [];
    }
}
