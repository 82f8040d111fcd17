namespace OpaeSharp.Devices;

/// <summary>
/// The interrupts of an FPGA device object (the card's FME) for one handle opened on it: its error
/// interrupt, which FPGA_EVENT_ERROR on an FPGA_DEVICE handle registers with. The handle opens it
/// on first use and disposes it when it closes. An object that models more of the FME (its
/// attributes, reconfiguration) may implement this too, so the handle keeps one FME object.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal interface IDeviceInterrupts : IDisposable
{
    /// <summary>The FME's error reporting interrupt (vector 0), or null where the device has none.</summary>
    IInterruptLines? Errors { get; }
}
