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

    /// <summary>The PCI functions to use ("0000:00:04.0"); null means every function bound to vfio-pci.</summary>
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

    /// <summary>One past the highest IO address the device can reach.</summary>
    internal ulong AddressLimit => DmaAddressBits is null or >= 64 ? ulong.MaxValue : 1UL << DmaAddressBits.Value;
}
