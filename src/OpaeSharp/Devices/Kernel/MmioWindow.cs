using System.Buffers.Binary;
using OpaeSharp.Interop;

namespace OpaeSharp.Devices.Kernel;

/// <summary>
/// One MMIO region of a device: through a mapping when the driver allows mmap, else through
/// pread/pwrite on the device descriptor at the region's offset (VFIO regions without the mmap flag).
/// </summary>
internal sealed class MmioWindow : IDisposable
{
    private readonly IKernel _kernel;
    private readonly SafeFileDescriptor _fd;
    private readonly SafeMappedRegion? _mapping;
    private readonly long _offset;

    internal MmioWindow(IKernel kernel, SafeFileDescriptor fd, ulong size, long offset, SafeMappedRegion? mapping)
    {
        _kernel = kernel;
        _fd = fd;
        Size = size;
        _offset = offset;
        _mapping = mapping;
    }

    internal ulong Size { get; }

    /// <summary>The mapped address, or 0 when the region is reached with pread/pwrite.</summary>
    internal nint Address => _mapping?.Address ?? 0;

    internal unsafe uint Read32(ulong offset)
    {
        if (_mapping is not null)
        {
            return Volatile.Read(ref *(uint*)(_mapping.Address + (nint)offset));
        }

        Span<byte> bytes = stackalloc byte[4];
        ReadThroughFd(bytes, offset);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    internal unsafe ulong Read64(ulong offset)
    {
        if (_mapping is not null)
        {
            return Volatile.Read(ref *(ulong*)(_mapping.Address + (nint)offset));
        }

        Span<byte> bytes = stackalloc byte[8];
        ReadThroughFd(bytes, offset);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    internal unsafe void Write32(ulong offset, uint value)
    {
        if (_mapping is not null)
        {
            Volatile.Write(ref *(uint*)(_mapping.Address + (nint)offset), value);
            return;
        }

        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        WriteThroughFd(bytes, offset);
    }

    internal unsafe void Write64(ulong offset, ulong value)
    {
        if (_mapping is not null)
        {
            Volatile.Write(ref *(ulong*)(_mapping.Address + (nint)offset), value);
            return;
        }

        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        WriteThroughFd(bytes, offset);
    }

    /// <summary>True when this CPU can store 64 bytes in one instruction (x86-64 AVX-512F), what a 512-bit MMIO write needs.</summary>
    internal static bool CpuHas512BitStores => WideMmio.Supported;

    /// <summary>
    /// One 512-bit store of <paramref name="value"/> (64 bytes) at a 64-byte aligned offset, so the
    /// device sees a single 64-byte write. NOT_SUPPORTED without AVX-512 or without a mapping:
    /// splitting it into smaller writes would be a different access, which is why OPAE refuses too.
    /// </summary>
    internal unsafe void Write512(ulong offset, ReadOnlySpan<byte> value)
    {
        if (_mapping is null)
        {
            throw new OpaeException(FpgaResult.NotSupported, "this MMIO region is reached through pread/pwrite, not a mapping: a 512-bit write needs a mapped region");
        }

        if (!CpuHas512BitStores)
        {
            throw new OpaeException(FpgaResult.NotSupported, System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeCompiled
                ? "this CPU has no AVX-512F: it cannot make a 512-bit MMIO write"
                : "no 512-bit store here: this ahead-of-time build targets CPUs without AVX-512F (libopae-c brings its own; a NativeAOT program can target avx512f with <IlcInstructionSet>), or the CPU lacks it");
        }

        WideMmio.Store(_mapping.Address + (nint)offset, value);
    }

    public void Dispose() => _mapping?.Dispose();

    private void ReadThroughFd(Span<byte> bytes, ulong offset)
    {
        var errno = _kernel.Pread(_fd, bytes, _offset + (long)offset, out var count);
        if (errno != Errno.None || count != bytes.Length)
        {
            throw KernelErrors.Exception($"MMIO read of {bytes.Length} bytes at 0x{offset:x}", errno == Errno.None ? Errno.EIO : errno);
        }
    }

    private void WriteThroughFd(ReadOnlySpan<byte> bytes, ulong offset)
    {
        var errno = _kernel.Pwrite(_fd, bytes, _offset + (long)offset, out var count);
        if (errno != Errno.None || count != bytes.Length)
        {
            throw KernelErrors.Exception($"MMIO write of {bytes.Length} bytes at 0x{offset:x}", errno == Errno.None ? Errno.EIO : errno);
        }
    }
}
