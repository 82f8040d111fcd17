using OpaeSharp.Interop;

namespace OpaeSharp.Tests;

/// <summary>Memory a test owns, as a caller of FPGA_BUF_PREALLOCATED would: page aligned, mapped by mmap.</summary>
internal sealed class PageAlignedMemory : IDisposable
{
    internal PageAlignedMemory(long length)
    {
        Length = length;
        Address = Libc.Mmap(0, (nuint)length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0, out var errno);
        Assert.True(Address != Libc.MapFailed, $"test mmap failed: {errno}");
    }

    internal nint Address { get; }

    internal long Length { get; }

    internal unsafe Span<byte> Span => new((void*)Address, (int)Length);

    public void Dispose() => Libc.Munmap(Address, (nuint)Length);
}
