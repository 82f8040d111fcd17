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

    /// <summary>A test made the access fail on purpose (<see cref="FaultKind.DmaFailure"/>).</summary>
    Injected,
}
