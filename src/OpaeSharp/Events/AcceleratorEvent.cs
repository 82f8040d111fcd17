using System.Buffers.Binary;
using OpaeSharp.Interop;

namespace OpaeSharp.Events;

/// <summary>
/// A registration for one kind of event of an open accelerator or FPGA device
/// (<see cref="Accelerator.RegisterEvent"/>, OPAE's <c>fpgaRegisterEvent</c>): await
/// <see cref="WaitAsync"/> for the next occurrence; dispose to unregister.
/// </summary>
/// <remarks>
/// Behind it is an eventfd the driver (or the simulator) adds to on every interrupt, so nothing is
/// lost between waits: <see cref="WaitAsync"/> returns how many happened since the last one.
/// Waiting holds no thread: one background thread per process blocks in <c>epoll_wait</c> for
/// every pending wait together, and only while some wait is pending. One wait at a time per event;
/// members are otherwise safe to call from any thread. Closing the accelerator unregisters it too.
/// </remarks>
public sealed class AcceleratorEvent : IDisposable
{
    private readonly Accelerator _owner;
    private readonly SafeFileDescriptor _eventFd;
    private readonly IKernel _kernel;
    private readonly CancellationTokenSource _disposal = new();
    private int _waiting;
    private int _disposed;

    private AcceleratorEvent(Accelerator owner, FpgaEventType type, int vector, SafeFileDescriptor eventFd, IKernel kernel)
    {
        _owner = owner;
        Type = type;
        Vector = vector;
        _eventFd = eventFd;
        _kernel = kernel;
    }

    /// <summary>What this registration is for.</summary>
    public FpgaEventType Type { get; }

    /// <summary>The interrupt vector for <see cref="FpgaEventType.Interrupt"/>; 0 otherwise.</summary>
    public int Vector { get; }

    /// <summary>
    /// Completes when the event has happened at least once since the previous wait returned (at
    /// once if it already has), with the number of occurrences.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    /// <exception cref="ObjectDisposedException">The registration was disposed (before or during the wait).</exception>
    /// <exception cref="InvalidOperationException">Another wait on this registration is still pending.</exception>
    public ValueTask<ulong> WaitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _waiting, 1) != 0)
        {
            throw new InvalidOperationException("another WaitAsync on this event is still pending: wait for one at a time");
        }

        try
        {
            if (TryConsume(out var count))
            {
                Volatile.Write(ref _waiting, 0);
                return new ValueTask<ulong>(count);
            }
        }
        catch
        {
            Volatile.Write(ref _waiting, 0);
            throw;
        }

        return new ValueTask<ulong>(WaitSlowly(cancellationToken));
    }

    /// <summary>Unregisters the event (<c>fpgaUnregisterEvent</c>) and ends a pending wait. Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _disposal.Cancel();
        _owner.EventsOrNull?.Unregister(Type, _eventFd);
        _eventFd.Dispose();
        _disposal.Dispose();
    }

    /// <summary>The core of <see cref="Accelerator.RegisterEvent"/>: never throws for a refused registration.</summary>
    internal static Status TryRegister(Accelerator owner, FpgaEventType type, int vector, out AcceleratorEvent? registration)
    {
        registration = null;
        if (vector < 0 || (type != FpgaEventType.Interrupt && vector != 0))
        {
            return Status.Fail(FpgaResult.InvalidParam, type == FpgaEventType.Interrupt
                ? $"interrupt vector {vector} does not exist"
                : $"{EventRegistrations.Name(type)} has no vectors: pass 0, not {vector}");
        }

        var kernel = owner.Token.BackendImpl.Kernel;
        var errno = kernel.EventFd(0, Libc.EFD_NONBLOCK, out var eventFd);
        if (errno != Errno.None || eventFd is null)
        {
            return Status.Fail(errno == Errno.ENOMEM ? FpgaResult.NoMemory : FpgaResult.Exception, $"eventfd: {Libc.StrError(errno)} ({errno})");
        }

        var status = owner.Events.Register(type, (uint)vector, eventFd);
        if (!status.IsOk)
        {
            eventFd.Dispose();
            return status;
        }

        registration = new AcceleratorEvent(owner, type, vector, eventFd, kernel);
        return Status.Ok;
    }

    private async Task<ulong> WaitSlowly(CancellationToken cancellationToken)
    {
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposal.Token);
            var poller = EventPoller.For(_kernel);
            while (true)
            {
                try
                {
                    await poller.WhenReadable(_eventFd, linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new ObjectDisposedException(nameof(AcceleratorEvent), "the event was unregistered while a wait was pending");
                }

                // Readable, unless someone else read the counter first: then wait again.
                if (TryConsume(out var count))
                {
                    return count;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _waiting, 0);
        }
    }

    /// <summary>Reads (and so resets) the eventfd's counter; false when nothing has happened.</summary>
    private bool TryConsume(out ulong count)
    {
        Span<byte> counter = stackalloc byte[8];
        var errno = _kernel.Read(_eventFd, counter, out var read);
        if (errno == Errno.EAGAIN)
        {
            count = 0;
            return false;
        }

        if (errno != Errno.None || read != 8)
        {
            throw new OpaeException(FpgaResult.Exception, $"reading the event's eventfd: {Libc.StrError(errno == Errno.None ? Errno.EIO : errno)}");
        }

        count = BinaryPrimitives.ReadUInt64LittleEndian(counter);
        return true;
    }
}
