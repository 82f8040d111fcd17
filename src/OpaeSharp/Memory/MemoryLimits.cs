using System.Globalization;
using OpaeSharp.Interop;

namespace OpaeSharp.Memory;

/// <summary>What the process may lock, and what it has locked: the facts a pinning failure reports.</summary>
internal static class MemoryLimits
{
    /// <summary>RLIMIT_MEMLOCK's soft limit in bytes, or null when unlimited.</summary>
    internal static ulong? MemlockLimit()
    {
        if (Libc.GetRlimit(Libc.RLIMIT_MEMLOCK, out var limit) != Errno.None || limit.rlim_cur == Libc.RLIM_INFINITY)
        {
            return null;
        }

        return limit.rlim_cur;
    }

    /// <summary>Bytes this process has mlocked now (VmLck in /proc/self/status); -1 when it cannot be read.</summary>
    internal static long LockedBytes(IKernel? kernel = null) => ReadStatusKiB(kernel ?? LinuxKernel.Instance, "VmLck:") is var kib and >= 0 ? kib * 1024 : -1;

    /// <summary>Bytes this process has pinned for devices without mlock (VmPin); -1 when it cannot be read.</summary>
    internal static long PinnedBytes(IKernel? kernel = null) => ReadStatusKiB(kernel ?? LinuxKernel.Instance, "VmPin:") is var kib and >= 0 ? kib * 1024 : -1;

    /// <summary>A field of /proc/self/status in KiB; -1 when it cannot be read (no free descriptor). Never throws.</summary>
    internal static long ReadStatusKiB(IKernel kernel, string field)
    {
        var text = kernel.ReadProcSelf("status");
        if (text is null)
        {
            return -1;
        }

        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var digits = line[field.Length..].Trim();
                var end = digits.IndexOf(' ');
                return long.TryParse(end < 0 ? digits : digits[..end], NumberStyles.None, CultureInfo.InvariantCulture, out var kib) ? kib : -1;
            }
        }

        return 0;
    }

    /// <summary>"cannot pin 64 KiB (Cannot allocate memory): locked-memory limit 64 KiB (ulimit -l), 60 KiB already locked and pinned; …". Never throws.</summary>
    internal static string DescribeLockFailure(long length, Errno errno) => DescribeLockFailure(LinuxKernel.Instance, length, errno);

    /// <inheritdoc cref="DescribeLockFailure(long, Errno)"/>
    internal static string DescribeLockFailure(IKernel kernel, long length, Errno errno)
    {
        var limit = MemlockLimit();
        var limitText = limit is null ? "unlimited" : $"{limit.Value / 1024} KiB";
        var locked = ReadStatusKiB(kernel, "VmLck:");
        var pinned = ReadStatusKiB(kernel, "VmPin:");
        var held = locked < 0 || pinned < 0 ? "" : $", {locked + pinned} KiB already locked and pinned by this process";
        return $"cannot pin {length / 1024} KiB ({Libc.StrError(errno)}): locked-memory limit {limitText} (ulimit -l){held}; " +
            "raise RLIMIT_MEMLOCK (ulimit -l, or memlock in /etc/security/limits.conf)";
    }
}
