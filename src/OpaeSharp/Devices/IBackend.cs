using OpaeSharp.Devices.Kernel;
using OpaeSharp.Enumeration;
using OpaeSharp.Interop;
using OpaeSharp.Memory;

namespace OpaeSharp.Devices;

/// <summary>A driver stack that can discover and open accelerators.</summary>
internal interface IBackend
{
    BackendKind Kind { get; }

    /// <summary>"sim", "dfl", "intel-fpga" or "vfio".</summary>
    string Name { get; }

    /// <summary>
    /// True when this driver stack is on the machine with at least one FPGA under it, as sysfs
    /// tells: no device is opened to answer. What <see cref="BackendKind.Auto"/> decides on.
    /// </summary>
    bool IsPresent { get; }

    /// <summary>The kernel seam this backend's devices use (eventfds and waits for their events too).</summary>
    IKernel Kernel { get; }

    /// <summary>Where buffers of this backend's devices get their memory.</summary>
    BufferAllocator Memory { get; }

    /// <summary>
    /// All FPGA objects this backend can see: devices and the accelerators below them. Reads what
    /// sysfs (or the simulator) knows; opens no device.
    /// </summary>
    IReadOnlyList<AcceleratorToken> Enumerate();

    /// <summary>Opens the accelerator <paramref name="token"/> names; BUSY when it is held exclusively.</summary>
    IDevice Open(AcceleratorToken token, bool shared);

    /// <summary>Opens the management side (FME) of the FPGA device <paramref name="device"/> for one operation (reconfiguration).</summary>
    /// <exception cref="OpaeException">NOT_SUPPORTED where the backend has no FME (vfio-pci).</exception>
    IFpgaDevice OpenFpgaDevice(AcceleratorToken device);

    /// <summary>
    /// The interrupts of the FPGA device object <paramref name="device"/> (its FME) for one handle,
    /// or null where the backend has no FME to open (vfio-pci functions). The caller disposes it.
    /// </summary>
    /// <exception cref="OpaeException">When the FME exists but cannot be opened (permissions, driver).</exception>
    IDeviceInterrupts? OpenDeviceInterrupts(AcceleratorToken device);

    /// <summary>Whether an accelerator can be opened through this backend, and if not why; opens nothing.</summary>
    BackendStatus Status();
}
