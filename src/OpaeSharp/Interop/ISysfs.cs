namespace OpaeSharp.Interop;

/// <summary>
/// A sysfs-shaped tree: the kernel's own (through <see cref="IKernel"/>), or one the simulator
/// renders for its cards with the DFL driver's layout, so code that reads FPGA attributes (sysobjects,
/// errors, properties) runs the same over both.
/// </summary>
/// <remarks>Paths are absolute paths as the real system spells them. Implementations are thread-safe.</remarks>
internal interface ISysfs
{
    /// <summary>The trimmed text of an attribute, or null when it does not exist or cannot be read.</summary>
    string? ReadAttribute(string path);

    /// <summary>Writes <paramref name="value"/> to an attribute (sysfs takes one write per value); the errno the write failed with.</summary>
    Errno WriteAttribute(string path, string value);

    /// <summary>The target of a symbolic link made absolute, or null when <paramref name="path"/> is not a link.</summary>
    string? ReadLink(string path);

    /// <summary>Names (not paths) of the entries of a directory matching <paramref name="pattern"/>, in natural order; empty when it does not exist.</summary>
    IReadOnlyList<string> List(string directory, string pattern = "*");

    /// <summary>True when <paramref name="path"/> exists (a file, directory, link or device node).</summary>
    bool Exists(string path);

    /// <summary>True when <paramref name="path"/> is a directory (following links, as <c>stat</c> does).</summary>
    bool IsDirectory(string path);
}
