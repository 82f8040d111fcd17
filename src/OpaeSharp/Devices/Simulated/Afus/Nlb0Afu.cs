namespace OpaeSharp.Devices.Simulated.Afus;

/// <summary>
/// NLB0, the native loopback AFU of OPAE's hello_fpga sample and fpgadiag's <c>nlb0</c>: lpbk1
/// (copy source to destination), once or continuously. Any other mode completes with test_error.
/// </summary>
internal sealed class Nlb0Afu : NlbAfu
{
    internal static readonly Guid Id = new("D8424DC4-A4A3-C413-F89E-433683F9040B");

    internal const ulong Dfh = 0x0;
    internal const ulong AfuIdLow = 0x8;
    internal const ulong AfuIdHigh = 0x10;

    public override Guid AfuId => Id;

    public override string Name => "nlb0";

    protected override bool Supports(uint mode) => mode == ModeLoopback;
}
