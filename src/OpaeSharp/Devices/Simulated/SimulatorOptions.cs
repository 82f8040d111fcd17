namespace OpaeSharp.Devices.Simulated;

/// <summary>How the embedded simulated accelerator is built.</summary>
internal sealed record SimulatorOptions
{
    /// <summary>Cards to simulate; each has one FPGA device and one NLB0 accelerator.</summary>
    public int Cards { get; init; } = 1;

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

    /// <summary>The options the environment asks for (<c>OPAESHARP_SIM_CONTIGUOUS=1</c>).</summary>
    public static SimulatorOptions FromEnvironment() => new()
    {
        EnforceContiguity = Environment.GetEnvironmentVariable("OPAESHARP_SIM_CONTIGUOUS") is "1" or "true",
    };
}
