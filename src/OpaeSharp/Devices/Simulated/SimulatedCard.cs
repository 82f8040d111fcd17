using OpaeSharp.Devices.Kernel;
using OpaeSharp.Dma;
using OpaeSharp.Interop;
using OpaeSharp.Simulation;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// One simulated FPGA card: its FME, its ports (each with an AFU model), and what they share — the
/// IOMMU that checks every device access, the IO address space buffers are mapped into, and the
/// host link DMA is paced on. Shared by every handle opened on it, as the hardware is.
/// </summary>
internal sealed class SimulatedCard
{
    internal SimulatedCard(int index, SimulatorOptions options, CardSpec spec, AfuCatalog catalog, IKernel kernel)
    {
        Index = index;
        Options = options;
        Spec = spec;
        Catalog = catalog;
        Faults = new DmaFaultLog(options.FaultHistory);
        Iommu = new Iommu(Faults);
        AddressSpace = new IoAddressSpace(
            Iommu,
            [new IovaAllocator(options.IovaBase, options.IovaBase + options.IovaSize, options.GuardBytes)],
            minAlignment: 4096,
            owner: $"simulated card {index}");
        Link = new CardLink(spec.Link, options.Time);
        Fme = new SimulatedFme(this);
        var ports = new SimulatedPort[spec.Ports.Count];
        for (var p = 0; p < ports.Length; p++)
        {
            ports[p] = new SimulatedPort(this, p, spec.Ports[p].Model.Create(), kernel);
            foreach (var fault in spec.Ports[p].Faults)
            {
                ports[p].Inject(fault);
            }
        }

        Ports = ports;
    }

    internal int Index { get; }

    internal SimulatorOptions Options { get; }

    internal CardSpec Spec { get; }

    /// <summary>The models reconfiguration can load.</summary>
    internal AfuCatalog Catalog { get; }

    internal DmaFaultLog Faults { get; }

    internal Iommu Iommu { get; }

    internal IoAddressSpace AddressSpace { get; }

    internal CardLink Link { get; }

    /// <summary>The card's FPGA management engine.</summary>
    internal SimulatedFme Fme { get; }

    /// <summary>The card's ports, in order; each holds one AFU model.</summary>
    internal IReadOnlyList<SimulatedPort> Ports { get; }

    internal PciAddress Pci => Spec.Pci;

    /// <summary>Port 0's interrupt vectors (the card's first accelerator).</summary>
    internal SimulatedInterrupts Interrupts => Ports[0].Interrupts;

    /// <summary>Port 0's error registers.</summary>
    internal SimulatedErrors PortErrors => Ports[0].Errors;

    /// <summary>The FME's error registers.</summary>
    internal SimulatedErrors FmeErrors => Fme.Errors;


    /// <summary>What a card is made of: where it sits on the PCI bus, its link, and a model (with faults to arm) per port.</summary>
    internal sealed record CardSpec(PciAddress Pci, LinkModel? Link, IReadOnlyList<PortSpec> Ports);

    internal sealed record PortSpec(AfuCatalog.Entry Model, IReadOnlyList<InjectedFault> Faults);
}
