using HE = OpaeSharp.Devices.Simulated.Afus.HostExerciserAfu;

namespace OpaeSharp.Tests.Devices.Simulated.Afus;

/// <summary>The three buffers a host exerciser run uses: source, destination and its status (DSM).</summary>
internal sealed class HostExerciserBuffers(Accelerator acc, long bytes) : IDisposable
{
    internal SharedBuffer Source { get; } = acc.PrepareBuffer(bytes);

    internal SharedBuffer Destination { get; } = acc.PrepareBuffer(bytes);

    internal SharedBuffer Dsm { get; } = acc.PrepareBuffer(4096);

    /// <summary>
    /// What host_exerciser does: reset, addresses in cache lines (the DSM's as two 32-bit
    /// halves), NUM_LINES as lines − 1, CFG, then start; <paramref name="lines"/> defaults to the
    /// whole source.
    /// </summary>
    internal void Start(ulong cfg = 0, ulong? lines = null)
    {
        acc.WriteMmio32(HE.Ctl, 0);
        acc.WriteMmio32(HE.Ctl, 1);
        acc.WriteMmio64(HE.SrcAddr, Source.IoAddress >> 6);
        acc.WriteMmio64(HE.DstAddr, Destination.IoAddress >> 6);
        acc.WriteMmio32(HE.DsmBase, (uint)(Dsm.IoAddress >> 6));
        acc.WriteMmio32(HE.DsmBase + 4, (uint)(Dsm.IoAddress >> 38));
        acc.WriteMmio64(HE.NumLines, (lines ?? ((ulong)Source.Length / 64)) - 1);
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
