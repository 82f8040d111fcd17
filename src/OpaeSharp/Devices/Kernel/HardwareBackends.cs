using OpaeSharp.Devices.Dfl;
using OpaeSharp.Devices.Vfio;

namespace OpaeSharp.Devices.Kernel;

/// <summary>
/// The real-hardware backends of this machine: the probes <c>OPAESHARP_BACKEND=auto</c> tries, and
/// why each is or is not usable (what <c>opae info</c> shows).
/// </summary>
internal static class HardwareBackends
{
    /// <summary>The upstream DFL driver, when it exposes at least one accelerator.</summary>
    internal static IBackend? ProbeDfl() => WithAccelerators(DflBackend.Upstream);

    /// <summary>The legacy intel-fpga driver, when it exposes at least one accelerator.</summary>
    internal static IBackend? ProbeLegacyDfl() => WithAccelerators(DflBackend.Legacy);

    /// <summary>vfio-pci, when at least one function is bound to it and has an IOMMU group.</summary>
    internal static IBackend? ProbeVfio() => WithAccelerators(VfioBackend.System);

    /// <summary>For each hardware backend: usable or not, what was found, and what to do when nothing was.</summary>
    internal static IReadOnlyList<BackendStatus> Status() =>
        [DflBackend.Upstream.Status(), DflBackend.Legacy.Status(), VfioBackend.System.Status()];

    private static IBackend? WithAccelerators(IBackend backend) =>
        backend.Enumerate().Any(t => t.ObjectType == FpgaObjectType.Accelerator) ? backend : null;
}
