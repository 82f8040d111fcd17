using System.Diagnostics;
using OpaeSharp.Interop;

namespace OpaeSharp.Memory;

/// <summary>
/// Host memory prepared for DMA, reference-counted: every user of the memory (the buffer's
/// accessors, a pinned <see cref="System.Buffers.MemoryHandle"/>, an IOMMU entry through which a
/// device reaches it, a PREALLOCATED buffer inside it) holds a reference, and the memory is let go
/// (unmapped, unpinned) only when the last one is released. After <see cref="Dispose"/> no new
/// reference can be taken: a use after release is an <see cref="ObjectDisposedException"/>, never a
/// touch of unmapped memory.
/// </summary>
/// <remarks>
/// <para>Not a <c>SafeHandle</c>, on purpose: a SafeHandle is finalizable, and registering each new
/// one for finalization was a tenth of the library's own instructions in a 4 KiB prepare+release
/// (bench/RESULTS.md), for a finalizer with nothing to do. The memory of a prepared buffer is always
/// reachable from its handle's table until it is released, and the handle's finalizer releases what
/// is left; a refused prepare disposes what it made before returning.</para>
/// <para>
/// How a simulated device reaches the pages (<see cref="IsDirect"/>, <see cref="TryDeviceRead"/>,
/// <see cref="TryDeviceWrite"/>): memory the library allocated (or caller memory inside such an
/// allocation) is read and written at its address, since the reference keeps it mapped; other caller
/// memory through the pages pinned at prepare time (<see cref="PinnedPages"/>), or, where those
/// cannot be had, at its address with a copy that reports EFAULT instead of raising a signal.</para>
/// </remarks>
internal sealed class PinnedMemory : IDisposable
{
    // Bit 0: disposed. The other bits count references, starting at one: the owner's, which Dispose gives back.
    private const int DisposedBit = 1;
    private const int OneReference = 2;

    private readonly IKernel _kernel;
    private readonly PinnedMemory? _container;
    private readonly PinnedPages? _pages;
    private int _state = OneReference;

    private PinnedMemory(IKernel kernel, nint address, long length, long mappedLength, long pageSize, bool owned, bool locked, PinnedMemory? container, PinnedPages? pages, bool direct)
    {
        _kernel = kernel;
        Address = address;
        Length = length;
        MappedLength = mappedLength;
        PageSize = pageSize;
        OwnsMemory = owned;
        IsLocked = locked;
        _container = container;
        _pages = pages;
        IsDirect = direct;
    }

    internal nint Address { get; }

    /// <summary>The usable length: the request rounded up to 4 KiB.</summary>
    internal long Length { get; }

    /// <summary>What was mapped: the request rounded up to <see cref="PageSize"/>.</summary>
    internal long MappedLength { get; }

    internal long PageSize { get; }

    /// <summary>True when the library allocated the memory and unmaps it when the last reference goes.</summary>
    internal bool OwnsMemory { get; }

    /// <summary>True when the library mlocked it (the driver does not pin): only its own allocations, dropped with their mapping.</summary>
    internal bool IsLocked { get; }

    /// <summary>True when a device may copy at <see cref="Address"/> while it holds a reference (the mapping is ours).</summary>
    internal bool IsDirect { get; }

    /// <summary>True when the device reaches pinned pages rather than whatever is mapped at the address.</summary>
    internal bool IsPinned => _pages is not null || IsDirect;

    /// <summary>Wraps a fresh mapping of the library's (locked when <paramref name="locked"/>) and records it as live.</summary>
    internal static PinnedMemory ForAllocation(IKernel kernel, nint address, long length, long mappedLength, long pageSize, bool locked)
    {
        var memory = new PinnedMemory(kernel, address, length, mappedLength, pageSize, owned: true, locked, container: null, pages: null, direct: true);
        AllocationRegistry.Add(memory);
        return memory;
    }

    /// <summary>Caller memory inside <paramref name="container"/>, one of the library's allocations, whose reference it takes over.</summary>
    internal static PinnedMemory InsideAllocation(IKernel kernel, nint address, long length, PinnedMemory container) =>
        new(kernel, address, length, length, container.PageSize, owned: false, locked: false, container, pages: null, direct: true);

    /// <summary>Caller memory the device reaches through <paramref name="pages"/>, which it owns from now on.</summary>
    internal static PinnedMemory ForPinnedPages(IKernel kernel, nint address, long length, long pageSize, PinnedPages pages) =>
        new(kernel, address, length, length, pageSize, owned: false, locked: false, container: null, pages, direct: false);

    /// <summary>Caller memory reached at its address with fault-safe copies (no pin could be had).</summary>
    internal static PinnedMemory ByAddress(IKernel kernel, nint address, long length, long pageSize) =>
        new(kernel, address, length, length, pageSize, owned: false, locked: false, container: null, pages: null, direct: false);

    /// <summary>Caller memory a real driver pins itself (DFL, VFIO); the library only records it.</summary>
    internal static PinnedMemory ForDriverPinnedMemory(IKernel kernel, nint address, long length, long pageSize) =>
        new(kernel, address, length, length, pageSize, owned: false, locked: false, container: null, pages: null, direct: true);

    /// <summary>True once disposed, even while holders still keep the pages (they go with the last one).</summary>
    internal bool IsReleased => (Volatile.Read(ref _state) & DisposedBit) != 0;

    /// <summary>
    /// Takes a reference unless disposed; pair a true return with <see cref="ReleaseRef"/>. Refused as
    /// soon as the memory is disposed, not only once the last holder has let go.
    /// </summary>
    internal bool TryAddRef()
    {
        var state = Volatile.Read(ref _state);
        while ((state & DisposedBit) == 0)
        {
            var seen = Interlocked.CompareExchange(ref _state, state + OneReference, state);
            if (seen == state)
            {
                return true;
            }

            state = seen;
        }

        return false;
    }

    /// <summary>Gives back a reference from <see cref="TryAddRef"/>; the last one lets the memory go.</summary>
    internal void ReleaseRef()
    {
        // Exactly zero references left, so a release too many can never free twice.
        var state = Interlocked.Add(ref _state, -OneReference);
        Debug.Assert(state >= 0, "a reference released that was never taken");
        if (state >> 1 == 0)
        {
            Free();
        }
    }

    /// <summary>Refuses new references and gives back the owner's: the memory goes with the last holder.</summary>
    public void Dispose()
    {
        var state = Volatile.Read(ref _state);
        while ((state & DisposedBit) == 0)
        {
            var seen = Interlocked.CompareExchange(ref _state, state | DisposedBit, state);
            if (seen == state)
            {
                ReleaseRef();
                return;
            }

            state = seen;
        }
    }

    /// <summary>A device read of <paramref name="destination"/>.Length bytes at <paramref name="offset"/>; false when the pages cannot be reached. The caller holds a reference.</summary>
    internal unsafe bool TryDeviceRead(long offset, Span<byte> destination)
    {
        if (IsDirect)
        {
            new ReadOnlySpan<byte>((byte*)Address + offset, destination.Length).CopyTo(destination);
            return true;
        }

        if (_pages is not null)
        {
            return _pages.TryRead(offset, destination);
        }

        return _kernel.ProcessVmRead(Address + (nint)offset, destination, out var n) == Errno.None && n == destination.Length;
    }

    /// <summary>A device write of <paramref name="source"/> at <paramref name="offset"/>; false when the pages cannot be reached. The caller holds a reference.</summary>
    internal unsafe bool TryDeviceWrite(long offset, ReadOnlySpan<byte> source)
    {
        if (IsDirect)
        {
            source.CopyTo(new Span<byte>((byte*)Address + offset, source.Length));
            return true;
        }

        if (_pages is not null)
        {
            return _pages.TryWrite(offset, source);
        }

        return _kernel.ProcessVmWrite(Address + (nint)offset, source, out var n) == Errno.None && n == source.Length;
    }

    private void Free()
    {
        if (!OwnsMemory)
        {
            // Caller memory stays mapped: only our pin (or our hold on the allocation around it) goes.
            _pages?.Dispose();
            _container?.ReleaseRef();
            return;
        }

        AllocationRegistry.Remove(this);

        // munmap drops our mlock with the mapping. It fails only for a range that is not a mapping,
        // which ours is until here.
        _kernel.Munmap(Address, (nuint)MappedLength);
    }
}
