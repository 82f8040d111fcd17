using System.Buffers;

namespace OpaeSharp.Memory;

/// <summary>
/// Presents a buffer's memory as <see cref="Memory{T}"/>. Holds the memory object (so a live
/// <see cref="Memory{T}"/> keeps the buffer from being collected and finalized under it), checks it
/// on every <see cref="GetSpan"/>, and <see cref="Pin"/> takes a reference that the returned
/// <see cref="MemoryHandle"/> gives back: the pages stay mapped while it is held, even across a
/// release, and a use after release is an <see cref="ObjectDisposedException"/>.
/// </summary>
/// <param name="memory">The buffer's memory.</param>
/// <param name="owner">Names the buffer in the exception.</param>
/// <param name="length">The length presented (at most the memory's).</param>
internal sealed unsafe class NativeMemoryManager(PinnedMemory memory, object owner, int length) : MemoryManager<byte>
{
    public override Span<byte> GetSpan()
    {
        ObjectDisposedException.ThrowIf(memory.IsReleased, owner);
        return new((void*)memory.Address, length);
    }

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, length);
        ObjectDisposedException.ThrowIf(!memory.TryAddRef(), owner);
        return new MemoryHandle((byte*)memory.Address + elementIndex, pinnable: this);
    }

    /// <summary>Gives back one <see cref="Pin"/>'s reference (a <see cref="MemoryHandle"/> calls it once, on Dispose).</summary>
    public override void Unpin() => memory.ReleaseRef();

    protected override void Dispose(bool disposing)
    {
        // The buffer owns the memory; disposing a view of it frees nothing.
    }
}
