namespace OpaeSharp.Simulation;

/// <summary>What an <see cref="InjectedFault"/> does when it fires.</summary>
public enum FaultKind
{
    /// <summary>The DMA access fails as if the IOMMU refused it: nothing is transferred, the AFU sees the failure, a <see cref="DmaFault"/> of kind <see cref="DmaFaultKind.Injected"/> is recorded.</summary>
    DmaFailure,

    /// <summary>An interrupt the AFU raises is lost: no event fires.</summary>
    DroppedInterrupt,

    /// <summary>The port reports an error: <see cref="InjectedFault.ErrorBits"/> are set in its <c>errors</c> register (the access itself proceeds).</summary>
    PortError,

    /// <summary>The DMA access is delayed by <see cref="InjectedFault.Duration"/> on the AFU's clock, then proceeds.</summary>
    Stall,

    /// <summary>The AFU stops responding: this and every later DMA access of the port waits until the port is reset (<c>fpgaReset</c>) or closed, then fails.</summary>
    Hang,
}
