using OpaeSharp.Devices.Simulated.Afus;

namespace OpaeSharp.Tests.Devices.Simulated.Afus;

/// <summary>The OFS dummy AFU to the register protocol of OPAE's dummy_afu (mmio, lpbk, ddr).</summary>
public sealed class DummyAfuTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public unsafe void The_scratchpads_hold_what_a_mapped_pointer_writes()
    {
        using var acc = TestSim.Open(TestSim.Create("dummy-afu"), DummyAfu.Id);
        var mmio = (byte*)acc.MapMmio();
        *(uint*)(mmio + DummyAfu.Scratchpad) = 0xc0c0cafe;
        Assert.Equal(0xc0c0cafeu, *(uint*)(mmio + DummyAfu.Scratchpad));
        for (ulong i = 0; i < 64; i++)
        {
            *(ulong*)(mmio + DummyAfu.MmioTestScratchpad + (i * 8)) = (0xc0c0cafeUL << 32) | i;
        }

        for (ulong i = 0; i < 64; i++)
        {
            Assert.Equal((0xc0c0cafeUL << 32) | i, acc.ReadMmio64(DummyAfu.MmioTestScratchpad + (i * 8)));
        }
    }

    [Fact]
    public void Lpbk_copies_one_line_and_raises_vector_0()
    {
        using var acc = TestSim.Open(TestSim.Create("dummy-afu"), DummyAfu.Id);
        using var done = TestSim.Interrupt(acc, 0);
        using var source = acc.PrepareBuffer(64);
        using var destination = acc.PrepareBuffer(64);
        Random.Shared.NextBytes(source.Span[..64]);

        acc.WriteMmio64(DummyAfu.MemTestSrcAddr, source.IoAddress);
        acc.WriteMmio64(DummyAfu.MemTestDstAddr, destination.IoAddress);
        acc.WriteMmio64(DummyAfu.MemTestCtrl, 0);
        acc.WriteMmio64(DummyAfu.MemTestCtrl, 1);

        Assert.Equal(1UL, TestSim.WaitInterrupt(done, Timeout));
        Assert.Equal(-1, source.Compare(destination, 64));
    }

    [Fact]
    public unsafe void The_ddr_test_passes_every_bank_and_reset_clears_their_status()
    {
        using var acc = TestSim.Open(TestSim.Create("dummy-afu"), DummyAfu.Id);
        var bank0 = (ulong*)((byte*)acc.MapMmio() + DummyAfu.DdrTestBank0Stat);
        Assert.Equal(4UL, acc.ReadMmio64(DummyAfu.DdrTestStat) & 0xFF);
        acc.WriteMmio64(DummyAfu.DdrTestCtrl, 0);
        acc.WriteMmio64(DummyAfu.DdrTestCtrl, 0xF);

        for (var bank = 0; bank < 4; bank++)
        {
            var stat = bank0 + bank;
            Assert.True(SpinWait.SpinUntil(() => (Volatile.Read(ref *stat) & 0b111) != 0, Timeout));
            Assert.Equal(DummyAfu.Pass, Volatile.Read(ref *stat) & 0b111);
        }

        acc.Reset();
        Assert.Equal(0UL, *bank0 & 0b111);
    }
}
