using System.Buffers.Binary;
using OpaeSharp.Devices.Vfio;

namespace OpaeSharp.Tests.Devices.Vfio;

public sealed class VfioIommuInfoTests
{
    [Fact]
    public void The_iova_range_and_dma_avail_capabilities_are_read_from_the_chain()
    {
        var bytes = new byte[24 + 16 + 32 + 12];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)bytes.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 3);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), 0x4020_1000);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), 24);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(24), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(28), 72);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(32), 2);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(40), 0);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(48), 0xfedf_ffff);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(56), 0xfef0_0000);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(64), 0xff_ffff_ffff);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(72), 3);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(80), 65000);

        var info = VfioIommuInfo.Parse(bytes);

        Assert.Equal([(0UL, 0xfedf_ffffUL), (0xfef0_0000UL, 0xff_ffff_ffffUL)], info.Ranges);
        Assert.Equal(4096UL, info.MinPageSize);
        Assert.Equal(65000u, info.DmaAvailable);
    }

    [Fact]
    public void Without_an_iova_range_capability_the_whole_space_is_usable()
    {
        var bytes = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, 24);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), 0x1000);

        var info = VfioIommuInfo.Parse(bytes);

        Assert.Equal([(0UL, ulong.MaxValue)], info.Ranges);
    }

    [Fact]
    public void Windows_skip_the_reserved_hole_and_stop_at_the_address_width()
    {
        var info = new VfioIommuInfo([(0, 0xfedf_ffff), (0xfef0_0000, 0xff_ffff_ffff)], 0x1000, null);

        var windows = VfioSession.Windows(info, new VfioOptions { DmaAddressBits = 28 });

        var window = Assert.Single(windows);
        Assert.Equal(0x10_0000UL, window.Start);
        Assert.Equal(1UL << 28, window.End);
    }
}
