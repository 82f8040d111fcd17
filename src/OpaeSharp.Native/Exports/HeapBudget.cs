using System.Globalization;

namespace OpaeSharp.Native.Exports;

/// <summary>
/// The managed heap a C program's process lends the library is a fixed range (OpaeSharp.Native.csproj:
/// System.GC.RegionRange, or <c>DOTNET_GCRegionRange</c>). The runtime does not fail gracefully
/// when that range is used up (its region allocator crashes the process), so the library refuses new
/// buffers with NO_MEMORY well before: a host asking for too many buffers gets a result code, not a crash.
/// </summary>
internal static class HeapBudget
{
    // Keep in step with OpaeSharp.Native.csproj.
    private const long BuiltInRange = 256L << 20;

    private static readonly long s_range = ConfiguredRange();
    private static int s_calls;
    private static volatile bool s_full;

    /// <summary>The reserved range in bytes.</summary>
    internal static long Range => s_range;

    /// <summary>False when the heap (as the last collection left it) fills three quarters of the range. Looked at every 64th call.</summary>
    internal static bool HasRoom()
    {
        if ((Interlocked.Increment(ref s_calls) & 63) == 1)
        {
            s_full = GC.GetGCMemoryInfo().TotalCommittedBytes > s_range / 4 * 3;
        }

        return !s_full;
    }

    private static long ConfiguredRange()
    {
        // The runtime reads DOTNET_ settings as hexadecimal, with or without 0x.
        var text = Environment.GetEnvironmentVariable("DOTNET_GCRegionRange")?.Trim();
        if (text is { Length: > 0 })
        {
            var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
            if (long.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var range) && range > 0)
            {
                return range;
            }
        }

        return BuiltInRange;
    }
}
