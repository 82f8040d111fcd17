using System.Globalization;

namespace OpaeSharp.Cli.Selection;

/// <summary>
/// Part or all of a PCI address to match: each of segment, bus, device and function is either a
/// value or null (any). Built from OPAE's <c>-S/-B/-D/-F</c> numbers and from an address
/// <c>ssss:bb:dd.f</c> or <c>bb:dd.f</c> (lspci's and xbutil's form).
/// </summary>
internal readonly record struct PciSelector(ushort? Segment, byte? Bus, byte? Device, byte? Function)
{
    internal const int MaxSegment = 0xffff;
    internal const int MaxBus = 0xff;
    internal const int MaxDevice = 0x1f;
    internal const int MaxFunction = 7;

    internal bool IsEmpty => Segment is null && Bus is null && Device is null && Function is null;

    /// <summary>
    /// A number the way OPAE's tools read one (<c>strtoul</c> with base 0): <c>0x3b</c> is hex,
    /// a leading 0 is octal (<c>073</c>), anything else decimal; no sign, nothing after the digits.
    /// </summary>
    internal static bool TryParseNumber(string? text, int max, out int value)
    {
        value = 0;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var (digits, radix) = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? (text[2..], 16)
            : text.Length > 1 && text[0] == '0' ? (text[1..], 8)
            : (text, 10);
        if (digits.Length == 0)
        {
            return false;
        }

        long result = 0;
        foreach (var c in digits)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => int.MaxValue,
            };
            if (digit >= radix)
            {
                return false;
            }

            result = (result * radix) + digit;
            if (result > max)
            {
                return false;
            }
        }

        value = (int)result;
        return true;
    }

    /// <summary>
    /// Parses <c>ssss:bb:dd.f</c> or <c>bb:dd.f</c> (hex fields, as lspci prints them; leading
    /// zeros optional). The short form leaves the segment open: on the usual machine, with one
    /// segment, it names the same function.
    /// </summary>
    internal static bool TryParseAddress(string? text, out PciSelector address)
    {
        address = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var dot = text.LastIndexOf('.');
        if (dot < 0)
        {
            return false;
        }

        var fields = text[..dot].Split(':');
        if (fields.Length is not (2 or 3))
        {
            return false;
        }

        var segment = 0;
        if ((fields.Length == 3 && !TryHex(fields[0], 4, MaxSegment, out segment))
            || !TryHex(fields[^2], 2, MaxBus, out var bus)
            || !TryHex(fields[^1], 2, MaxDevice, out var device)
            || !TryHex(text[(dot + 1)..], 1, MaxFunction, out var function))
        {
            return false;
        }

        address = new PciSelector(fields.Length == 3 ? (ushort)segment : null, (byte)bus, (byte)device, (byte)function);
        return true;
    }

    /// <summary>
    /// This selector and <paramref name="other"/> together; null (and the field they disagree on in
    /// <paramref name="conflict"/>) when both set a field to different values.
    /// </summary>
    internal PciSelector? Merge(PciSelector other, out string? conflict)
    {
        conflict = Segment is { } s1 && other.Segment is { } s2 && s1 != s2 ? "segment"
            : Bus is { } b1 && other.Bus is { } b2 && b1 != b2 ? "bus"
            : Device is { } d1 && other.Device is { } d2 && d1 != d2 ? "device"
            : Function is { } f1 && other.Function is { } f2 && f1 != f2 ? "function"
            : null;
        return conflict is null
            ? new PciSelector(Segment ?? other.Segment, Bus ?? other.Bus, Device ?? other.Device, Function ?? other.Function)
            : null;
    }

    internal bool Matches(ushort segment, byte bus, byte device, byte function) =>
        (Segment is null || Segment == segment)
            && (Bus is null || Bus == bus)
            && (Device is null || Device == device)
            && (Function is null || Function == function);

    /// <summary>"0000:3b:00.0" or "3b:00.0" when those fields are set, else the fields that are: "bus 0x3b, function 0".</summary>
    public override string ToString()
    {
        if (Bus is not null && Device is not null && Function is not null)
        {
            return Segment is null ? $"{Bus:x2}:{Device:x2}.{Function:x1}" : $"{Segment:x4}:{Bus:x2}:{Device:x2}.{Function:x1}";
        }

        var parts = new List<string>();
        if (Segment is { } segment)
        {
            parts.Add($"segment 0x{segment:x4}");
        }

        if (Bus is { } bus)
        {
            parts.Add($"bus 0x{bus:x2}");
        }

        if (Device is { } device)
        {
            parts.Add($"device 0x{device:x2}");
        }

        if (Function is { } function)
        {
            parts.Add($"function {function}");
        }

        return parts.Count == 0 ? "any PCI address" : string.Join(", ", parts);
    }

    private static bool TryHex(string text, int maxDigits, int max, out int value)
    {
        value = 0;
        return text.Length is > 0 && text.Length <= maxDigits
            && int.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            && value <= max;
    }
}
