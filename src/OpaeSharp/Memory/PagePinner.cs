using OpaeSharp.Interop;

namespace OpaeSharp.Memory;

/// <summary>
/// Pins caller memory the way a DMA driver does, without mlock: registers it with io_uring
/// (<see cref="FixedBufferRing"/>), which takes long-term pins on the pages for writing and charges
/// them to RLIMIT_MEMLOCK, and leaves the process's own mlock state alone. Rings are made on first
/// use and kept; a range over 1 GiB takes several registrations.
/// </summary>
/// <remarks>
/// Where io_uring is missing or forbidden (an old kernel, <c>kernel.io_uring_disabled</c>, a
/// container's seccomp profile) <see cref="TryPin"/> says so with <see cref="Errno.ENOSYS"/> and the
/// caller falls back to reaching the memory by address. A forked child never uses its parent's rings.
/// Thread-safe.
/// </remarks>
internal sealed class PagePinner(IKernel kernel)
{
    private readonly Lock _lock = new();
    private readonly List<FixedBufferRing> _rings = [];
    private int _ringsOf;
    private bool _unavailable;

    /// <summary>Pins <paramref name="length"/> bytes at <paramref name="address"/>.</summary>
    /// <returns>
    /// None; ENOSYS when io_uring cannot be used here; EFAULT when the pages cannot be pinned for
    /// writing (read-only, PROT_NONE, special, or a file mapping the kernel will not pin long-term);
    /// ENOMEM or EAGAIN when RLIMIT_MEMLOCK would be exceeded.
    /// </returns>
    internal Errno TryPin(nint address, long length, out PinnedPages? pages)
    {
        pages = null;
        var pieces = new List<PinnedPages.Piece>();
        for (long done = 0; done < length;)
        {
            var size = Math.Min(length - done, IoUring.MaxFixedBufferBytes);
            var errno = RegisterPiece(address + (nint)done, size, out var piece);
            if (errno != Errno.None)
            {
                foreach (var registered in pieces)
                {
                    registered.Ring.Unregister(registered.Slot);
                }

                return errno;
            }

            pieces.Add(piece);
            done += size;
        }

        pages = new PinnedPages(kernel, address, length, [.. pieces]);
        return Errno.None;
    }

    private Errno RegisterPiece(nint address, long length, out PinnedPages.Piece piece)
    {
        piece = default;
        var pid = kernel.ProcessId;
        FixedBufferRing[] rings;
        lock (_lock)
        {
            if (_ringsOf != pid)
            {
                // A forked child: the rings are its parent's (shared with it); start over.
                _rings.Clear();
                _unavailable = false;
                _ringsOf = pid;
            }

            if (_unavailable)
            {
                return Errno.ENOSYS;
            }

            rings = [.. _rings];
        }

        foreach (var ring in rings)
        {
            var errno = ring.Register(address, length, out var slot);
            if (errno != Errno.ENOSPC)
            {
                piece = new PinnedPages.Piece(ring, slot, address, length);
                return errno;
            }
        }

        // Every ring is full (or there is none yet): make one. Outside the lock: setup is a syscall.
        var made = FixedBufferRing.TryCreate(kernel, out var created);
        if (made != Errno.None)
        {
            if (made is Errno.ENOSYS or Errno.EPERM or Errno.EACCES or Errno.EINVAL)
            {
                // Not a shortage: io_uring is not there for us (disabled, filtered, too old).
                lock (_lock)
                {
                    _unavailable = true;
                }
            }

            return Errno.ENOSYS;
        }

        lock (_lock)
        {
            _rings.Add(created!);
        }

        var registered = created!.Register(address, length, out var newSlot);
        piece = new PinnedPages.Piece(created, newSlot, address, length);
        return registered;
    }
}
