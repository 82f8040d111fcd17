namespace OpaeSharp.Devices.Simulated.Afus;

/// <summary>
/// NLB3, the bandwidth AFU of fpgadiag's <c>nlb3</c>: read (lines read from the source), write
/// (lines written to the destination), trput (both at once), and lpbk1; with 1, 2 or 4 lines per
/// request, strided access (STRIDED_ACCESS lines skipped after each request), once or continuously.
/// </summary>
internal sealed class Nlb3Afu : NlbAfu
{
    internal static readonly Guid Id = new("F7DF405C-BD7A-CF72-22F1-44B0B93ACD18");

    public override Guid AfuId => Id;

    public override string Name => "nlb3";

    protected override bool Supports(uint mode) => mode <= ModeThroughput;
}
