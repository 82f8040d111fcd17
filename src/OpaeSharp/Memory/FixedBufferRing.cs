using System.Runtime.InteropServices;
using OpaeSharp.Interop;
using static OpaeSharp.Interop.IoUring;

namespace OpaeSharp.Memory;

/// <summary>
/// One io_uring ring used as a pinning device: each registered ("fixed") buffer is a set of pages
/// the kernel pinned when it was registered, and stays pinned until it is unregistered, whatever the
/// process does with the addresses meanwhile (unmap them, map something else there, truncate the
/// file behind them). Bytes move to and from exactly those pages through a pipe: WRITE_FIXED from
/// the pages into the pipe and a read out of it, or a write into the pipe and READ_FIXED into the pages.
/// </summary>
/// <remarks>
/// Both pipe ends are non-blocking and the pipe is empty between transfers, so every request
/// completes inline in <c>io_uring_enter</c>: nothing is handed to the kernel's io-wq workers (no
/// threads appear in the process) and the submit lock is never held across a wait.
/// Registrations are thread-safe; transfers are serialized per ring.
/// </remarks>
internal sealed unsafe class FixedBufferRing : IDisposable
{
    private const uint Entries = 4;
    private const int WantedPipeBytes = 1 << 20;

    private readonly IKernel _kernel;
    private readonly SafeFileDescriptor _ring;
    private readonly SafeMappedRegion _rings;
    private readonly SafeMappedRegion _sqes;
    private readonly SafeFileDescriptor _pipeRead;
    private readonly SafeFileDescriptor _pipeWrite;
    private readonly Lock _submit = new();
    private readonly Lock _slotLock = new();
    private readonly Stack<int> _freeSlots = new();
    private readonly uint* _sqTail;
    private readonly uint _sqMask;
    private readonly uint* _sqArray;
    private readonly uint* _cqHead;
    private readonly uint* _cqTail;
    private readonly uint _cqMask;
    private readonly io_uring_cqe* _cqes;
    private readonly io_uring_sqe* _sqeBase;
    private int _nextSlot;
    private int _disposed;
    private bool _broken;     // a request may still complete later: the queues can no longer be trusted

    private FixedBufferRing(IKernel kernel, SafeFileDescriptor ring, in io_uring_params p, SafeMappedRegion rings, SafeMappedRegion sqes,
        SafeFileDescriptor pipeRead, SafeFileDescriptor pipeWrite, int pipeBytes)
    {
        _kernel = kernel;
        _ring = ring;
        _rings = rings;
        _sqes = sqes;
        _pipeRead = pipeRead;
        _pipeWrite = pipeWrite;
        PipeBytes = pipeBytes;
        ProcessId = kernel.ProcessId;
        var r = (byte*)rings.Address;
        _sqTail = (uint*)(r + p.sq_off.tail);
        _sqMask = *(uint*)(r + p.sq_off.ring_mask);
        _sqArray = (uint*)(r + p.sq_off.array);
        _cqHead = (uint*)(r + p.cq_off.head);
        _cqTail = (uint*)(r + p.cq_off.tail);
        _cqMask = *(uint*)(r + p.cq_off.ring_mask);
        _cqes = (io_uring_cqe*)(r + p.cq_off.cqes);
        _sqeBase = (io_uring_sqe*)sqes.Address;
    }

    /// <summary>The process that made the ring; a forked child shares it with its parent and must not use it.</summary>
    internal int ProcessId { get; }

    /// <summary>How many bytes one pipe round trip moves.</summary>
    internal int PipeBytes { get; }

    internal static int Capacity => IORING_MAX_REG_BUFFERS;

    /// <summary>Sets up a ring with an empty sparse table of <see cref="Capacity"/> buffers, and its pipe.</summary>
    internal static Errno TryCreate(IKernel kernel, out FixedBufferRing? created)
    {
        created = null;
        var p = default(io_uring_params);
        var errno = kernel.IoUringSetup(Entries, ref p, out var ring);
        if (errno != Errno.None)
        {
            return errno;
        }

        SafeMappedRegion? rings = null, sqes = null;
        SafeFileDescriptor? pipeRead = null, pipeWrite = null;
        try
        {
            if ((p.features & IORING_FEAT_SINGLE_MMAP) == 0)
            {
                // Kernels before 5.4; io_uring's sparse buffer tables need 5.19 anyway.
                return Errno.ENOSYS;
            }

            var ringBytes = Math.Max(p.sq_off.array + (p.sq_entries * sizeof(uint)), p.cq_off.cqes + (p.cq_entries * (uint)sizeof(io_uring_cqe)));
            errno = kernel.MapShared(ring!, ringBytes, IORING_OFF_SQ_RING, out rings);
            if (errno == Errno.None)
            {
                errno = kernel.MapShared(ring!, p.sq_entries * (uint)sizeof(io_uring_sqe), IORING_OFF_SQES, out sqes);
            }

            if (errno == Errno.None)
            {
                var table = new io_uring_rsrc_register { nr = IORING_MAX_REG_BUFFERS, flags = IORING_RSRC_REGISTER_SPARSE };
                errno = kernel.IoUringRegister(ring!, IORING_REGISTER_BUFFERS2, (nint)(&table), (uint)sizeof(io_uring_rsrc_register));
            }

            var pipeBytes = 0;
            if (errno == Errno.None)
            {
                errno = kernel.Pipe(Libc.O_NONBLOCK, WantedPipeBytes, out pipeRead, out pipeWrite, out pipeBytes);
            }

            if (errno != Errno.None)
            {
                return errno;
            }

            created = new FixedBufferRing(kernel, ring!, p, rings!, sqes!, pipeRead!, pipeWrite!, Math.Max(pipeBytes, 4096));
            return Errno.None;
        }
        finally
        {
            if (created is null)
            {
                pipeWrite?.Dispose();
                pipeRead?.Dispose();
                sqes?.Dispose();
                rings?.Dispose();
                ring!.Dispose();
            }
        }
    }

    /// <summary>Pins <paramref name="length"/> bytes (at most 1 GiB) at <paramref name="address"/> into a free slot.</summary>
    /// <returns>ENOSPC when the table is full; else what the kernel answered (EFAULT: pages it cannot pin for writing; ENOMEM: RLIMIT_MEMLOCK).</returns>
    internal Errno Register(nint address, long length, out int slot)
    {
        lock (_slotLock)
        {
            if (_freeSlots.Count > 0)
            {
                slot = _freeSlots.Pop();
            }
            else if (_nextSlot < Capacity)
            {
                slot = _nextSlot++;
            }
            else
            {
                slot = -1;
                return Errno.ENOSPC;
            }
        }

        var errno = Update(slot, address, length);
        if (errno != Errno.None)
        {
            Free(slot);
            slot = -1;
        }

        return errno;
    }

    /// <summary>Unpins the pages of <paramref name="slot"/>; the kernel drops its pin once no request uses them.</summary>
    internal void Unregister(int slot)
    {
        if (Update(slot, 0, 0) == Errno.None)
        {
            Free(slot);
        }
    }

    /// <summary>Copies from the pinned pages at <paramref name="address"/> (inside <paramref name="slot"/>'s range) into <paramref name="destination"/>.</summary>
    internal bool TryCopyOut(int slot, nint address, Span<byte> destination)
    {
        lock (_submit)
        {
            if (_broken)
            {
                return false;
            }

            for (var done = 0; done < destination.Length;)
            {
                var chunk = Math.Min(destination.Length - done, PipeBytes);
                var moved = Submit(IORING_OP_WRITE_FIXED, _pipeWrite, slot, address + done, chunk);
                if (moved <= 0)
                {
                    return false;
                }

                if (!Drain(destination.Slice(done, moved)))
                {
                    return false;
                }

                done += moved;
            }

            return true;
        }
    }

    /// <summary>Copies <paramref name="source"/> into the pinned pages at <paramref name="address"/> (inside <paramref name="slot"/>'s range).</summary>
    internal bool TryCopyIn(int slot, nint address, ReadOnlySpan<byte> source)
    {
        lock (_submit)
        {
            if (_broken)
            {
                return false;
            }

            for (var done = 0; done < source.Length;)
            {
                var chunk = Math.Min(source.Length - done, PipeBytes);
                if (_kernel.Write(_pipeWrite, source.Slice(done, chunk), out var queued) != Errno.None || queued <= 0)
                {
                    return false;
                }

                for (var landed = 0; landed < queued;)
                {
                    var moved = Submit(IORING_OP_READ_FIXED, _pipeRead, slot, address + done + landed, queued - landed);
                    if (moved <= 0)
                    {
                        // Leave the pipe empty for the next transfer.
                        DiscardPipe();
                        return false;
                    }

                    landed += moved;
                }

                done += queued;
            }

            return true;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Closing the ring unpins whatever is still registered.
        _pipeWrite.Dispose();
        _pipeRead.Dispose();
        _sqes.Dispose();
        _rings.Dispose();
        _ring.Dispose();
    }

    private Errno Update(int slot, nint address, long length)
    {
        var vector = new Libc.iovec { iov_base = address, iov_len = (nuint)length };
        var update = new io_uring_rsrc_update2 { offset = (uint)slot, data = (ulong)(&vector), nr = 1 };
        return _kernel.IoUringRegister(_ring, IORING_REGISTER_BUFFERS_UPDATE, (nint)(&update), (uint)sizeof(io_uring_rsrc_update2));
    }

    private void Free(int slot)
    {
        lock (_slotLock)
        {
            _freeSlots.Push(slot);
        }
    }

    /// <summary>One request, waited for; the bytes moved, or a negative errno. Called holding <see cref="_submit"/>.</summary>
    private int Submit(byte opcode, SafeFileDescriptor file, int slot, nint address, int length)
    {
        var added = false;
        try
        {
            file.DangerousAddRef(ref added);
            var tail = Volatile.Read(ref *_sqTail);
            var index = tail & _sqMask;
            var sqe = _sqeBase + index;
            *sqe = new io_uring_sqe
            {
                opcode = opcode,
                fd = file.Value,
                off = 0,
                addr = (ulong)address,
                len = (uint)length,
                buf_index = (ushort)slot,
            };
            _sqArray[index] = index;
            Volatile.Write(ref *_sqTail, tail + 1);
            var errno = _kernel.IoUringEnter(_ring, 1, 1, IORING_ENTER_GETEVENTS, out var submitted);
            if (errno != Errno.None || submitted == 0)
            {
                // Not consumed by the kernel: take the entry back.
                Volatile.Write(ref *_sqTail, tail);
                return -(int)(errno == Errno.None ? Errno.EAGAIN : errno);
            }

            var head = Volatile.Read(ref *_cqHead);

            // Submitted; a signal may have cut the wait short (the request itself completes inline).
            while (Volatile.Read(ref *_cqTail) == head)
            {
                if (_kernel.IoUringEnter(_ring, 0, 1, IORING_ENTER_GETEVENTS, out _) is not (Errno.None or Errno.EINTR))
                {
                    _broken = true;
                    return -(int)Errno.EIO;
                }
            }

            var result = _cqes[head & _cqMask].res;
            Volatile.Write(ref *_cqHead, head + 1);
            return result;
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    private bool Drain(Span<byte> destination)
    {
        for (var got = 0; got < destination.Length;)
        {
            if (_kernel.Read(_pipeRead, destination[got..], out var n) != Errno.None || n <= 0)
            {
                return false;
            }

            got += n;
        }

        return true;
    }

    private void DiscardPipe()
    {
        Span<byte> sink = stackalloc byte[4096];
        while (_kernel.Read(_pipeRead, sink, out var n) == Errno.None && n > 0)
        {
        }
    }
}
