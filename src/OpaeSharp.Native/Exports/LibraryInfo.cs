using System.Reflection;

namespace OpaeSharp.Native.Exports;

/// <summary>The OPAE version this library implements and the build it came from.</summary>
internal static class LibraryInfo
{
    /// <summary>The OPAE C API generation we are compatible with; the SONAME's major number.</summary>
    internal const byte Major = 2;
    internal const byte Minor = 0;
    internal const ushort Patch = 0;

    internal static string Version => $"{Major}.{Minor}.{Patch}";

    /// <summary>The commit the library was built from (OPAE reports its git hash here), else "unknown".</summary>
    internal static string Build { get; } =
        typeof(LibraryInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "OpaeBuild" && !string.IsNullOrEmpty(a.Value))?.Value ?? "unknown";
}
