namespace OpaeSharp.Devices;

/// <summary>What a device's driver does with the memory of a buffer; decides how the library prepares it.</summary>
/// <param name="RequiresContiguousBuffers">The driver maps a buffer as one physically contiguous range (DFL): OPAE's page-size rule, no fallback.</param>
/// <param name="SupportsReadOnly">A mapping can be restricted to device reads (READ_ONLY).</param>
/// <param name="DriverPinsPages">
/// The driver pins the pages itself and charges them to RLIMIT_MEMLOCK (DFL, VFIO): the library
/// must not mlock them too, or every buffer costs twice its size in locked memory. False where
/// nothing else pins (the simulator), so the library's mlock stands in for the driver's pin and
/// memlock limits still show up without hardware.
/// </param>
internal readonly record struct DeviceCapabilities(bool RequiresContiguousBuffers, bool SupportsReadOnly, bool DriverPinsPages);
