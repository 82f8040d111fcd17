namespace OpaeSharp.Interop;

/// <summary>
/// Reads a sysfs-shaped tree from the file system under a root: "/" for the real system, a
/// temporary folder for tests. Absolute links inside the tree are taken relative to the root.
/// </summary>
internal sealed class SysfsFiles(string root)
{
    internal string Root { get; } = root;

    /// <summary>Where <paramref name="path"/> (an absolute path of the real system) lives under the root.</summary>
    internal string Host(string path) => Root == "/" ? path : Path.Join(Root, path);

    internal string? ReadAttribute(string path)
    {
        try
        {
            return File.ReadAllText(Host(path)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>One write of <paramref name="value"/>, as sysfs takes it (no truncation, no append).</summary>
    internal Errno WriteAttribute(string path, string value)
    {
        try
        {
            using var stream = new FileStream(Host(path), FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
            stream.Write(System.Text.Encoding.ASCII.GetBytes(value));
            return Errno.None;
        }
        catch (FileNotFoundException)
        {
            return Errno.ENOENT;
        }
        catch (DirectoryNotFoundException)
        {
            return Errno.ENOENT;
        }
        catch (UnauthorizedAccessException)
        {
            return Errno.EACCES;
        }
        catch (IOException e)
        {
            // The kernel's answer to the write (EINVAL for a bad value, EBUSY, ...).
            return e.HResult is > 0 and < 4096 ? (Errno)e.HResult : Errno.EIO;
        }
    }

    internal string? ReadLink(string path)
    {
        try
        {
            var target = new FileInfo(Host(path)).LinkTarget;
            if (target is null)
            {
                return null;
            }

            return target.StartsWith('/')
                ? Path.GetFullPath(target)
                : Path.GetFullPath(Path.Join(Path.GetDirectoryName(path), target));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    internal bool Exists(string path) => Path.Exists(Host(path)) || new FileInfo(Host(path)).LinkTarget is not null;

    internal bool IsDirectory(string path) => Directory.Exists(Host(path));

    internal IReadOnlyList<string> List(string directory, string pattern)
    {
        try
        {
            var names = Directory.EnumerateFileSystemEntries(Host(directory), pattern).Select(Path.GetFileName).OfType<string>().ToList();
            names.Sort(NaturalOrder);
            return names;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>"dfl-port.2" before "dfl-port.10".</summary>
    internal static int NaturalOrder(string? a, string? b)
    {
        var (pa, na) = Split(a ?? "");
        var (pb, nb) = Split(b ?? "");
        var c = string.CompareOrdinal(pa, pb);
        return c != 0 ? c : na.CompareTo(nb);

        static (string Prefix, long Number) Split(string s)
        {
            var i = s.Length;
            while (i > 0 && char.IsAsciiDigit(s[i - 1]))
            {
                i--;
            }

            return i < s.Length && i > s.Length - 18 ? (s[..i], long.Parse(s[i..], System.Globalization.CultureInfo.InvariantCulture)) : (s, -1);
        }
    }
}
