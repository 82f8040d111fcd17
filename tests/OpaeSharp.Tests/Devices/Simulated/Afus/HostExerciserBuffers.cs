using HE = OpaeSharp.Devices.Simulated.Afus.HostExerciserAfu;

namespace OpaeSharp.Tests.Devices.Simulated.Afus;

/// <summary>The three buffers a host exerciser run uses: source, destination and its status (DSM).</summary>
internal sealed class HostExerciserBuffers(Accelerator acc, long bytes) : IDisposable
{
    internal SharedBuffer Source { get; } = acc.PrepareBuffer(bytes);

    internal SharedBuffer Destination { get; } = acc.PrepareBuffer(bytes);

    internal SharedBuffer Dsm { get; } = acc.PrepareBuffer(4096);

    /// <summary>Resets the exerciser, programs a run over the whole source with <paramref name="cfg"/> and starts it.</summary>
    internal void Start(ulong cfg = 0)
    {
        acc.WriteMmio32(HE.Ctl, 0);
        acc.WriteMmio32(HE.Ctl, 1);
        acc.WriteMmio64(HE.SrcAddr, Source.IoAddress >> 6);
        acc.WriteMmio64(HE.DstAddr, Destination.IoAddress >> 6);
        acc.WriteMmio64(HE.DsmBase, Dsm.IoAddress >> 6);
        acc.WriteMmio64(HE.NumLines, (ulong)(Source.Length / 64) - 1);
        acc.WriteMmio64(HE.Cfg, cfg);
        acc.WriteMmio32(HE.Ctl, 0b11);
    }

    public void Dispose()
    {
        Source.Dispose();
        Destination.Dispose();
        Dsm.Dispose();
    }
}
