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

    /// <summary>Bytes this process has locked now (VmLck in /proc/self/status).</summary>
    internal static long LockedBytes() => ReadStatusKiB("VmLck:") * 1024;

    internal static long ReadStatusKiB(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var digits = line.AsSpan(field.Length).Trim();
                var end = digits.IndexOf(' ');
                return long.Parse(end < 0 ? digits : digits[..end], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    /// <summary>"locked-memory limit reached: 64 KiB allowed (ulimit -l), 60 KiB locked, 4 KiB more needed; …".</summary>
    internal static string DescribeLockFailure(long length, Errno errno)
    {
        var limit = MemlockLimit();
        var limitText = limit is null ? "unlimited" : $"{limit.Value / 1024} KiB";
        return $"cannot pin {length / 1024} KiB ({Libc.StrError(errno)}): locked-memory limit {limitText} (ulimit -l), " +
            $"{LockedBytes() / 1024} KiB already locked by this process; raise RLIMIT_MEMLOCK (ulimit -l, or memlock in /etc/security/limits.conf)";
    }
}
