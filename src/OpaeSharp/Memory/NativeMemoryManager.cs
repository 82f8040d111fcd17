using System.Buffers;

namespace OpaeSharp.Memory;

/// <summary>Presents pinned native memory as <see cref="Memory{T}"/>; the owner keeps it alive and frees it.</summary>
internal sealed unsafe class NativeMemoryManager(nint address, int length) : MemoryManager<byte>
{
    public override Span<byte> GetSpan() => new((void*)address, length);

    // The memory is pinned for the buffer's whole life: nothing to do per pin.
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, length);
        return new MemoryHandle((byte*)address + elementIndex);
    }

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }
}
