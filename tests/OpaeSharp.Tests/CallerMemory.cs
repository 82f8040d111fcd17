using System.Globalization;
using OpaeSharp.Interop;

namespace OpaeSharp.Tests;

/// <summary>Memory a caller of FPGA_BUF_PREALLOCATED might hand in, in the shapes that used to hurt.</summary>
internal static class CallerMemory
{
    /// <summary>Anonymous memory mapped with <paramref name="protection"/>, touched first when readable.</summary>
    internal static nint Map(long length, int protection = Libc.PROT_READ | Libc.PROT_WRITE, int extraFlags = 0)
    {
        var address = Libc.Mmap(0, (nuint)length, protection, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | extraFlags, -1, 0, out var errno);
        Assert.True(address != Libc.MapFailed, $"test mmap failed: {errno}");
        return address;
    }

    /// <summary>
    /// Anonymous read-write memory far above where the kernel places mappings by itself, so once it
    /// is unmapped nothing else appears at its address (a device write there would be a SIGSEGV).
    /// </summary>
    internal static nint MapAway(long length)
    {
        const int MAP_FIXED_NOREPLACE = 0x100000;
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var hint = (nint)(0x5000_0000_0000L + (Random.Shared.NextInt64(1L << 32) << 12));
            var address = Libc.Mmap(hint, (nuint)length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0, out _);
            if (address == hint)
            {
                return address;
            }
        }

        throw new InvalidOperationException("no free address for a test mapping");
    }

    /// <summary>Replaces the pages at <paramref name="address"/> with fresh zero pages of <paramref name="protection"/> (MAP_FIXED).</summary>
    internal static void MapOver(nint address, long length, int protection = Libc.PROT_READ | Libc.PROT_WRITE)
    {
        var again = Libc.Mmap(address, (nuint)length, protection, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_FIXED, -1, 0, out var errno);
        Assert.True(again == address, $"test mmap MAP_FIXED failed: {errno}");
    }

    internal static void Unmap(nint address, long length) => Assert.Equal(Errno.None, Libc.Munmap(address, (nuint)length));

    internal static bool IsMapped(nint address, long length) => Libc.Msync(address, (nuint)length, Libc.MS_ASYNC) == Errno.None;

    /// <summary>Where this process's mapping named <paramref name="name"/> ("[vdso]") is.</summary>
    internal static (nint Address, long Length) Named(string name)
    {
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            if (line.EndsWith(name, StringComparison.Ordinal))
            {
                var range = line[..line.IndexOf(' ', StringComparison.Ordinal)].Split('-');
                var start = long.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                var end = long.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                return ((nint)start, end - start);
            }
        }

        throw new InvalidOperationException($"no {name} mapping in /proc/self/maps");
    }

    internal static unsafe Span<byte> Bytes(nint address, int length) => new((void*)address, length);
}
