using System.Globalization;
using System.Text;
using OpaeSharp.Interop;

namespace OpaeSharp.Objects;

/// <summary>
/// One node of a resource's sysfs view (OPAE's <c>fpga_object</c>): an attribute holding the bytes
/// it had when last synchronised, or a container (a directory, or the several matches of a pattern)
/// with the children made when it was (RECURSE_ONE / RECURSE_ALL). Attributes are written only
/// through objects made from an open handle, as OPAE's are. Thread-safe.
/// </summary>
internal sealed class SysfsObject
{
    /// <summary>The most an attribute holds (one page, as sysfs).</summary>
    internal const int MaxAttributeBytes = 4096;

    private readonly Lock _lock = new();
    private byte[] _content;

    private SysfsObject(ISysfs sysfs, string path, string name, bool isContainer, bool writable, IReadOnlyList<SysfsObject> children, byte[] content)
    {
        Sysfs = sysfs;
        Path = path;
        Name = name;
        IsContainer = isContainer;
        Writable = writable;
        Children = children;
        _content = content;
    }

    internal ISysfs Sysfs { get; }

    /// <summary>The absolute path (for a pattern's matches, the pattern).</summary>
    internal string Path { get; }

    internal string Name { get; }

    internal bool IsContainer { get; }

    /// <summary>True when made through an open handle: <see cref="Write64"/> may write.</summary>
    internal bool Writable { get; }

    internal IReadOnlyList<SysfsObject> Children { get; }

    /// <summary>A container's children, or an attribute's bytes, as last synchronised.</summary>
    internal int Size
    {
        get
        {
            lock (_lock)
            {
                return IsContainer ? Children.Count : _content.Length;
            }
        }
    }

    /// <summary>
    /// The object <paramref name="name"/> names below <paramref name="directory"/>: NOT_FOUND when
    /// nothing is there, INVALID_PARAM for a name that leaves the directory (starts with '.' or '/',
    /// or holds ".."), EXCEPTION for an empty directory (OPAE's answers).
    /// </summary>
    internal static Status Open(ISysfs sysfs, string directory, string name, ObjectFlags flags, bool writable, out SysfsObject? result)
    {
        result = null;
        if (name.Length == 0 || name[0] is '.' or '/' || name.Contains("..", StringComparison.Ordinal))
        {
            return Status.Fail(FpgaResult.InvalidParam, $"'{name}' is not a name below the object (it may not start with '.' or '/', nor contain '..')");
        }

        return Make(sysfs, $"{directory.TrimEnd('/')}/{name}", name, flags, writable, out result);
    }

    /// <summary>Reads the attribute again (FPGA_OBJECT_SYNC).</summary>
    internal Status Sync()
    {
        if (IsContainer)
        {
            return Status.Ok;
        }

        var text = Sysfs.ReadAttribute(Path);
        if (text is null)
        {
            return Status.Fail(FpgaResult.Exception, $"{Path} could not be read");
        }

        lock (_lock)
        {
            _content = Encode(text);
        }

        return Status.Ok;
    }

    /// <summary>The attribute's bytes as last synchronised.</summary>
    internal byte[] Content
    {
        get
        {
            lock (_lock)
            {
                return _content;
            }
        }
    }

    /// <summary>The value as OPAE reads it: text parsed like <c>strtoull(s, NULL, 0)</c>, or with RAW the first 8 bytes.</summary>
    internal Status Read64(ObjectFlags flags, out ulong value)
    {
        value = 0;
        if (IsContainer)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"{Name} is a container, not an attribute");
        }

        if ((flags & ObjectFlags.Sync) != 0 && Sync() is { IsOk: false } failed)
        {
            return failed;
        }

        var content = Content;
        if ((flags & ObjectFlags.Raw) != 0)
        {
            Span<byte> raw = stackalloc byte[8];
            content.AsSpan(0, Math.Min(8, content.Length)).CopyTo(raw);
            value = BitConverter.ToUInt64(raw);
            return Status.Ok;
        }

        value = ParseUnsigned(Encoding.ASCII.GetString(content));
        return Status.Ok;
    }

    /// <summary>Writes <paramref name="value"/> as "0x…" text (or 8 raw bytes); INVALID_PARAM on an object not made from a handle.</summary>
    internal Status Write64(ulong value, ObjectFlags flags)
    {
        if (IsContainer)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"{Name} is a container, not an attribute");
        }

        if (!Writable)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"{Name} was made from a token; objects are written through a handle (fpgaHandleGetObject)");
        }

        var text = (flags & ObjectFlags.Raw) != 0
            ? Encoding.Latin1.GetString(BitConverter.GetBytes(value))
            : "0x" + value.ToString("x", CultureInfo.InvariantCulture);
        var errno = Sysfs.WriteAttribute(Path, text);
        if (errno != Errno.None)
        {
            return Status.Fail(FpgaResult.Exception, $"writing {text} to {Path} failed: {Libc.StrError(errno)}");
        }

        lock (_lock)
        {
            _content = Encoding.Latin1.GetBytes(text);
        }

        return Status.Ok;
    }

    /// <summary><c>strtoull(text, NULL, 0)</c>: leading blanks, an optional sign, "0x" hex, "0" octal, else decimal; stops at the first other character.</summary>
    internal static ulong ParseUnsigned(string text)
    {
        var s = text.AsSpan().TrimStart();
        var negative = false;
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        var radix = 10;
        if (s.Length > 1 && s[0] == '0' && s[1] is 'x' or 'X')
        {
            radix = 16;
            s = s[2..];
        }
        else if (s.Length > 0 && s[0] == '0')
        {
            radix = 8;
        }

        ulong value = 0;
        foreach (var c in s)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => 99,
            };
            if (digit >= radix)
            {
                break;
            }

            // strtoull saturates on overflow.
            if (value > (ulong.MaxValue - (ulong)digit) / (ulong)radix)
            {
                return ulong.MaxValue;
            }

            value = (value * (ulong)radix) + (ulong)digit;
        }

        return negative ? unchecked(0 - value) : value;
    }

    private static Status Make(ISysfs sysfs, string path, string name, ObjectFlags flags, bool writable, out SysfsObject? result)
    {
        result = null;
        if ((flags & ObjectFlags.Glob) != 0 && SysfsGlob.HasWildcards(path))
        {
            var matches = SysfsGlob.Expand(sysfs, path);
            if (matches.Count == 0)
            {
                return Status.Fail(FpgaResult.NotFound, $"nothing matches {path}");
            }

            if (matches.Count == 1)
            {
                return Make(sysfs, matches[0], name, flags & ~ObjectFlags.Glob, writable, out result);
            }

            var each = new List<SysfsObject>(matches.Count);
            foreach (var match in matches)
            {
                var status = Make(sysfs, match, System.IO.Path.GetFileName(match), flags & ~ObjectFlags.Glob, writable, out var child);
                if (!status.IsOk)
                {
                    return status;
                }

                each.Add(child!);
            }

            result = new SysfsObject(sysfs, path, name, isContainer: true, writable, each, []);
            return Status.Ok;
        }

        if (!sysfs.Exists(path))
        {
            return Status.Fail(FpgaResult.NotFound, $"{path} does not exist");
        }

        if (sysfs.IsDirectory(path))
        {
            var names = sysfs.List(path).Where(n => !n.StartsWith('.')).ToList();
            if (names.Count == 0)
            {
                return Status.Fail(FpgaResult.Exception, $"{path} is an empty group");
            }

            var children = new List<SysfsObject>();
            if ((flags & (ObjectFlags.RecurseOne | ObjectFlags.RecurseAll)) != 0)
            {
                // RECURSE_ONE makes one level of children; RECURSE_ALL every level.
                var below = flags & ~ObjectFlags.RecurseOne & ~ObjectFlags.Glob;
                foreach (var child in names)
                {
                    if (Make(sysfs, $"{path}/{child}", child, below, writable, out var made).IsOk)
                    {
                        children.Add(made!);
                    }
                }
            }

            result = new SysfsObject(sysfs, path, name, isContainer: true, writable, children, []);
            return Status.Ok;
        }

        // A write-only attribute (inject_errors on some drivers) has nothing to read yet.
        var text = sysfs.ReadAttribute(path);
        result = new SysfsObject(sysfs, path, name, isContainer: false, writable, [], text is null ? [] : Encode(text));
        return Status.Ok;
    }

    // sysfs ends each value with a newline; ReadAttribute trimmed it.
    private static byte[] Encode(string text) => Encoding.Latin1.GetBytes(text + "\n");
}
