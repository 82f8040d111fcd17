using OpaeSharp.Devices.Simulated.Afus;
using OpaeSharp.Devices.Simulated;
using OpaeSharp.Simulation;

namespace OpaeSharp.Tests.Devices.Simulated.Afus;

public sealed class Nlb0Tests
{
    private const long DsmComplete = (long)Nlb0Afu.DsmStatusComplete;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void Nlb0_copies_the_lines_and_signals_completion_in_the_dsm()
    {
        using var acc = TestSim.Open();
        using var dsm = acc.PrepareBuffer(4096);
        using var input = acc.PrepareBuffer(64 << 10);
        using var output = acc.PrepareBuffer(64 << 10);
        Random.Shared.NextBytes(input.Span);

        Run(acc, dsm, input.IoAddress, output.IoAddress, lines: 1024);

        Assert.True(dsm.Poll<ulong>(DsmComplete, 1, 3, Timeout));
        Assert.Equal(-1, input.Compare(output, 64 << 10));
        Assert.Empty(TestSim.Faults(acc));
    }

    [Fact]
    public void Nlb0_runs_on_its_own_thread_and_status1_drains_to_zero()
    {
        using var acc = TestSim.Open();
        using var dsm = acc.PrepareBuffer(4096);
        using var input = acc.PrepareBuffer(1 << 20);
        using var output = acc.PrepareBuffer(1 << 20);
        Run(acc, dsm, input.IoAddress, output.IoAddress, lines: 16384);
        Assert.True(dsm.Poll<ulong>(DsmComplete, 1, 1, Timeout));
        acc.WriteMmio32(Nlb0Afu.Ctl, 7);
        Assert.Equal(0UL, acc.ReadMmio64(Nlb0Afu.Status1));
        Assert.NotEqual(Environment.CurrentManagedThreadId, TestSim.PortOf(acc).Worker.LastThreadId);
    }

    [Fact]
    public void One_worker_thread_serves_every_run_and_ends_when_the_port_is_closed()
    {
        var acc = TestSim.Open();
        var worker = TestSim.PortOf(acc).Worker;
        using (var dsm = acc.PrepareBuffer(4096))
        using (var input = acc.PrepareBuffer(4096))
        using (var output = acc.PrepareBuffer(4096))
        {
            Run(acc, dsm, input.IoAddress, output.IoAddress, lines: 64);
            Assert.True(dsm.Poll<ulong>(DsmComplete, 1, 3, Timeout));
            var first = worker.LastThreadId;
            dsm.Fill(0);
            acc.WriteMmio32(Nlb0Afu.Ctl, 3);
            Assert.True(dsm.Poll<ulong>(DsmComplete, 1, 3, Timeout));
            Assert.Equal(first, worker.LastThreadId);
            Assert.True(worker.HasThread);
        }

        acc.Dispose();
        Assert.False(worker.HasThread);
    }

    [Fact]
    public void A_start_written_right_after_a_run_completes_starts_a_new_run()
    {
        using var acc = TestSim.Open();
        using var dsm = acc.PrepareBuffer(4096);
        using var input = acc.PrepareBuffer(4096);
        using var output = acc.PrepareBuffer(4096);
        for (var run = 0; run < 50; run++)
        {
            input.Fill((byte)run);
            dsm.Fill(0);
            acc.WriteMmio64(Nlb0Afu.DsmBase, dsm.IoAddress);
            acc.WriteMmio64(Nlb0Afu.SrcAddr, input.IoAddress >> 6);
            acc.WriteMmio64(Nlb0Afu.DstAddr, output.IoAddress >> 6);
            acc.WriteMmio32(Nlb0Afu.NumLines, 64);
            acc.WriteMmio32(Nlb0Afu.Ctl, 1);
            acc.WriteMmio32(Nlb0Afu.Ctl, 3);
            Assert.True(dsm.Poll<ulong>(DsmComplete, 1, 3, Timeout), $"run {run} never completed");
            Assert.Equal(-1, input.Compare(output, 4096));
        }
    }

    [Fact]
    public void A_copy_into_a_read_only_buffer_is_blocked_and_leaves_it_unchanged()
    {
        using var acc = TestSim.Open();
        using var dsm = acc.PrepareBuffer(4096);
        using var input = acc.PrepareBuffer(8192);
        using var output = acc.PrepareBuffer(8192, BufferFlags.ReadOnly);
        input.Fill(0xAF);
        output.Fill(0xBE);

        Run(acc, dsm, input.IoAddress, output.IoAddress, lines: 128);

        Assert.True(dsm.Poll<ulong>(DsmComplete, 3, 3, Timeout), "the AFU reports the error in the DSM");
        var fault = Assert.Single(TestSim.Faults(acc));
        Assert.Equal(DmaFaultKind.PermissionDenied, fault.Kind);
        Assert.Equal(output.IoAddress, fault.IoAddress);
        Assert.Equal(-1, output.Span.IndexOfAnyExcept((byte)0xBE));
    }

    [Fact]
    public void A_copy_from_a_read_only_buffer_works()
    {
        using var acc = TestSim.Open();
        using var dsm = acc.PrepareBuffer(4096);
        using var input = acc.PrepareBuffer(8192, BufferFlags.ReadOnly);
        using var output = acc.PrepareBuffer(8192);
        input.Fill(0x11);
        Run(acc, dsm, input.IoAddress, output.IoAddress, lines: 128);
        Assert.True(dsm.Poll<ulong>(DsmComplete, 1, 3, Timeout));
        Assert.Equal(-1, input.Compare(output, 8192));
    }

    [Fact]
    public void A_copy_longer_than_the_destination_faults_at_its_end_instead_of_reaching_the_next_buffer()
    {
        using var acc = TestSim.Open();
        using var dsm = acc.PrepareBuffer(4096);
        using var input = acc.PrepareBuffer(16384);
        using var output = acc.PrepareBuffer(4096);
        using var neighbour = acc.PrepareBuffer(4096);
        input.Fill(0xAF);
        Run(acc, dsm, input.IoAddress, output.IoAddress, lines: 256);
        Assert.True(dsm.Poll<ulong>(DsmComplete, 3, 3, Timeout));
        Assert.Equal(DmaFaultKind.PastEnd, Assert.Single(TestSim.Faults(acc)).Kind);
        Assert.Equal(-1, output.Span.IndexOfAnyExcept((byte)0));
        Assert.Equal(-1, neighbour.Span.IndexOfAnyExcept((byte)0));
    }

    [Fact]
    public void A_copy_from_a_released_buffer_is_an_after_release_fault()
    {
        using var acc = TestSim.Open();
        using var dsm = acc.PrepareBuffer(4096);
        var input = acc.PrepareBuffer(4096);
        using var output = acc.PrepareBuffer(4096);
        var stale = input.IoAddress;
        input.Dispose();
        Run(acc, dsm, stale, output.IoAddress, lines: 64);
        Assert.True(dsm.Poll<ulong>(DsmComplete, 3, 3, Timeout));
        Assert.Equal(DmaFaultKind.AfterRelease, Assert.Single(TestSim.Faults(acc)).Kind);
    }

    [Fact]
    public void An_unprogrammed_dsm_is_an_unmapped_fault()
    {
        using var acc = TestSim.Open();
        using var input = acc.PrepareBuffer(4096);
        using var output = acc.PrepareBuffer(4096);
        acc.WriteMmio64(Nlb0Afu.SrcAddr, input.IoAddress >> 6);
        acc.WriteMmio64(Nlb0Afu.DstAddr, output.IoAddress >> 6);
        acc.WriteMmio32(Nlb0Afu.NumLines, 64);
        acc.WriteMmio32(Nlb0Afu.Ctl, 1);
        acc.WriteMmio32(Nlb0Afu.Ctl, 3);
        Assert.True(SpinWait.SpinUntil(() => TestSim.Faults(acc).Count > 0, Timeout));
        var fault = Assert.Single(TestSim.Faults(acc));
        Assert.Equal(DmaFaultKind.Unmapped, fault.Kind);
        Assert.Equal(Nlb0Afu.DsmStatusComplete, fault.IoAddress);
    }

    [Fact]
    public void Releasing_a_buffer_while_the_afu_copies_into_it_stops_the_device_writing_that_memory()
    {
        const int Bytes = 256 << 20;
        const uint Lines = Bytes / 64;
        using var acc = TestSim.Open();
        using var dsm = acc.PrepareBuffer(4096);
        using var input = acc.PrepareBuffer(Bytes);
        using var mine = new PageAlignedMemory(Bytes);
        var output = acc.AttachBuffer(mine.Address, Bytes);
        input.Fill(0xAF);

        Run(acc, dsm, input.IoAddress, output.IoAddress, Lines);

        // Release while lines are still pending: after the first slice, before the last.
        Assert.True(SpinWait.SpinUntil(() => (acc.ReadMmio64(Nlb0Afu.Status1) & 0xFFFF_FFFF) is > 0 and < Lines, Timeout), "the copy was never seen in progress");
        output.Dispose();
        mine.Span.Fill(0x5A);

        Assert.True(dsm.Poll<ulong>(DsmComplete, 3, 3, Timeout), "the AFU stops on the fault and says so in the DSM");
        Assert.NotEmpty(TestSim.Faults(acc));
        Assert.All(TestSim.Faults(acc), f => Assert.Equal(DmaFaultKind.AfterRelease, f.Kind));
        Assert.Equal(-1, mine.Span.IndexOfAnyExcept((byte)0x5A));
        Assert.Equal(2, TestSim.CardOf(acc).Iommu.Count);
    }

    [Fact]
    public void A_start_written_through_a_handle_that_was_closed_meanwhile_makes_no_worker()
    {
        var acc = TestSim.Open();
        var device = acc.Device!;
        var worker = TestSim.PortOf(acc).Worker;
        acc.Dispose();

        // What a thread that passed the handle's open check just before the last close does next.
        device.WriteMmio32(0, Nlb0Afu.Ctl, 1);
        device.WriteMmio32(0, Nlb0Afu.Ctl, 3);

        Assert.False(worker.HasThread);
    }

    private static void Run(Accelerator acc, SharedBuffer dsm, ulong source, ulong destination, uint lines)
    {
        acc.Reset();
        acc.WriteMmio64(Nlb0Afu.DsmBase, dsm.IoAddress);
        acc.WriteMmio32(Nlb0Afu.Ctl, 0);
        acc.WriteMmio32(Nlb0Afu.Ctl, 1);
        acc.WriteMmio64(Nlb0Afu.SrcAddr, source >> 6);
        acc.WriteMmio64(Nlb0Afu.DstAddr, destination >> 6);
        acc.WriteMmio32(Nlb0Afu.NumLines, lines);
        acc.WriteMmio32(Nlb0Afu.Cfg, 0x42000);
        acc.WriteMmio32(Nlb0Afu.Ctl, 3);
    }
}
