using OpaeSharp.Dma;
using OpaeSharp.Interop;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// One simulated FPGA card: its IOMMU, its IO address space, its AFU and who has it open.
/// Shared by every handle opened on it, as the hardware is.
/// </summary>
internal sealed class SimulatedCard
{
    private readonly Lock _openLock = new();
    private int _openCount;
    private bool _exclusive;

    internal SimulatedCard(int index, SimulatorOptions options)
    {
        Index = index;
        Options = options;
        Faults = new DmaFaultLog(options.FaultHistory);
        Iommu = new Iommu(Faults);
        AddressSpace = new IoAddressSpace(
            Iommu,
            [new IovaAllocator(options.IovaBase, options.IovaBase + options.IovaSize, options.GuardBytes)],
            minAlignment: 4096,
            owner: $"simulated accelerator {index}");
        Afu = new Nlb0Afu(new DmaEngine(Iommu, index == 0 ? "nlb0" : $"nlb0#{index}"));
        Interrupts = new SimulatedInterrupts(LinuxKernel.Instance, count: 0);
        PortErrors = new SimulatedErrors("errors");
        FmeErrors = new SimulatedErrors("errors", "pcie0_errors", "pcie1_errors", "nonfatal_errors", "catfatal_errors", "inject_errors");
    }

    internal int Index { get; }

    internal SimulatorOptions Options { get; }

    internal DmaFaultLog Faults { get; }

    internal Iommu Iommu { get; }

    internal IoAddressSpace AddressSpace { get; }

    internal Nlb0Afu Afu { get; }

    /// <summary>The port's interrupt vectors (as many as its AFU declares).</summary>
    internal SimulatedInterrupts Interrupts { get; }

    /// <summary>The port's error registers.</summary>
    internal SimulatedErrors PortErrors { get; }

    /// <summary>The FME's error registers.</summary>
    internal SimulatedErrors FmeErrors { get; }

    /// <summary>True while some handle holds the port.</summary>
    internal bool IsOpen
    {
        get
        {
            lock (_openLock)
            {
                return _openCount > 0;
            }
        }
    }

    /// <summary>Takes the port: exclusive opens exclude everyone, shared ones only an exclusive holder.</summary>
    internal void Acquire(bool shared)
    {
        lock (_openLock)
        {
            if (_exclusive || (!shared && _openCount > 0))
            {
                throw new OpaeException(
                    FpgaResult.Busy,
                    $"simulated accelerator {Index} is already open{(_exclusive ? " exclusively" : "")}; open it shared (FPGA_OPEN_SHARED) or close the other handle");
            }

            _openCount++;
            _exclusive = !shared;
        }
    }

    internal void Release()
    {
        lock (_openLock)
        {
            _openCount--;
            if (_openCount == 0)
            {
                _exclusive = false;

                // Nobody can program the AFU any more: its worker need not wait for work.
                Afu.Shutdown();
            }
        }
    }
}
