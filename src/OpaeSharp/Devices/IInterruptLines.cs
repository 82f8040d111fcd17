using OpaeSharp.Interop;

namespace OpaeSharp.Devices;

/// <summary>
/// A device's interrupt vectors, each of which can signal an eventfd the program polls: the DFL
/// port's user interrupts (DFL_FPGA_PORT_UINT_SET_IRQ), a vfio-pci function's MSI/MSI-X vectors
/// (VFIO_DEVICE_SET_IRQS), or the vectors a simulated AFU raises. One eventfd per vector at a time.
/// </summary>
/// <remarks>Thread-safe. Failures are returned: INVALID_PARAM for a vector out of range, BUSY when one is bound already.</remarks>
internal interface IInterruptLines
{
    /// <summary>How many vectors the device has (0: none).</summary>
    int Count { get; }

    /// <summary>Makes vector <paramref name="vector"/> signal <paramref name="eventFd"/> (adds 1 to its counter per interrupt).</summary>
    Status Attach(int vector, SafeFileDescriptor eventFd);

    /// <summary>Stops vector <paramref name="vector"/> signalling; a vector with nothing attached is INVALID_PARAM.</summary>
    Status Detach(int vector);
}
