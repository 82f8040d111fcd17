using System.Reflection;

namespace OpaeSharp.Native.Exports;

/// <summary>
/// The OPAE version this library implements and the build it came from. Major, Minor and Patch
/// (the OPAE C API generation we are compatible with; Major is the SONAME's number) are generated
/// from OpaeApiVersion in Directory.Build.props.
/// </summary>
internal static partial class LibraryInfo
{
    internal static string Version => $"{Major}.{Minor}.{Patch}";

    /// <summary>The commit the library was built from (OPAE reports its git hash here), else "unknown".</summary>
    internal static string Build { get; } =
        typeof(LibraryInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "OpaeBuild" && !string.IsNullOrEmpty(a.Value))?.Value ?? "unknown";
}
