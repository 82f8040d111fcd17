using System.Buffers.Binary;
using OpaeSharp.Devices.Kernel;
using OpaeSharp.Simulation;

namespace OpaeSharp.Tests.Simulation;

/// <summary>An AFU modelled by a user in their own assembly: this test project, through the public API only.</summary>
public sealed class AfuModelTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_user_model_is_found_by_its_afu_id_and_answers_its_header()
    {
        var simulator = Simulator.Create(Configuration());
        using var acc = TestSim.Open(simulator, FillAfu.Id);
        var (low, high) = (acc.ReadMmio64(0x8), acc.ReadMmio64(0x10));
        Assert.Equal(FillAfu.Id, DeviceFeatureList.ToGuid(low, high));
        Assert.Equal(1UL, acc.ReadMmio64(0) >> 60);
        Assert.Equal(0x8000UL, acc.GetMmioSize());
    }

    [Fact]
    public void The_dfh_chain_links_each_feature_to_the_next_and_ends_the_last()
    {
        var simulator = Simulator.Create(Configuration());
        using var acc = TestSim.Open(simulator, FillAfu.Id);
        var afu = acc.ReadMmio64(0);
        Assert.Equal(0x1000UL, (afu >> 16) & 0xFF_FFFF);
        Assert.Equal(0UL, (afu >> 40) & 1);
        var counter = acc.ReadMmio64(0x1000);
        Assert.Equal(3UL, counter >> 60);
        Assert.Equal(0x42UL, counter & 0xFFF);
        Assert.Equal(1UL, (counter >> 40) & 1);
    }

    [Fact]
    public void Dfh_headers_are_read_only_to_software()
    {
        var simulator = Simulator.Create(Configuration());
        using var acc = TestSim.Open(simulator, FillAfu.Id);
        var before = acc.ReadMmio64(0x8);
        acc.WriteMmio64(0x8, 0xDEAD);
        acc.WriteMmio64(0x1000, 0xDEAD);
        Assert.Equal(before, acc.ReadMmio64(0x8));
        Assert.Equal(0x42UL, acc.ReadMmio64(0x1000) & 0xFFF);
    }

    [Fact]
    public void The_model_writes_host_memory_by_io_address_on_its_worker_and_raises_its_interrupt()
    {
        var simulator = Simulator.Create(Configuration());
        using var acc = TestSim.Open(simulator, FillAfu.Id);
        using var buffer = acc.PrepareBuffer(4096);
        using var done = TestSim.Interrupt(acc, 1);

        acc.WriteMmio64(FillAfu.Address, buffer.IoAddress);
        acc.WriteMmio64(FillAfu.Length, 4096);
        acc.WriteMmio64(FillAfu.Go, 0x5A);

        Assert.Equal(1UL, TestSim.WaitInterrupt(done, Timeout));
        Assert.Equal(-1, buffer.Span.IndexOfAnyExcept((byte)0x5A));
        Assert.NotEqual(Environment.CurrentManagedThreadId, (int)acc.ReadMmio64(FillAfu.WorkerThread));
    }

    [Fact]
    public void A_dma_to_an_address_no_buffer_holds_is_refused_and_recorded_and_the_model_sees_it_fail()
    {
        var simulator = Simulator.Create(Configuration());
        using var acc = TestSim.Open(simulator, FillAfu.Id);
        using var done = TestSim.Interrupt(acc, 1);
        acc.WriteMmio64(FillAfu.Address, 0x1000);
        acc.WriteMmio64(FillAfu.Length, 64);
        acc.WriteMmio64(FillAfu.Go, 1);

        Assert.Equal(1UL, TestSim.WaitInterrupt(done, Timeout));
        Assert.Equal(1UL, acc.ReadMmio64(FillAfu.Failed));
        var fault = Assert.Single(SimulatedAccelerator.Of(acc)!.DmaFaults);
        Assert.Equal(DmaFaultKind.Unmapped, fault.Kind);
        Assert.Equal("fill", fault.Initiator);
    }

    [Fact]
    public void A_32_bit_write_reaches_the_64_bit_handler_with_the_other_half_kept()
    {
        var simulator = Simulator.Create(Configuration());
        using var acc = TestSim.Open(simulator, FillAfu.Id);
        acc.WriteMmio64(FillAfu.Address, 0x1111_1111_2222_2222);
        acc.WriteMmio32(FillAfu.Address + 4, 0x3333_3333);
        Assert.Equal(0x3333_3333_2222_2222UL, acc.ReadMmio64(FillAfu.Address));
        Assert.Equal(0x2222_2222u, acc.ReadMmio32(FillAfu.Address));
    }

    [Fact]
    public void A_handler_that_throws_fails_the_mmio_call_with_exception_and_leaves_the_port_usable()
    {
        var simulator = Simulator.Create(Configuration());
        using var acc = TestSim.Open(simulator, FillAfu.Id);
        var e = TestSim.Fails(FpgaResult.Exception, () => acc.ReadMmio64(FillAfu.Throws));
        Assert.Contains("fill", e.Message, StringComparison.Ordinal);
        acc.WriteMmio64(FillAfu.Address, 7);
        Assert.Equal(7UL, acc.ReadMmio64(FillAfu.Address));
    }

    [Fact]
    public void Reset_clears_the_register_file_rewrites_the_header_and_lets_the_model_set_power_on_values()
    {
        var simulator = Simulator.Create(Configuration());
        using var acc = TestSim.Open(simulator, FillAfu.Id);
        acc.WriteMmio64(FillAfu.Address, 7);
        acc.Reset();
        Assert.Equal(0UL, acc.ReadMmio64(FillAfu.Address));
        Assert.Equal(FillAfu.PowerOn, acc.ReadMmio64(FillAfu.Version));
        Assert.Equal(1UL, acc.ReadMmio64(0) >> 60);
    }

    [Fact]
    public void Reset_cancels_work_that_is_still_running()
    {
        var simulator = Simulator.Create(Configuration());
        using var acc = TestSim.Open(simulator, FillAfu.Id);
        acc.WriteMmio64(FillAfu.Sleep, 1);
        Assert.True(SpinWait.SpinUntil(() => acc.ReadMmio64(FillAfu.Sleeping) == 1, Timeout));
        acc.Reset();
        Assert.Equal(1, ((FillAfu)SimulatedAccelerator.Of(acc)!.Model).Cancelled);
    }

    [Fact]
    public void A_port_error_set_by_the_model_shows_in_the_port_errors_register()
    {
        var simulator = Simulator.Create(Configuration());
        using var acc = TestSim.Open(simulator, FillAfu.Id);
        acc.WriteMmio64(FillAfu.Error, 0x4);
        Assert.Equal(0x4UL, SimulatedAccelerator.Of(acc)!.PortErrors);
    }

    [Fact]
    public void A_model_instance_serves_one_port_only()
    {
        var model = new FillAfu();
        var configuration = new SimulatorConfiguration().AddModel("fill", () => model);
        configuration.Cards.Add(new SimulatedCardConfiguration { Ports = { "fill", "fill" } });
        Assert.Throws<InvalidOperationException>(() => Simulator.Create(configuration));
    }

    private static SimulatorConfiguration Configuration()
    {
        var configuration = new SimulatorConfiguration().AddModel("fill", () => new FillAfu());
        configuration.Cards.Add(new SimulatedCardConfiguration { Ports = { "fill" } });
        return configuration;
    }

    /// <summary>Fills a host buffer with a byte and raises vector 1 when done: what a user would write.</summary>
    private sealed class FillAfu : AfuModel
    {
        internal static readonly Guid Id = new("0c7e5a2b-1f1d-4a43-9d4e-2f6b0a1c9e01");

        internal const ulong Address = 0x100;
        internal const ulong Length = 0x108;
        internal const ulong Go = 0x110;
        internal const ulong Failed = 0x118;
        internal const ulong WorkerThread = 0x120;
        internal const ulong Throws = 0x128;
        internal const ulong Version = 0x130;
        internal const ulong Sleep = 0x138;
        internal const ulong Sleeping = 0x140;
        internal const ulong Error = 0x148;
        internal const ulong PowerOn = 0x0102;

        private int _cancelled;

        public override Guid AfuId => Id;

        public override string Name => "fill";

        public override ulong MmioSize => 0x8000;

        public override int InterruptCount => 2;

        public override IReadOnlyList<AfuFeature> Features => [AfuFeature.Afu(Id), AfuFeature.Private(0x42, 0x1000)];

        internal int Cancelled => Volatile.Read(ref _cancelled);

        public override ulong ReadMmio64(ulong offset) =>
            offset == Throws ? throw new InvalidOperationException("no such register") : base.ReadMmio64(offset);

        public override void WriteMmio64(ulong offset, ulong value)
        {
            base.WriteMmio64(offset, value);
            switch (offset)
            {
                case Go:
                    var address = Context.ReadRegister64(Address);
                    var length = (int)Context.ReadRegister64(Length);
                    Context.Run(_ =>
                    {
                        Context.WriteRegister64(WorkerThread, (ulong)Environment.CurrentManagedThreadId);
                        var bytes = new byte[length];
                        bytes.AsSpan().Fill((byte)value);
                        Context.WriteRegister64(Failed, Context.WriteDma(address, bytes) ? 0UL : 1UL);
                        Context.RaiseInterrupt(1);
                    });
                    break;
                case Sleep:
                    Context.Run(cancel =>
                    {
                        Context.WriteRegister64(Sleeping, 1);
                        cancel.WaitHandle.WaitOne();
                        Interlocked.Increment(ref _cancelled);
                    });
                    break;
                case Error:
                    Context.SetPortError(value);
                    break;
            }
        }

        public override void Reset() => Context.WriteRegister64(Version, PowerOn);
    }
}
