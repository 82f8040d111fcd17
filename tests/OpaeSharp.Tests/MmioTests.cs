using OpaeSharp.Devices.Simulated.Afus;
using OpaeSharp.Devices.Simulated;

namespace OpaeSharp.Tests;

public sealed class MmioTests
{
    [Fact]
    public void The_afu_id_reads_back_from_mmio_as_two_halves()
    {
        using var acc = TestSim.Open();
        Assert.Equal(0xF89E433683F9040BUL, acc.ReadMmio64(Nlb0Afu.AfuIdLow));
        Assert.Equal(0xD8424DC4A4A3C413UL, acc.ReadMmio64(Nlb0Afu.AfuIdHigh));
        Assert.Equal(1UL, acc.ReadMmio64(Nlb0Afu.Dfh) >> 60);
    }

    [Fact]
    public void A_register_written_with_64_bits_reads_back_as_two_32_bit_halves()
    {
        using var acc = TestSim.Open();
        acc.WriteMmio64(Nlb0Afu.SrcAddr, 0x1122334455667788);
        Assert.Equal(0x55667788u, acc.ReadMmio32(Nlb0Afu.SrcAddr));
        Assert.Equal(0x11223344u, acc.ReadMmio32(Nlb0Afu.SrcAddr + 4));
    }

    [Theory]
    [InlineData(2UL)]
    [InlineData(0x40000UL)]
    public void A_misaligned_or_out_of_range_32_bit_access_is_invalid_param(ulong offset)
    {
        using var acc = TestSim.Open();
        TestSim.Fails(FpgaResult.InvalidParam, () => acc.ReadMmio32(offset));
        TestSim.Fails(FpgaResult.InvalidParam, () => acc.WriteMmio32(offset, 1));
    }

    [Theory]
    [InlineData(4UL)]
    [InlineData(0x3FFFCUL)]
    public void A_misaligned_or_out_of_range_64_bit_access_is_invalid_param(ulong offset)
    {
        using var acc = TestSim.Open();
        TestSim.Fails(FpgaResult.InvalidParam, () => acc.ReadMmio64(offset));
        TestSim.Fails(FpgaResult.InvalidParam, () => acc.WriteMmio64(offset, 1));
    }

    [Fact]
    public void An_mmio_region_that_does_not_exist_is_invalid_param()
    {
        using var acc = TestSim.Open();
        TestSim.Fails(FpgaResult.InvalidParam, () => acc.ReadMmio64(0, region: 1));
    }

    [Fact]
    public unsafe void The_mapped_mmio_pointer_is_the_register_file_the_calls_see()
    {
        using var acc = TestSim.Open();
        var mmio = (ulong*)acc.MapMmio();
        Assert.True(mmio != null);
        Assert.Equal(0x40000UL, acc.GetMmioSize());
        Assert.Equal(acc.ReadMmio64(Nlb0Afu.AfuIdLow), mmio[Nlb0Afu.AfuIdLow / 8]);
        acc.WriteMmio64(Nlb0Afu.DstAddr, 0x1234);
        Assert.Equal(0x1234UL, mmio[Nlb0Afu.DstAddr / 8]);
        mmio[Nlb0Afu.SrcAddr / 8] = 0x5678;
        Assert.Equal(0x5678UL, acc.ReadMmio64(Nlb0Afu.SrcAddr));
    }

    [Fact]
    public void Reset_clears_the_programmed_registers()
    {
        using var acc = TestSim.Open();
        acc.WriteMmio64(Nlb0Afu.DstAddr, 42);
        acc.Reset();
        Assert.Equal(0UL, acc.ReadMmio64(Nlb0Afu.DstAddr));
    }
}
