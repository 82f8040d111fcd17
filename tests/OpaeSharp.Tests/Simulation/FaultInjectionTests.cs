using Microsoft.Extensions.Time.Testing;
using OpaeSharp.Simulation;
using OpaeSharp.Tests.Devices.Simulated.Afus;
using HE = OpaeSharp.Devices.Simulated.Afus.HostExerciserAfu;

namespace OpaeSharp.Tests.Simulation;

/// <summary>Deterministic faults for host-software tests, seen through HE-LPBK.</summary>
public sealed class FaultInjectionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_dma_failure_after_n_accesses_hits_exactly_the_next_one()
    {
        using var acc = TestSim.Open(TestSim.Create("he-lpbk"), HE.LoopbackId);
        var sim = SimulatedAccelerator.Of(acc)!;
        using var buffers = new HostExerciserBuffers(acc, 4096);

        // Each run makes four DMA accesses (the copy's read and its write, the DSM status, the
        // completion word): after four, the next is run 2's read.
        sim.Inject(new InjectedFault(FaultKind.DmaFailure) { After = 4 });
        Assert.True(Run(acc, buffers), "run 1 is untouched");
        Assert.False(Run(acc, buffers), "run 2's copy fails");
        Assert.True(Run(acc, buffers), "the fault fired once");

        var fault = Assert.Single(sim.DmaFaults);
        Assert.Equal(DmaFaultKind.Injected, fault.Kind);
        Assert.Equal(buffers.Source.IoAddress, fault.IoAddress);
        Assert.Empty(sim.ArmedFaults);
        Assert.Single(sim.FiredFaults);
    }

    [Fact]
    public void A_dma_failure_by_address_spares_accesses_elsewhere()
    {
        using var acc = TestSim.Open(TestSim.Create("he-lpbk"), HE.LoopbackId);
        var sim = SimulatedAccelerator.Of(acc)!;
        using var buffers = new HostExerciserBuffers(acc, 4096);
        sim.Inject(new InjectedFault(FaultKind.DmaFailure) { IoAddress = buffers.Destination.IoAddress + 4032, Length = 64, Times = 0 });

        Assert.False(Run(acc, buffers));
        Assert.False(Run(acc, buffers));
        Assert.Equal(2, sim.DmaFaults.Count);
        Assert.All(sim.DmaFaults, f => Assert.True(f.IsWrite));
    }

    [Fact]
    public void A_fault_armed_for_later_on_the_afu_clock_waits_for_that_time()
    {
        var time = new FakeTimeProvider();
        using var acc = TestSim.Open(TestSim.Create(time, "he-lpbk"), HE.LoopbackId);
        var sim = SimulatedAccelerator.Of(acc)!;
        using var buffers = new HostExerciserBuffers(acc, 4096);
        sim.Inject(new InjectedFault(FaultKind.DmaFailure) { At = TimeSpan.FromSeconds(10) });

        Assert.True(Run(acc, buffers));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(Run(acc, buffers));
    }

    [Fact]
    public void A_dropped_interrupt_signals_no_event_and_is_counted()
    {
        using var acc = TestSim.Open(TestSim.Create("he-lpbk"), HE.LoopbackId);
        var sim = SimulatedAccelerator.Of(acc)!;
        using var buffers = new HostExerciserBuffers(acc, 4096);
        using var vector1 = TestSim.Interrupt(acc, 1);
        acc.WriteMmio32(HE.Interrupt0, 1u << 16);
        sim.Inject(new InjectedFault(FaultKind.DroppedInterrupt) { Vector = 1 });

        Assert.True(Run(acc, buffers, cfg: 1UL << 29));
        Assert.Equal(0UL, TestSim.WaitInterrupt(vector1, TimeSpan.FromMilliseconds(50)));
        Assert.True(Run(acc, buffers, cfg: 1UL << 29));
        Assert.Equal(1UL, TestSim.WaitInterrupt(vector1, Timeout));
    }

    [Fact]
    public void A_port_error_fault_sets_the_port_errors_register_and_the_access_proceeds()
    {
        using var acc = TestSim.Open(TestSim.Create("he-lpbk"), HE.LoopbackId);
        var sim = SimulatedAccelerator.Of(acc)!;
        using var buffers = new HostExerciserBuffers(acc, 4096);
        sim.Inject(new InjectedFault(FaultKind.PortError) { ErrorBits = 0x40 });

        Assert.True(Run(acc, buffers));
        Assert.Equal(0x40UL, sim.PortErrors);
    }

    [Fact]
    public void A_stall_delays_the_access_by_its_duration_on_the_afu_clock()
    {
        var time = new FakeTimeProvider();
        using var acc = TestSim.Open(TestSim.Create(time, "he-lpbk"), HE.LoopbackId);
        using var buffers = new HostExerciserBuffers(acc, 4096);
        SimulatedAccelerator.Of(acc)!.Inject(new InjectedFault(FaultKind.Stall) { Duration = TimeSpan.FromMilliseconds(50) });

        buffers.Start();
        Thread.Sleep(20);
        Assert.Equal(0u, buffers.Dsm.Read<uint>(0));
        while (buffers.Dsm.Read<uint>(0) == 0)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            Thread.Sleep(1);
        }

        // At least 50 ms at 400 MHz (the copy itself takes no time on the fake clock); the test may
        // have moved the clock on a little before the AFU read it at the end.
        Assert.InRange(buffers.Dsm.Read<ulong>((long)HE.DsmNumTicks), 20_000_000UL, 20_000_000UL + (400_000UL * 100));
    }

    [Fact]
    public void A_hang_holds_the_afu_until_the_port_is_reset()
    {
        using var acc = TestSim.Open(TestSim.Create("he-lpbk"), HE.LoopbackId);
        var sim = SimulatedAccelerator.Of(acc)!;
        using var buffers = new HostExerciserBuffers(acc, 4096);
        sim.Inject(new InjectedFault(FaultKind.Hang));

        buffers.Start();
        Assert.True(SpinWait.SpinUntil(() => sim.IsHung, Timeout));
        Thread.Sleep(20);
        Assert.Equal(0u, buffers.Dsm.Read<uint>(0));

        acc.Reset();
        Assert.False(sim.IsHung);
        Assert.True(Run(acc, buffers), "after reset the AFU works again");
    }

    [Fact]
    public void A_model_can_inject_a_fault_into_its_own_port()
    {
        var configuration = new SimulatorConfiguration().AddModel("flaky", () => new Flaky());
        configuration.Cards.Add(new SimulatedCardConfiguration { Ports = { "flaky" } });
        using var acc = TestSim.Open(Simulator.Create(configuration), Flaky.Id);
        Assert.Single(SimulatedAccelerator.Of(acc)!.ArmedFaults);
    }

    [Fact]
    public void A_fault_with_a_negative_count_is_refused()
    {
        using var acc = TestSim.Open(TestSim.Create("he-lpbk"), HE.LoopbackId);
        Assert.Throws<ArgumentOutOfRangeException>(() => SimulatedAccelerator.Of(acc)!.Inject(new InjectedFault(FaultKind.DmaFailure) { After = -1 }));
    }

    /// <summary>One HE-LPBK run of the buffers; true when it completed without error and copied.</summary>
    private static bool Run(Accelerator acc, HostExerciserBuffers buffers, ulong cfg = 0)
    {
        buffers.Dsm.Fill(0);
        buffers.Source.Fill(0x77);
        buffers.Destination.Fill(0);
        buffers.Start(cfg);
        Assert.True(buffers.Dsm.Poll<uint>(0, 1, 1, Timeout), "the run completed");
        return buffers.Dsm.Read<uint>((long)HE.DsmErrorVector) == 0 && buffers.Source.Compare(buffers.Destination, buffers.Source.Length) == -1;
    }

    private sealed class Flaky : AfuModel
    {
        internal static readonly Guid Id = new("b7d1b8f4-6c26-4d8a-9a53-3d4c1b2e7f00");

        public override Guid AfuId => Id;

        protected override void OnAttached() => Context.Inject(new InjectedFault(FaultKind.DmaFailure) { After = 10 });
    }
}
