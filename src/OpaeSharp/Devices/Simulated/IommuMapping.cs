using OpaeSharp.Memory;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// One IOMMU entry: an IO range translating to the pages of one prepared buffer. The entry holds a
/// reference on the buffer's memory from programming until it is cleared, so the pages the device
/// reaches stay the ones pinned at prepare time: memory the library allocated is not unmapped under
/// it, caller memory stays pinned. Device accesses enter and exit it; unmapping marks it dead and
/// waits until no access is inside, so host memory is never touched after <see cref="Iommu.Clear"/>
/// returns — what an IOTLB invalidation guarantees on hardware. A cleared entry stays in the page
/// table as the record of a release, without its memory.
/// </summary>
internal sealed class IommuMapping(ulong iova, PinnedMemory memory, ulong length, DmaAccess access)
{
    private const int Dead = int.MinValue;

    // Low bits count accesses in flight; the sign bit says the entry is being removed.
    private int _state;
    private PinnedMemory? _memory = memory;

    internal ulong Iova { get; } = iova;

    /// <summary>The pages behind the range: set while the entry is live (an access reads it between Enter and Exit), null once cleared.</summary>
    internal PinnedMemory? Memory => Volatile.Read(ref _memory);

    internal ulong Length { get; } = length;

    internal DmaAccess Access { get; } = access;

    internal ulong End => Iova + Length;

    internal bool TryEnter()
    {
        while (true)
        {
            var state = Volatile.Read(ref _state);
            if (state < 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _state, state + 1, state) == state)
            {
                return true;
            }
        }
    }

    internal void Exit() => Interlocked.Decrement(ref _state);

    /// <summary>True once cleared: the addresses stay recorded as released until reused.</summary>
    internal bool IsDead => Volatile.Read(ref _state) < 0;

    /// <summary>Stops new accesses (those in flight finish: <see cref="WaitForAccessesAndRelease"/>); false when it was dead already.</summary>
    internal bool TryMarkDead()
    {
        while (true)
        {
            var state = Volatile.Read(ref _state);
            if (state < 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _state, state | Dead, state) == state)
            {
                return true;
            }
        }
    }

    /// <summary>Waits until no access that entered before <see cref="TryMarkDead"/> is still inside, then lets go of the memory.</summary>
    internal void WaitForAccessesAndRelease()
    {
        var spin = default(SpinWait);
        while ((Volatile.Read(ref _state) & ~Dead) != 0)
        {
            spin.SpinOnce();
        }

        Interlocked.Exchange(ref _memory, null)?.ReleaseRef();
    }
}
