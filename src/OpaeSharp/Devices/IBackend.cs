using OpaeSharp.Enumeration;

namespace OpaeSharp.Devices;

/// <summary>A driver stack that can discover and open accelerators.</summary>
internal interface IBackend
{
    BackendKind Kind { get; }

    /// <summary>All FPGA objects this backend can see: devices and the accelerators below them.</summary>
    IReadOnlyList<AcceleratorToken> Enumerate();

    /// <summary>Opens the object <paramref name="token"/> names; BUSY when it is held exclusively.</summary>
    IDevice Open(AcceleratorToken token, bool shared);
}
