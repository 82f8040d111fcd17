namespace OpaeSharp.Devices.Simulated;

/// <summary>An FPGA_DEVICE handle's view of a simulated card's FME: its error interrupt. Holds nothing open.</summary>
internal sealed class SimulatedFmeInterrupts(SimulatedErrors fmeErrors) : IDeviceInterrupts
{
    public IInterruptLines? Errors => fmeErrors.Interrupt;

    public void Dispose()
    {
    }
}
