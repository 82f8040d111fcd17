using OpaeSharp.Simulation;
using HE = OpaeSharp.Devices.Simulated.Afus.HostExerciserAfu;

namespace OpaeSharp.Tests.Simulation;

/// <summary>Interrupts end to end in .NET: a model raises a vector, the program's event (fpgaRegisterEvent) completes.</summary>
public sealed class InterruptEventTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_vector_a_model_raises_completes_the_registered_event()
    {
        using var acc = Open(out _);
        using var registration = acc.RegisterEvent(FpgaEventType.Interrupt, vector: 2);
        acc.WriteMmio64(Ringer.Ring, 2);
        Assert.Equal(1UL, await registration.WaitAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Timeout, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Interrupts_raised_before_the_wait_are_counted_not_lost()
    {
        using var acc = Open(out _);
        using var registration = acc.RegisterEvent(FpgaEventType.Interrupt, vector: 0);
        acc.WriteMmio64(Ringer.Ring, 0);
        acc.WriteMmio64(Ringer.Ring, 0);
        Assert.True(SpinWait.SpinUntil(() => SimulatedAccelerator.Of(acc)!.Interrupts.Raised == 2, Timeout));
        Assert.Equal(2UL, await registration.WaitAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Timeout, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void A_vector_the_model_does_not_declare_cannot_be_registered()
    {
        using var acc = Open(out _);
        TestSim.Fails(FpgaResult.InvalidParam, () => acc.RegisterEvent(FpgaEventType.Interrupt, vector: 3));
    }

    [Fact]
    public async Task A_port_error_the_model_sets_completes_the_error_event()
    {
        using var acc = Open(out _);
        using var registration = acc.RegisterEvent(FpgaEventType.Error);
        acc.WriteMmio64(Ringer.Fail, 0x10);
        Assert.True(await registration.WaitAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Timeout, TestContext.Current.CancellationToken) >= 1);
        Assert.Equal(0x10UL, SimulatedAccelerator.Of(acc)!.PortErrors);
    }

    [Fact]
    public async Task A_dropped_interrupt_fault_leaves_the_event_pending_until_the_next_one()
    {
        using var acc = Open(out var simulated);
        simulated.Inject(new InjectedFault(FaultKind.DroppedInterrupt));
        using var registration = acc.RegisterEvent(FpgaEventType.Interrupt, vector: 1);
        acc.WriteMmio64(Ringer.Ring, 1);
        Assert.True(SpinWait.SpinUntil(() => simulated.Interrupts.Dropped == 1, Timeout));
        acc.WriteMmio64(Ringer.Ring, 1);
        Assert.Equal(1UL, await registration.WaitAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Timeout, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task He_lpbk_in_interrupt_test_mode_completes_the_event_of_its_vector()
    {
        using var acc = TestSim.Open(TestSim.Create("he-lpbk"), HE.LoopbackId);
        using var source = acc.PrepareBuffer(4096);
        using var destination = acc.PrepareBuffer(4096);
        using var dsm = acc.PrepareBuffer(4096);
        using var registration = acc.RegisterEvent(FpgaEventType.Interrupt, vector: 3);
        source.Fill(0x42);
        acc.WriteMmio32(HE.Ctl, 0);
        acc.WriteMmio32(HE.Ctl, 1);
        acc.WriteMmio64(HE.SrcAddr, source.IoAddress >> 6);
        acc.WriteMmio64(HE.DstAddr, destination.IoAddress >> 6);
        acc.WriteMmio64(HE.DsmBase, dsm.IoAddress >> 6);
        acc.WriteMmio64(HE.NumLines, 63);
        acc.WriteMmio64(HE.Cfg, 1UL << 29);
        acc.WriteMmio32(HE.Interrupt0, 3u << 16);
        acc.WriteMmio32(HE.Ctl, 0b11);

        Assert.Equal(1UL, await registration.WaitAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Timeout, TestContext.Current.CancellationToken));
        Assert.Equal(-1, source.Compare(destination, 4096));
    }

    private static Accelerator Open(out SimulatedAccelerator simulated)
    {
        var configuration = new SimulatorConfiguration().AddModel("ringer", () => new Ringer());
        configuration.Cards.Add(new SimulatedCardConfiguration { Ports = { "ringer" } });
        var acc = TestSim.Open(Simulator.Create(configuration), Ringer.Id);
        simulated = SimulatedAccelerator.Of(acc)!;
        return acc;
    }

    /// <summary>Raises the vector written to RING on its worker; sets the port error bits written to FAIL.</summary>
    private sealed class Ringer : AfuModel
    {
        internal static readonly Guid Id = new("e1d0c5a7-3b0e-4f1e-8c59-7a6b5d4c3b21");

        internal const ulong Ring = 0x100;
        internal const ulong Fail = 0x108;

        public override Guid AfuId => Id;

        public override int InterruptCount => 3;

        public override void WriteMmio64(ulong offset, ulong value)
        {
            if (offset == Ring)
            {
                Context.Run(_ => Context.RaiseInterrupt((int)value));
            }
            else if (offset == Fail)
            {
                Context.SetPortError(value);
            }
            else
            {
                base.WriteMmio64(offset, value);
            }
        }
    }
}
