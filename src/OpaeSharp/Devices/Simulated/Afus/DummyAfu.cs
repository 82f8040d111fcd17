using OpaeSharp.Simulation;

namespace OpaeSharp.Devices.Simulated.Afus;

/// <summary>
/// OFS's dummy AFU, to the register map OPAE's <c>dummy_afu</c> drives: a scratchpad (0x28) and an
/// array of 64 MMIO test scratchpads (0x1000), a loopback of one cache line (MEM_TEST_SRC_ADDR and
/// DST_ADDR in bytes, MEM_TEST_CTRL bit 0 starts, interrupt vector 0 says done), and a DDR traffic
/// test of four banks (DDR_TEST_CTRL bits 3:0 start them; each BANKn_STAT gets pass, fail or
/// timeout in bits 2:0 and its generator's state in bits 6:3; DDR_TEST_STAT reports four banks).
/// </summary>
/// <remarks>
/// The scratchpads are plain registers, so a program that writes them through a mapped pointer (as
/// dummy_afu's mmio test does) reads back what it wrote. The DDR test writes and checks a pattern
/// in each bank's local memory (a small simulated array) on the AFU's worker, taking a little time
/// on its clock; an injected DMA fault does not touch it (it is not host memory).
/// </remarks>
internal sealed class DummyAfu : AfuModel
{
    internal static readonly Guid Id = new("91c2a3a1-4a23-4e21-a7cd-2b36dbf2ed73");

    internal const ulong Scratchpad = 0x28;
    internal const ulong MmioTestScratchpad = 0x1000;
    internal const ulong MemTestCtrl = 0x2040;
    internal const ulong MemTestStat = 0x2048;
    internal const ulong MemTestSrcAddr = 0x2050;
    internal const ulong MemTestDstAddr = 0x2058;
    internal const ulong DdrTestCtrl = 0x3000;
    internal const ulong DdrTestStat = 0x3008;
    internal const ulong DdrTestBank0Stat = 0x3010;

    internal const int Banks = 4;
    internal const ulong Pass = 1;
    internal const ulong Fail = 2;

    private const int BankBytes = 64 << 10;
    private const ulong FsmDone = 2UL << 3;
    private const ulong FsmRunning = 1UL << 3;

    private readonly byte[][] _banks = [.. Enumerable.Range(0, Banks).Select(_ => new byte[BankBytes])];

    public override Guid AfuId => Id;

    public override string Name => "dummy-afu";

    public override int InterruptCount => 4;

    public override void WriteMmio64(ulong offset, ulong value)
    {
        if (offset is MemTestStat or DdrTestStat || (offset >= DdrTestBank0Stat && offset < DdrTestBank0Stat + (Banks * 8)))
        {
            return;
        }

        base.WriteMmio64(offset, value);
        if (offset == MemTestCtrl && (value & 1) != 0)
        {
            var source = Context.ReadRegister64(MemTestSrcAddr);
            var destination = Context.ReadRegister64(MemTestDstAddr);
            Context.WriteRegister64(MemTestStat, 0);
            Context.Run(_ => Loopback(source, destination));
        }
        else if (offset == DdrTestCtrl && (value & 0xF) != 0)
        {
            for (var bank = 0; bank < Banks; bank++)
            {
                if ((value & (1UL << bank)) != 0)
                {
                    Context.WriteRegister64(DdrTestBank0Stat + ((ulong)bank * 8), FsmRunning);
                    var which = bank;
                    Context.Run(_ => TestBank(which));
                }
            }
        }
    }

    public override void Reset() => Context.WriteRegister64(DdrTestStat, Banks);

    private void Loopback(ulong source, ulong destination)
    {
        Span<byte> line = stackalloc byte[64];
        var ok = Context.ReadDma(source, line) && Context.WriteDma(destination, line);
        Context.WriteRegister64(MemTestStat, ok ? Pass : Fail);
        Context.RaiseInterrupt(0);
    }

    private void TestBank(int bank)
    {
        var memory = _banks[bank];
        for (var i = 0; i < memory.Length; i++)
        {
            memory[i] = (byte)((i * 7) + bank);
        }

        var ok = Context.Delay(TimeSpan.FromMicroseconds(50));
        for (var i = 0; ok && i < memory.Length; i++)
        {
            ok = memory[i] == (byte)((i * 7) + bank);
        }

        Context.WriteRegister64(DdrTestBank0Stat + ((ulong)bank * 8), FsmDone | (ok ? Pass : Fail));
    }
}
