using OpaeSharp.Enumeration;
using OpaeSharp.Simulation;

namespace OpaeSharp.Tests.Simulation;

/// <summary>docs/simulator.md's worked .NET example, as written there: if this breaks, so does the document.</summary>
public sealed class DocsExampleTests
{
    [Fact]
    public async Task The_checksum_afu_of_the_simulator_guide_sums_a_buffer_and_interrupts()
    {
        // --- from docs/simulator.md ---
        var configuration = new SimulatorConfiguration().AddModel("checksum", () => new ChecksumAfu());
        configuration.Cards.Add(new SimulatedCardConfiguration { Ports = { "checksum" } });
        var simulator = Simulator.Create(configuration);

        using var acc = simulator.Open(AcceleratorFilter.ForAfu(ChecksumAfu.Id));
        using var buffer = acc.PrepareBuffer(4096);
        buffer.Span.Fill(1);
        using var done = acc.RegisterEvent(FpgaEventType.Interrupt, vector: 0);

        acc.WriteMmio64(ChecksumAfu.Address, buffer.IoAddress);
        acc.WriteMmio64(ChecksumAfu.Length, 4096);
        acc.WriteMmio64(ChecksumAfu.Start, 1);
        await done.WaitAsync(TestContext.Current.CancellationToken);

        var sum = acc.ReadMmio64(ChecksumAfu.Result);
        // --- end ---
        Assert.Equal(4096UL, sum);
        Assert.Equal(ChecksumAfu.Done, acc.ReadMmio64(ChecksumAfu.Status));
    }

    [Fact]
    public async Task The_checksum_afu_reports_a_refused_dma_in_its_status()
    {
        var configuration = new SimulatorConfiguration().AddModel("checksum", () => new ChecksumAfu());
        configuration.Cards.Add(new SimulatedCardConfiguration { Ports = { "checksum" } });
        using var acc = Simulator.Create(configuration).Open(AcceleratorFilter.ForAfu(ChecksumAfu.Id));
        using var buffer = acc.PrepareBuffer(4096);
        using var done = acc.RegisterEvent(FpgaEventType.Interrupt, vector: 0);
        acc.WriteMmio64(ChecksumAfu.Address, buffer.IoAddress);
        acc.WriteMmio64(ChecksumAfu.Length, 8192);
        acc.WriteMmio64(ChecksumAfu.Start, 1);
        await done.WaitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(ChecksumAfu.Refused, acc.ReadMmio64(ChecksumAfu.Status));
        Assert.Equal(DmaFaultKind.PastEnd, Assert.Single(SimulatedAccelerator.Of(acc)!.DmaFaults).Kind);
    }

    // --- from docs/simulator.md ---
    /// <summary>Sums the bytes of a host buffer: ADDRESS, LENGTH, START=1; STATUS 1 busy, 2 done, 3 refused; RESULT; interrupt 0.</summary>
    public sealed class ChecksumAfu : AfuModel
    {
        public static readonly Guid Id = new("7f3e0c1d-9a2b-4c5d-8e6f-0a1b2c3d4e5f");

        public const ulong Address = 0x100, Length = 0x108, Start = 0x110, Result = 0x118, Status = 0x120;
        public const ulong Busy = 1, Done = 2, Refused = 3;

        public override Guid AfuId => Id;

        public override string Name => "checksum";

        public override int InterruptCount => 1;

        public override void WriteMmio64(ulong offset, ulong value)
        {
            if (offset is Result or Status)
            {
                return;                                    // read-only to software
            }

            base.WriteMmio64(offset, value);               // keep it in the register file
            if (offset == Start && value == 1)
            {
                var address = Context.ReadRegister64(Address);
                var length = (int)Context.ReadRegister64(Length);
                Context.WriteRegister64(Status, Busy);
                Context.Run(cancel => Sum(address, length)); // the AFU's own thread, beside the host
            }
        }

        private void Sum(ulong address, int length)
        {
            var data = new byte[length];
            if (!Context.ReadDma(address, data))           // by IO address, through the IOMMU
            {
                Context.WriteRegister64(Status, Refused);
            }
            else
            {
                ulong sum = 0;
                foreach (var b in data)
                {
                    sum += b;
                }

                Context.WriteRegister64(Result, sum);
                Context.WriteRegister64(Status, Done);
            }

            Context.RaiseInterrupt(0);
        }
    }
    // --- end ---
}
