namespace OpaeSharp.Devices.Simulated.Afus;

/// <summary>
/// The AFU of OPAE's hello_afu sample (samples/hello_afu): the mandatory AFU header (DFH with
/// feature type AFU and end of list, the AFU id, zero NEXT and RESERVED registers) and one 64-bit
/// scratch register at 0x80, zero after reset.
/// </summary>
internal sealed class HelloAfu : Simulation.AfuModel
{
    internal static readonly Guid Id = new("850ADCC2-6CEB-4B22-9722-D43375B61C66");

    internal const ulong Scratch = 0x80;

    public override Guid AfuId => Id;

    public override string Name => "hello-afu";

    public override ulong MmioSize => 0x1000;
}
