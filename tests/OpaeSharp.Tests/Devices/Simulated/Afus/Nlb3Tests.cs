using OpaeSharp.Devices.Simulated.Afus;
using OpaeSharp.Simulation;

namespace OpaeSharp.Tests.Devices.Simulated.Afus;

/// <summary>NLB3 and the NLB DSM counters, as fpgadiag's nlb3 and nlb0 read them.</summary>
public sealed class Nlb3Tests
{
    private const uint ReadMode = 1 << 2;
    private const uint WriteMode = 2 << 2;
    private const uint ThroughputMode = 3 << 2;
    private const uint Continuous = 1 << 1;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void Read_mode_reads_every_line_and_writes_none()
    {
        using var acc = TestSim.Open(TestSim.Create("nlb3"), Nlb3Afu.Id);
        using var dsm = acc.PrepareBuffer(4096);
        using var input = acc.PrepareBuffer(64 * 100);
        using var output = acc.PrepareBuffer(64 * 100);
        Run(acc, dsm, input, output, lines: 100, ReadMode);

        Assert.True(dsm.Poll<uint>((long)NlbAfu.DsmStatusComplete, 1, 1, Timeout));
        Assert.Equal(0u, dsm.Read<uint>((long)NlbAfu.DsmTestError));
        Assert.Equal(100u, dsm.Read<uint>((long)NlbAfu.DsmNumReads));
        Assert.Equal(0u, dsm.Read<uint>((long)NlbAfu.DsmNumWrites));
        Assert.True(dsm.Read<ulong>((long)NlbAfu.DsmNumClocks) > 0);
        Assert.Equal(-1, output.Span.IndexOfAnyExcept((byte)0));
    }

    [Fact]
    public void Write_mode_writes_every_line_of_the_destination()
    {
        using var acc = TestSim.Open(TestSim.Create("nlb3"), Nlb3Afu.Id);
        using var dsm = acc.PrepareBuffer(4096);
        using var input = acc.PrepareBuffer(4096);
        using var output = acc.PrepareBuffer(64 * 32);
        Run(acc, dsm, input, output, lines: 32, WriteMode);

        Assert.True(dsm.Poll<uint>((long)NlbAfu.DsmStatusComplete, 1, 1, Timeout));
        Assert.Equal(0u, dsm.Read<uint>((long)NlbAfu.DsmNumReads));
        Assert.Equal(32u, dsm.Read<uint>((long)NlbAfu.DsmNumWrites));
        Assert.Equal(-1, output.Span[..(64 * 32)].IndexOf((byte)0));
    }

    [Fact]
    public void Throughput_mode_counts_reads_and_writes()
    {
        using var acc = TestSim.Open(TestSim.Create("nlb3"), Nlb3Afu.Id);
        using var dsm = acc.PrepareBuffer(4096);
        using var input = acc.PrepareBuffer(64 * 64);
        using var output = acc.PrepareBuffer(64 * 64);
        Run(acc, dsm, input, output, lines: 64, ThroughputMode);

        Assert.True(dsm.Poll<uint>((long)NlbAfu.DsmStatusComplete, 1, 1, Timeout));
        Assert.Equal(64u, dsm.Read<uint>((long)NlbAfu.DsmNumReads));
        Assert.Equal(64u, dsm.Read<uint>((long)NlbAfu.DsmNumWrites));
    }

    [Fact]
    public void Continuous_mode_repeats_until_stopped_and_then_reports()
    {
        using var acc = TestSim.Open(TestSim.Create("nlb3"), Nlb3Afu.Id);
        using var dsm = acc.PrepareBuffer(4096);
        using var input = acc.PrepareBuffer(4096);
        using var output = acc.PrepareBuffer(4096);
        Run(acc, dsm, input, output, lines: 8, ReadMode | Continuous);

        Assert.True(SpinWait.SpinUntil(() => acc.ReadMmio64(NlbAfu.Status1) != 0 || TestSim.PortOf(acc).Worker.IsBusy, Timeout));
        Thread.Sleep(20);
        Assert.Equal(0u, dsm.Read<uint>((long)NlbAfu.DsmStatusComplete));
        acc.WriteMmio32(NlbAfu.Ctl, 7);

        Assert.True(dsm.Poll<uint>((long)NlbAfu.DsmStatusComplete, 1, 1, Timeout));
        Assert.True(dsm.Read<uint>((long)NlbAfu.DsmNumReads) > 8, "more than one pass was read");
        Assert.Equal(0u, dsm.Read<uint>((long)NlbAfu.DsmNumReads) % 8);
    }

    [Fact]
    public void Strided_access_skips_the_configured_lines_after_each_request()
    {
        using var acc = TestSim.Open(TestSim.Create("nlb3"), Nlb3Afu.Id);
        using var dsm = acc.PrepareBuffer(4096);
        using var input = acc.PrepareBuffer(4096);
        using var output = acc.PrepareBuffer(4096);

        // 40 lines with one skipped after each: 80 lines of footprint, past the 64-line buffer.
        acc.WriteMmio32(NlbAfu.StridedAccess, 1);
        Run(acc, dsm, input, output, lines: 40, ReadMode, reset: false);

        Assert.True(dsm.Poll<uint>((long)NlbAfu.DsmStatusComplete, 3, 3, Timeout));
        Assert.Equal(1u, dsm.Read<uint>((long)NlbAfu.DsmTestError));
        var fault = Assert.Single(SimulatedAccelerator.Of(acc)!.DmaFaults);
        Assert.Equal(input.IoAddress + (32 * 2 * 64), fault.IoAddress);
    }

    [Fact]
    public void Status2_reports_the_clock_num_clocks_counts_at()
    {
        using var acc = TestSim.Open(TestSim.Create("nlb3"), Nlb3Afu.Id);
        Assert.Equal(400UL, (acc.ReadMmio64(NlbAfu.Status2) >> 32) & 0xFFFF);
    }

    [Fact]
    public void Nlb0_has_no_read_mode_and_says_so_in_test_error()
    {
        using var acc = TestSim.Open();
        using var dsm = acc.PrepareBuffer(4096);
        using var input = acc.PrepareBuffer(4096);
        using var output = acc.PrepareBuffer(4096);
        Run(acc, dsm, input, output, lines: 8, ReadMode);

        Assert.True(dsm.Poll<uint>((long)NlbAfu.DsmStatusComplete, 3, 3, Timeout));
        Assert.Equal(1u, dsm.Read<uint>((long)NlbAfu.DsmTestError));
    }

    [Fact]
    public void Nlb0_loopback_counts_each_line_read_and_written()
    {
        using var acc = TestSim.Open();
        using var dsm = acc.PrepareBuffer(4096);
        using var input = acc.PrepareBuffer(64 * 16);
        using var output = acc.PrepareBuffer(64 * 16);
        Run(acc, dsm, input, output, lines: 16, 0);

        Assert.True(dsm.Poll<uint>((long)NlbAfu.DsmStatusComplete, 1, 3, Timeout));
        Assert.Equal(16u, dsm.Read<uint>((long)NlbAfu.DsmNumReads));
        Assert.Equal(16u, dsm.Read<uint>((long)NlbAfu.DsmNumWrites));
    }

    private static void Run(Accelerator acc, SharedBuffer dsm, SharedBuffer input, SharedBuffer output, uint lines, uint cfg, bool reset = true)
    {
        if (reset)
        {
            acc.Reset();
        }

        acc.WriteMmio32(NlbAfu.Ctl, 0);
        acc.WriteMmio32(NlbAfu.Ctl, 1);
        acc.WriteMmio64(NlbAfu.DsmBase, dsm.IoAddress);
        acc.WriteMmio64(NlbAfu.SrcAddr, input.IoAddress >> 6);
        acc.WriteMmio64(NlbAfu.DstAddr, output.IoAddress >> 6);
        acc.WriteMmio32(NlbAfu.Cfg, cfg);
        acc.WriteMmio32(NlbAfu.NumLines, lines);
        acc.WriteMmio32(NlbAfu.Ctl, 3);
    }
}
