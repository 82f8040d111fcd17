using System.Buffers.Binary;
using OpaeSharp.Simulation;

namespace OpaeSharp.Tests.Devices.Simulated;

/// <summary>Events on the simulator: the port's and the FME's error interrupts, and what it answers for the rest.</summary>
public sealed class SimulatedEventTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Test => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_error_the_port_reports_fires_the_accelerators_error_event()
    {
        using var acc = TestSim.Open();
        using var ev = acc.RegisterEvent(FpgaEventType.Error);
        var wait = ev.WaitAsync(Test).AsTask();

        TestSim.PortOf(acc).Errors.Set("errors", 0x4);

        Assert.Equal(1UL, await wait.WaitAsync(s_wait, Test));
    }

    [Fact]
    public async Task An_injected_fme_error_fires_the_device_handles_error_event()
    {
        var backend = TestSim.NewBackend();
        using var device = Accelerator.Open(TestSim.DeviceOf(backend), shared: true);
        using var ev = device.RegisterEvent(FpgaEventType.Error);
        var wait = ev.WaitAsync(Test).AsTask();

        backend.Cards[0].Fme.Errors.Set("inject_errors", 0x2);

        Assert.Equal(1UL, await wait.WaitAsync(s_wait, Test));
    }

    [Fact]
    public async Task Clearing_an_error_raises_no_event()
    {
        var backend = TestSim.NewBackend();
        using var device = Accelerator.Open(TestSim.DeviceOf(backend), shared: true);
        using var ev = device.RegisterEvent(FpgaEventType.Error);
        var errors = backend.Cards[0].Fme.Errors;
        errors.Set("inject_errors", 0x2);
        Assert.Equal(1UL, await ev.WaitAsync(Test).AsTask().WaitAsync(s_wait, Test));

        errors.Clear("inject_errors", ~0UL);

        Assert.Equal(1, errors.Interrupt.Raised);
    }

    [Fact]
    public void The_fme_error_interrupt_signals_one_event_handle_at_a_time_like_the_hardware()
    {
        var backend = TestSim.NewBackend();
        using var first = Accelerator.Open(TestSim.DeviceOf(backend), shared: true);
        using var second = Accelerator.Open(TestSim.DeviceOf(backend), shared: true);
        using var ev = first.RegisterEvent(FpgaEventType.Error);

        TestSim.Fails(FpgaResult.InvalidParam, () => second.RegisterEvent(FpgaEventType.Error));

        ev.Dispose();
        using var again = second.RegisterEvent(FpgaEventType.Error);
    }

    [Fact]
    public void Closing_the_device_handle_frees_the_fme_error_interrupt()
    {
        var backend = TestSim.NewBackend();
        var first = Accelerator.Open(TestSim.DeviceOf(backend), shared: true);
        var ev = first.RegisterEvent(FpgaEventType.Error);

        first.Dispose();

        using var second = Accelerator.Open(TestSim.DeviceOf(backend), shared: true);
        using var again = second.RegisterEvent(FpgaEventType.Error);
        ev.Dispose();
    }

    [Fact]
    public void Nlb0_has_no_interrupt_vectors_so_an_interrupt_event_is_not_supported()
    {
        using var acc = TestSim.Open();
        var e = TestSim.Fails(FpgaResult.NotSupported, () => acc.RegisterEvent(FpgaEventType.Interrupt, 0));
        Assert.Contains("no interrupt vectors", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_interrupt_event_on_a_device_handle_is_invalid_param()
    {
        using var device = Accelerator.Open(TestSim.DeviceOf(TestSim.NewBackend()));
        TestSim.Fails(FpgaResult.InvalidParam, () => device.RegisterEvent(FpgaEventType.Interrupt, 0));
    }

    [Fact]
    public void Power_and_thermal_events_are_not_supported()
    {
        using var acc = TestSim.Open();
        TestSim.Fails(FpgaResult.NotSupported, () => acc.RegisterEvent(FpgaEventType.PowerThermal));
    }

    [Fact]
    public void A_512_bit_write_reaches_nlb0_as_eight_64_bit_register_writes()
    {
        using var acc = TestSim.Open();
        var value = new byte[64];
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(value.AsSpan(i * 8), 0x1111_0000UL + (ulong)i);
        }

        acc.WriteMmio512(0x200, value);

        Assert.Equal(Enumerable.Range(0, 8).Select(i => 0x1111_0000UL + (ulong)i), Enumerable.Range(0, 8).Select(i => acc.ReadMmio64(0x200 + (ulong)(8 * i))));
    }

    [Fact]
    public void A_512_bit_write_reaches_a_model_that_decodes_them_as_one_access()
    {
        var configuration = new SimulatorConfiguration().AddModel("wide", () => new WideModel());
        configuration.Cards.Add(new SimulatedCardConfiguration { Ports = { "wide" } });
        using var acc = TestSim.Open(Simulator.Create(configuration), WideModel.Id);
        var value = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();

        acc.WriteMmio512(0x40, value);

        var model = (WideModel)TestSim.PortOf(acc).Afu;
        var (offset, written) = Assert.Single(model.Wide);
        Assert.Equal(0x40UL, offset);
        Assert.Equal(value, written);
        Assert.Equal(0, model.Narrow);
    }

    [Fact]
    public void Shared_virtual_addressing_is_not_supported()
    {
        using var acc = TestSim.Open();
        Assert.Equal(FpgaResult.NotSupported, acc.BindSva(out _).Result);
    }

    [Fact]
    public void Nlb0_names_no_child_afus()
    {
        using var acc = TestSim.Open();
        Assert.True(acc.GetChildren(out var children).IsOk);
        Assert.Empty(children);
    }

    private sealed class WideModel : AfuModel
    {
        internal static readonly Guid Id = new("5a1d3c2b-8e4f-4a6b-9c0d-1e2f3a4b5c6d");

        internal List<(ulong Offset, byte[] Value)> Wide { get; } = [];

        internal int Narrow { get; private set; }

        public override Guid AfuId => Id;

        public override void WriteMmio64(ulong offset, ulong value) => Narrow++;

        public override void WriteMmio512(ulong offset, ReadOnlySpan<byte> value) => Wide.Add((offset, value.ToArray()));
    }
}
