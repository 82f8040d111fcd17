namespace OpaeSharp.Collections;

/// <summary>
/// Holds a <see cref="SpinLock"/> (made without thread-owner tracking) for a <c>using</c> block:
/// <c>using (new SpinLockScope(ref _lock)) { … }</c>.
/// </summary>
/// <remarks>
/// For the bookkeeping locks of prepare and release (the IO address allocator, the simulated
/// IOMMU's writer, the tables of live buffers): a few dozen instructions, no system call and
/// nothing that blocks inside. Entering is one compare-and-swap and leaving one store, where
/// <see cref="Lock"/> also reads the thread's id from thread-local storage, which a shared library
/// reaches through <c>__tls_get_addr</c>: about a tenth of the library's own instructions in a
/// 4 KiB prepare+release went to five such locks (bench/RESULTS.md). A waiter spins, then yields,
/// then sleeps, as <see cref="SpinLock"/> does. Not reentrant. The field holding the lock must not
/// be readonly (a copy would be locked instead).
/// </remarks>
internal ref struct SpinLockScope
{
    private readonly ref SpinLock _lock;

    internal SpinLockScope(ref SpinLock spinLock)
    {
        _lock = ref spinLock;
        var taken = false;
        spinLock.Enter(ref taken);
    }

    public readonly void Dispose() => _lock.Exit(useMemoryBarrier: false);
}
