using OpaeSharp.Simulation;

namespace OpaeSharp.Devices.Simulated;

/// <summary>How the embedded simulator is built: its cards (a configuration, or a number of NLB0 cards) and the IOMMU's rules.</summary>
internal sealed record SimulatorOptions
{
    /// <summary>Cards to simulate when there is no <see cref="Configuration"/>; each has an FME and one NLB0 port.</summary>
    public int Cards { get; init; } = 1;

    /// <summary>Cards, ports, AFU models, links and faults; when set, <see cref="Cards"/> is not used.</summary>
    public SimulatorConfiguration? Configuration { get; init; }

    /// <summary>Apply the DFL driver's rule that a buffer is one physically contiguous range (OPAE's page sizes, no fallback).</summary>
    public bool EnforceContiguity { get; init; }

    /// <summary>First IO address. Far from where Linux puts user mappings, so IO and virtual addresses never coincide.</summary>
    public ulong IovaBase { get; init; } = 0x10_0000_0000;

    /// <summary>Size of the IO address window (the device's reach).</summary>
    public ulong IovaSize { get; init; } = 1UL << 40;

    /// <summary>Unmapped gap after every mapping, so a DMA overrun faults instead of reaching the next buffer.</summary>
    public ulong GuardBytes { get; init; } = 4096;

    /// <summary>Faults kept for inspection; older ones are counted but dropped.</summary>
    public int FaultHistory { get; init; } = 1024;

    /// <summary>The clock AFUs and link pacing run on (the configuration's, else the system's).</summary>
    public TimeProvider Time => Configuration?.Time ?? TimeProvider.System;

    /// <summary>
    /// The options the environment asks for: <c>OPAESHARP_SIM_CONTIGUOUS=1</c>, and the cards of the
    /// JSON file <c>OPAESHARP_SIM_CONFIG</c> names (or <paramref name="configured"/>, which wins).
    /// </summary>
    public static SimulatorOptions FromEnvironment(SimulatorConfiguration? configured = null) => new()
    {
        EnforceContiguity = Environment.GetEnvironmentVariable("OPAESHARP_SIM_CONTIGUOUS") is "1" or "true",
        Configuration = configured ?? SimulatorConfiguration.FromEnvironment(),
    };
}
