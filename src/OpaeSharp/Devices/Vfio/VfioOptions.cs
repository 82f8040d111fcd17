using System.Globalization;
using OpaeSharp.Devices.Kernel;

namespace OpaeSharp.Devices.Vfio;

/// <summary>How the vfio-pci backend chooses devices and IO addresses.</summary>
internal sealed record VfioOptions
{
    internal const string DmaBitsVariable = "OPAESHARP_VFIO_DMA_BITS";
    internal const string DevicesVariable = "OPAESHARP_VFIO_DEVICES";
    internal const string IommuVariable = "OPAESHARP_VFIO_IOMMU";

    /// <summary>
    /// The device's DMA address width: IO addresses stay below 2^bits (QEMU's edu device does 28-bit
    /// DMA). Null: only the IOMMU's usable ranges limit them.
    /// </summary>
    public int? DmaAddressBits { get; init; }

    /// <summary>
    /// The PCI functions to use ("0000:00:04.0"), whatever they are. Null means the functions bound to
    /// vfio-pci whose PCI id is a known FPGA card's (<see cref="IsKnownFpga"/>): enumeration opens a
    /// function to read its AFU id, and vfio-pci resets a function when it is opened, so a NIC or GPU
    /// bound to vfio-pci for another program is never touched unless listed here.
    /// </summary>
    public IReadOnlyList<string>? Devices { get; init; }

    /// <summary>How devices are attached to the IOMMU: iommufd where available (auto), or one forced.</summary>
    public VfioIommuMode Iommu { get; init; }

    /// <summary>Lowest IO address handed out; keeps 0 (a "no address" value for many devices) unused.</summary>
    public ulong IovaBase { get; init; } = 0x10_0000;

    /// <summary>Unmapped gap after every mapping, so a device running off a buffer's end faults in the IOMMU.</summary>
    public ulong GuardBytes { get; init; } = 4096;

    /// <summary>Options from <c>OPAESHARP_VFIO_DMA_BITS</c>, <c>OPAESHARP_VFIO_DEVICES</c> (comma separated) and <c>OPAESHARP_VFIO_IOMMU</c>.</summary>
    public static VfioOptions FromEnvironment() =>
        Parse(
            Environment.GetEnvironmentVariable(DmaBitsVariable),
            Environment.GetEnvironmentVariable(DevicesVariable),
            Environment.GetEnvironmentVariable(IommuVariable));

    /// <summary>Options from the variables' values.</summary>
    internal static VfioOptions Parse(string? bits, string? devices, string? iommu = null)
    {
        var mode = iommu?.Trim().ToLowerInvariant() switch
        {
            null or "" or "auto" => VfioIommuMode.Auto,
            "type1" => VfioIommuMode.Type1,
            "iommufd" => VfioIommuMode.Iommufd,
            _ => throw new OpaeException(FpgaResult.InvalidParam, $"{IommuVariable}={iommu} is not one of auto, type1, iommufd"),
        };

        int? dmaBits = null;
        if (!string.IsNullOrWhiteSpace(bits))
        {
            if (!int.TryParse(bits, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 21 || parsed > 64)
            {
                throw new OpaeException(FpgaResult.InvalidParam, $"{DmaBitsVariable}={bits} is not a DMA address width between 21 and 64 bits");
            }

            dmaBits = parsed;
        }

        IReadOnlyList<string>? list = null;
        if (!string.IsNullOrWhiteSpace(devices))
        {
            list = [.. devices.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
            foreach (var address in list)
            {
                if (!PciAddress.TryParse(address, out _))
                {
                    throw new OpaeException(FpgaResult.InvalidParam, $"{DevicesVariable}: '{address}' is not a PCI address like 0000:00:04.0");
                }
            }
        }

        return new VfioOptions { DmaAddressBits = dmaBits, Devices = list, Iommu = mode };
    }

    /// <summary>
    /// True for the PCI ids of FPGA cards whose functions carry a Device Feature List (the ids the
    /// Linux dfl-pci driver claims): Intel PAC and OFS physical and virtual functions, Silicom N501x.
    /// </summary>
    internal static bool IsKnownFpga(ushort vendor, ushort device) => (vendor, device) switch
    {
        (0x8086, 0xBCBD or 0xBCBF or 0xBCC0 or 0xBCC1) => true,   // Intel integrated FPGA, PF and VF
        (0x8086, 0x09C4 or 0x09C5) => true,                       // PAC Arria 10 GX, PF and VF
        (0x8086, 0x0B30) => true,                                 // PAC N3000
        (0x8086, 0x0B2B or 0x0B2C) => true,                       // PAC D5005, PF and VF
        (0x8086, 0xBCCE or 0xBCCF) => true,                       // OFS cards (N6000/N6001/C6100/D5005), PF and VF
        (0x1C2C, 0x1000 or 0x1001) => true,                       // Silicom N5010 / N5011
        _ => false,
    };

    /// <summary>One past the highest IO address the device can reach.</summary>
    internal ulong AddressLimit => DmaAddressBits is null or >= 64 ? ulong.MaxValue : 1UL << DmaAddressBits.Value;
}
