using System.Runtime.InteropServices;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// The MMIO registers of one simulated port as plain memory: what the AFU model reads and writes,
/// and what <c>fpgaMapMMIO</c> hands a program, so a program that dereferences its MMIO pointer
/// (OPAE's C++ <c>handle::mmio_ptr</c>, dummy_afu's scratchpad test) sees the same registers the
/// calls do. 64-bit accesses are single aligned loads and stores, so neither side sees half a write.
/// </summary>
/// <remarks>Lives as long as its port (the memory is never unmapped under a program that still holds the pointer while the port is open).</remarks>
internal sealed unsafe class RegisterFile : System.Runtime.ConstrainedExecution.CriticalFinalizerObject
{
    private readonly byte* _base;

    internal RegisterFile(ulong size)
    {
        Size = size;
        _base = (byte*)NativeMemory.AlignedAlloc((nuint)size, 4096);
        NativeMemory.Clear(_base, (nuint)size);
    }

    // Critical: runs after the ordinary finalizers of the same collection, so an accelerator that
    // was never disposed can still reset its port (clearing this memory) from its finalizer.
    ~RegisterFile() => NativeMemory.AlignedFree(_base);

    internal ulong Size { get; }

    internal nint Address => (nint)_base;

    internal ulong Read64(ulong offset) => Volatile.Read(ref *(ulong*)(_base + Check(offset, 8)));

    internal void Write64(ulong offset, ulong value) => Volatile.Write(ref *(ulong*)(_base + Check(offset, 8)), value);

    internal uint Read32(ulong offset) => Volatile.Read(ref *(uint*)(_base + Check(offset, 4)));

    internal void Write32(ulong offset, uint value) => Volatile.Write(ref *(uint*)(_base + Check(offset, 4)), value);

    internal void Clear() => NativeMemory.Clear(_base, (nuint)Size);

    private ulong Check(ulong offset, uint width)
    {
        if (offset % width != 0 || offset > Size - width)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"register offset 0x{offset:x} is not a {width}-byte aligned offset inside 0x{Size:x} bytes of MMIO");
        }

        return offset;
    }
}
