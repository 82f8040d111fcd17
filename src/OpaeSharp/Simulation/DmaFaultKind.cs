namespace OpaeSharp.Simulation;

/// <summary>Why a device access was refused by the simulated IOMMU.</summary>
public enum DmaFaultKind
{
    /// <summary>No buffer was ever mapped at the IO address.</summary>
    Unmapped,

    /// <summary>The access starts inside a buffer but runs past its end.</summary>
    PastEnd,

    /// <summary>The device wrote to a buffer it may only read (READ_ONLY), or read one it may only write.</summary>
    PermissionDenied,

    /// <summary>The IO address belonged to a buffer that has been released.</summary>
    AfterRelease,

    /// <summary>
    /// The buffer is mapped, but the host memory behind it could not be reached: caller memory that
    /// the simulator reaches by address (no page pin was available) and that the caller has since
    /// unmapped, truncated or made inaccessible. Real hardware would reach the pages it pinned.
    /// </summary>
    Unreachable,

    /// <summary>A test made the access fail on purpose (<see cref="FaultKind.DmaFailure"/>).</summary>
    Injected,
}
