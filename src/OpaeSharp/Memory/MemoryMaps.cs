using System.Globalization;
using OpaeSharp.Interop;

namespace OpaeSharp.Memory;

/// <summary>
/// What <c>/proc/self/maps</c> (and, for page sizes, <c>smaps</c>) says about a range of this
/// process's memory: whether every page of it is mapped with the access a device would need, and
/// whether it lies in a mapping no driver could pin (the kernel's vvar and vsyscall pages).
/// Read only where pinning itself cannot answer (see <see cref="BufferAllocator"/>), so the common
/// prepare reads nothing.
/// </summary>
internal static class MemoryMaps
{
    /// <summary>Mappings of the kernel's own pages: not pinnable, whatever their permissions say.</summary>
    private static readonly string[] s_special = ["[vvar]", "[vvar_vclock]", "[vsyscall]"];

    /// <summary>
    /// Null when every page of <paramref name="address"/>..+<paramref name="length"/> is mapped
    /// readable (and writable when <paramref name="write"/>) in an ordinary mapping; else why not.
    /// </summary>
    internal static string? CheckAccess(IKernel kernel, nint address, long length, bool write)
    {
        var text = kernel.ReadProcSelf("maps");
        if (text is null)
        {
            return "cannot read /proc/self/maps to check the range";
        }

        var start = (ulong)address;
        var end = start + (ulong)length;
        var covered = start;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (!TryParse(line, out var from, out var to, out var perms, out var name) || to <= covered)
            {
                continue;
            }

            if (from > covered)
            {
                break;
            }

            foreach (var special in s_special)
            {
                if (name.SequenceEqual(special))
                {
                    return $"0x{covered:x} is in the kernel's {special} mapping, which no driver can pin";
                }
            }

            if (perms[0] != 'r')
            {
                return $"0x{covered:x} is not readable ({perms}): the device could not pin it";
            }

            if (write && perms[1] != 'w')
            {
                return $"0x{covered:x} is mapped read-only ({perms}): the device could not pin it for writing (prepare it with FPGA_BUF_READ_ONLY, or map it writable)";
            }

            covered = to;
            if (covered >= end)
            {
                return null;
            }
        }

        return $"0x{covered:x} is not mapped in this process";
    }

    /// <summary>The page size of the mapping holding <paramref name="address"/> (smaps' KernelPageSize), or null when unknown.</summary>
    internal static long? PageSizeAt(IKernel kernel, nint address)
    {
        var text = kernel.ReadProcSelf("smaps");
        if (text is null)
        {
            return null;
        }

        var target = (ulong)address;
        var inside = false;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (TryParse(line, out var from, out var to, out _, out _))
            {
                inside = target >= from && target < to;
                continue;
            }

            const string Field = "KernelPageSize:";
            if (inside && line.StartsWith(Field, StringComparison.Ordinal))
            {
                var value = line[Field.Length..].Trim();
                var space = value.IndexOf(' ');
                return long.TryParse(space < 0 ? value : value[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var kib) ? kib * 1024 : null;
            }
        }

        return null;
    }

    // "7f00a000-7f00c000 rw-p 00000000 00:00 0    [name]"
    private static bool TryParse(ReadOnlySpan<char> line, out ulong from, out ulong to, out ReadOnlySpan<char> perms, out ReadOnlySpan<char> name)
    {
        from = to = 0;
        perms = name = default;
        var dash = line.IndexOf('-');
        var space = line.IndexOf(' ');
        if (dash <= 0 || space <= dash || line.Length < space + 5
            || !ulong.TryParse(line[..dash], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out from)
            || !ulong.TryParse(line[(dash + 1)..space], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out to))
        {
            return false;
        }

        perms = line.Slice(space + 1, 4);

        // Offset, device and inode come next; the name (if any) is whatever follows them.
        var rest = line[(space + 5)..];
        for (var field = 0; field < 3; field++)
        {
            rest = rest.TrimStart();
            var next = rest.IndexOf(' ');
            rest = next < 0 ? default : rest[next..];
        }

        name = rest.Trim();
        return true;
    }
}
