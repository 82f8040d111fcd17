namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// One IOMMU entry. Device accesses enter and exit it; unmapping marks it dead and waits until no
/// access is inside, so host memory is never touched after <see cref="Iommu.Clear"/> returns —
/// what an IOTLB invalidation guarantees on hardware.
/// </summary>
internal sealed class IommuMapping(ulong iova, nint hostAddress, ulong length, DmaAccess access)
{
    private const int Dead = int.MinValue;

    // Low bits count accesses in flight; the sign bit says the entry is being removed.
    private int _state;

    internal ulong Iova { get; } = iova;

    internal nint HostAddress { get; } = hostAddress;

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

    /// <summary>Stops new accesses (those in flight finish: <see cref="WaitForAccesses"/>); false when it was dead already.</summary>
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

    /// <summary>Waits until no access that entered before <see cref="TryMarkDead"/> is still inside.</summary>
    internal void WaitForAccesses()
    {
        var spin = default(SpinWait);
        while ((Volatile.Read(ref _state) & ~Dead) != 0)
        {
            spin.SpinOnce();
        }
    }
}
