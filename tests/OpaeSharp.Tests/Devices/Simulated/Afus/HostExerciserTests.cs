using OpaeSharp.Devices.Simulated.Afus;
using OpaeSharp.Simulation;
using HE = OpaeSharp.Devices.Simulated.Afus.HostExerciserAfu;

namespace OpaeSharp.Tests.Devices.Simulated.Afus;

/// <summary>HE-LPBK and HE-MEM to the register protocol of OPAE's host_exerciser (2021).</summary>
public sealed class HostExerciserTests
{
    private const ulong Continuous = 1 << 1;
    private const ulong InterruptTest = 1UL << 29;
    private const ulong InterruptOnError = 1UL << 28;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void Lpbk_copies_num_lines_plus_one_and_sets_test_completed_in_the_dsm()
    {
        using var acc = TestSim.Open(TestSim.Create("he-lpbk"), HE.LoopbackId);
        using var buffers = new HostExerciserBuffers(acc, 2048);
        buffers.Source.Fill(0xAF);
        buffers.Destination.Fill(0xBE);

        buffers.Start(0, lines: 2048 / 64);

        Assert.True(buffers.Dsm.Poll<uint>(0, 1, 1, Timeout));
        Assert.Equal(-1, buffers.Source.Compare(buffers.Destination, 2048));
        Assert.Equal(32u, buffers.Dsm.Read<uint>((long)HE.DsmNumReads));
        Assert.Equal(32u, buffers.Dsm.Read<uint>((long)HE.DsmNumWrites));
        Assert.True(buffers.Dsm.Read<ulong>((long)HE.DsmNumTicks) > 0);
        var status0 = acc.ReadMmio64(HE.Status0);
        Assert.Equal(32UL, status0 >> 32);
        Assert.Equal(32UL, status0 & 0xFFFF_FFFF);
        Assert.Equal(0UL, acc.ReadMmio64(HE.Status1));
    }

    [Theory]
    [InlineData(1u, 16u, 0u)]
    [InlineData(2u, 0u, 16u)]
    [InlineData(3u, 16u, 16u)]
    public void Read_write_and_trput_modes_count_what_they_move(uint mode, uint reads, uint writes)
    {
        using var acc = TestSim.Open(TestSim.Create("he-lpbk"), HE.LoopbackId);
        using var buffers = new HostExerciserBuffers(acc, 1024);
        buffers.Start(mode << 2, lines: 16);

        Assert.True(buffers.Dsm.Poll<uint>(0, 1, 1, Timeout));
        Assert.Equal(reads, buffers.Dsm.Read<uint>((long)HE.DsmNumReads));
        Assert.Equal(writes, buffers.Dsm.Read<uint>((long)HE.DsmNumWrites));
    }

    [Fact]
    public void Interrupt_test_mode_raises_the_vector_of_interrupt0_when_done()
    {
        using var acc = TestSim.Open(TestSim.Create("he-lpbk"), HE.LoopbackId);
        using var buffers = new HostExerciserBuffers(acc, 2048);
        using var vector2 = TestSim.Interrupt(acc, 2);
        acc.WriteMmio32(HE.Interrupt0, 2u << 16);
        buffers.Source.Fill(0x11);

        buffers.Start(InterruptTest, lines: 32);

        Assert.Equal(1UL, TestSim.WaitInterrupt(vector2, Timeout));
        Assert.Equal(1u, buffers.Dsm.Read<uint>(0) & 1);
        Assert.Equal(-1, buffers.Source.Compare(buffers.Destination, 2048));
    }

    [Fact]
    public void Continuous_mode_runs_until_forced_completion()
    {
        using var acc = TestSim.Open(TestSim.Create("he-lpbk"), HE.LoopbackId);
        using var buffers = new HostExerciserBuffers(acc, 1024);
        buffers.Start(Continuous, lines: 16);

        Assert.True(SpinWait.SpinUntil(() => (acc.ReadMmio64(HE.Status0) >> 32) > 16, Timeout), "the test rolled over");
        Assert.Equal(0u, buffers.Dsm.Read<uint>(0));
        acc.WriteMmio32(HE.Ctl, 0b111);

        Assert.True(buffers.Dsm.Poll<uint>(0, 1, 1, Timeout));
        Assert.Equal(0u, buffers.Dsm.Read<uint>((long)HE.DsmNumReads) % 16);
    }

    [Fact]
    public void A_refused_dma_sets_error_and_err_vector_and_interrupts_when_asked()
    {
        using var acc = TestSim.Open(TestSim.Create("he-lpbk"), HE.LoopbackId);
        using var buffers = new HostExerciserBuffers(acc, 1024);
        using var vector0 = TestSim.Interrupt(acc, 0);
        SimulatedAccelerator.Of(acc)!.Inject(new InjectedFault(FaultKind.DmaFailure) { IoAddress = buffers.Source.IoAddress });

        buffers.Start(InterruptOnError, lines: 16);

        Assert.Equal(1UL, TestSim.WaitInterrupt(vector0, Timeout));
        Assert.Equal(1u, buffers.Dsm.Read<uint>(0) & 1);
        Assert.Equal(1u, buffers.Dsm.Read<uint>((long)HE.DsmErrorVector));
        Assert.Equal(1UL, acc.ReadMmio64(HE.Error) & 1);
    }

    [Fact]
    public void Holding_ctl_in_reset_clears_the_counters()
    {
        using var acc = TestSim.Open(TestSim.Create("he-lpbk"), HE.LoopbackId);
        using var buffers = new HostExerciserBuffers(acc, 1024);
        buffers.Start(0, lines: 16);
        Assert.True(buffers.Dsm.Poll<uint>(0, 1, 1, Timeout));
        acc.WriteMmio32(HE.Ctl, 0);
        Assert.Equal(0UL, acc.ReadMmio64(HE.Status0));
    }

    [Fact]
    public void He_mem_is_the_same_exerciser_with_its_own_afu_id_and_four_vectors()
    {
        var simulator = TestSim.Create("he-lpbk", "he-mem");
        using var acc = TestSim.Open(simulator, HE.MemoryId);
        Assert.Equal(HE.MemoryId, acc.Token.Guid);
        Assert.Equal(4, acc.Device!.Interrupts!.Count);
        using var buffers = new HostExerciserBuffers(acc, 1024);
        buffers.Source.Fill(3);
        buffers.Start(0, lines: 16);
        Assert.True(buffers.Dsm.Poll<uint>(0, 1, 1, Timeout));
        Assert.Equal(-1, buffers.Source.Compare(buffers.Destination, 1024));
    }
}
