using System.Globalization;
using OpaeSharp.Enumeration;

namespace OpaeSharp.VmTests;

/// <summary>Opens the edu function through the VFIO backend, by PCI address, as an application would.</summary>
internal sealed class EduTarget(string pciAddress)
{
    internal string PciAddress { get; } = pciAddress;

    /// <summary>Opens the function; the caller disposes the handle.</summary>
    internal Accelerator Open()
    {
        // "ssss:bb:dd.f"
        var parts = PciAddress.Split(':', '.');
        var filter = new AcceleratorFilter
        {
            ObjectType = FpgaObjectType.Accelerator,
            Segment = ushort.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            Bus = byte.Parse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            Device = byte.Parse(parts[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            Function = byte.Parse(parts[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        };
        return Accelerator.Open(filter, backend: BackendKind.Vfio);
    }
}
