using OpaeSharp.Memory;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// One IOMMU entry: an IO range translating to the pages of one prepared buffer. The entry holds a
/// reference on the buffer's memory from programming until it is cleared, so the pages the device
/// reaches stay the ones pinned at prepare time: memory the library allocated is not unmapped under
/// it, caller memory stays pinned. Device accesses enter and exit it; unmapping marks it dead and waits
/// until no access is inside, so host memory is never touched after <see cref="Iommu.Clear"/>
/// returns — what an IOTLB invalidation guarantees on hardware.
/// </summary>
internal sealed class IommuMapping
{
    private const int Dead = int.MinValue;

    // Low bits count accesses in flight; the sign bit says the entry is being removed.
    private int _state;

    internal IommuMapping(ulong iova, PinnedMemory? memory, ulong length, DmaAccess access)
    {
        Iova = iova;
        Memory = memory;
        Length = length;
        Access = access;
    }

    internal ulong Iova { get; }

    /// <summary>The pages behind the range (null only for the search key <see cref="Iommu"/> probes with).</summary>
    internal PinnedMemory? Memory { get; }

    internal ulong Length { get; }

    internal DmaAccess Access { get; }

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

    /// <summary>Stops new accesses, waits for the ones in flight, then lets go of the memory.</summary>
    internal void Kill()
    {
        while (true)
        {
            var state = Volatile.Read(ref _state);
            if (Interlocked.CompareExchange(ref _state, state | Dead, state) == state)
            {
                break;
            }
        }

        var spin = default(SpinWait);
        while ((Volatile.Read(ref _state) & ~Dead) != 0)
        {
            spin.SpinOnce();
        }

        Memory?.DangerousRelease();
    }
}
