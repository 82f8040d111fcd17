using OpaeSharp.Interop;

namespace OpaeSharp.Objects;

/// <summary>
/// Shell-style patterns over an <see cref="ISysfs"/> tree, as OPAE's sysobject names use them:
/// <c>*</c> and <c>?</c> within one path segment (<c>"*perf/clock"</c>, <c>"hwmon/hwmon*/temp1_input"</c>),
/// and one <c>/**/</c> standing for one to five directory levels, the shallowest that matches.
/// </summary>
internal static class SysfsGlob
{
    /// <summary>How deep one <c>/**/</c> may reach (as OPAE's own search).</summary>
    internal const int MaxRecursiveDepth = 5;

    internal static bool HasWildcards(string pattern) => pattern.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>Every existing path <paramref name="pattern"/> (absolute) matches, in natural order.</summary>
    internal static IReadOnlyList<string> Expand(ISysfs sysfs, string pattern)
    {
        var recursive = pattern.IndexOf("/**/", StringComparison.Ordinal);
        if (recursive < 0)
        {
            return ExpandPlain(sysfs, pattern);
        }

        var prefix = pattern[..recursive];
        var rest = pattern[(recursive + 4)..];
        for (var depth = 1; depth <= MaxRecursiveDepth; depth++)
        {
            var levels = string.Concat(Enumerable.Repeat("*/", depth));
            var found = ExpandPlain(sysfs, $"{prefix}/{levels}{rest}");
            if (found.Count > 0)
            {
                return found;
            }
        }

        return [];
    }

    private static List<string> ExpandPlain(ISysfs sysfs, string pattern)
    {
        var segments = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = new List<string> { "" };
        foreach (var segment in segments)
        {
            var next = new List<string>();
            foreach (var directory in current)
            {
                if (!HasWildcards(segment))
                {
                    var path = $"{directory}/{segment}";
                    if (sysfs.Exists(path))
                    {
                        next.Add(path);
                    }

                    continue;
                }

                var parent = directory.Length == 0 ? "/" : directory;
                foreach (var name in sysfs.List(parent, segment))
                {
                    // Hidden entries are matched only by a pattern that names the dot, as glob(3) does.
                    if (name.StartsWith('.') && !segment.StartsWith('.'))
                    {
                        continue;
                    }

                    next.Add($"{directory}/{name}");
                }
            }

            current = next;
            if (current.Count == 0)
            {
                break;
            }
        }

        return current;
    }
}
