namespace OpaeSharp.Simulation;

/// <summary>One card of a <see cref="SimulatorConfiguration"/>: where it sits on the PCI bus, its host link, and its ports.</summary>
public sealed class SimulatedCardConfiguration
{
    /// <summary>"ssss:bb:dd.f" (or "bb:dd.f"); null puts card <c>i</c> at 0000:(3b + i):00.0. Port <c>p</c> is function <c>f + p</c>.</summary>
    public string? PciAddress { get; set; }

    /// <summary>The link DMA is paced on; null for as fast as the host copies.</summary>
    public LinkModel? Link { get; set; }

    /// <summary>The card's ports in order, each naming its AFU model (at least one).</summary>
    public IList<SimulatedPortConfiguration> Ports { get; } = [];

    /// <inheritdoc/>
    public override string ToString() => $"{PciAddress ?? "(next free bus)"}: {string.Join(", ", Ports)}";
}
