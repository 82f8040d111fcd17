using System.Globalization;

namespace OpaeSharp.Devices.Kernel;

/// <summary>A PCI function's address, "ssss:bb:dd.f".</summary>
internal readonly record struct PciAddress(ushort Segment, byte Bus, byte Device, byte Function)
{
    internal static bool TryParse(string? text, out PciAddress address)
    {
        address = default;
        if (text is not { Length: 12 } || text[4] != ':' || text[7] != ':' || text[10] != '.')
        {
            return false;
        }

        if (!ushort.TryParse(text.AsSpan(0, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var segment)
            || !byte.TryParse(text.AsSpan(5, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var bus)
            || !byte.TryParse(text.AsSpan(8, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var device)
            || !byte.TryParse(text.AsSpan(11, 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var function)
            || device > 0x1f || function > 7)
        {
            return false;
        }

        address = new PciAddress(segment, bus, device, function);
        return true;
    }

    /// <summary>The last component of <paramref name="path"/> that is a PCI address, and the path up to it.</summary>
    internal static bool TryFindIn(string? path, out PciAddress address, out string devicePath)
    {
        address = default;
        devicePath = "";
        if (path is null)
        {
            return false;
        }

        var parts = path.Split('/');
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            if (TryParse(parts[i], out address))
            {
                devicePath = string.Join('/', parts, 0, i + 1);
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads a sysfs id file ("0x8086").</summary>
    internal static ushort ParseId(string? text) =>
        text is not null && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && ushort.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var id) ? id : (ushort)0;

    public override string ToString() => $"{Segment:x4}:{Bus:x2}:{Device:x2}.{Function:x1}";
}
