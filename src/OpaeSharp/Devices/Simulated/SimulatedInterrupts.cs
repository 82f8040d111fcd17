using OpaeSharp.Interop;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// The interrupt vectors of one simulated port: an AFU model raises a vector (<see cref="Raise"/>),
/// and the eventfd a program attached to it is signalled, as the DFL driver and vfio-pci do with
/// the device's MSI. A raise with nothing attached is counted and dropped, like an unmasked-but-
/// unrouted interrupt. Thread-safe; raising takes no lock.
/// </summary>
internal sealed class SimulatedInterrupts : IInterruptLines
{
    private readonly IKernel _kernel;
    private readonly SafeFileDescriptor?[] _targets;
    private long _raised;
    private long _dropped;

    internal SimulatedInterrupts(IKernel kernel, int count)
    {
        _kernel = kernel;
        _targets = new SafeFileDescriptor?[count];
    }

    public int Count => _targets.Length;

    /// <summary>Interrupts raised since the port was made.</summary>
    internal long Raised => Interlocked.Read(ref _raised);

    /// <summary>Interrupts raised while no eventfd was attached to their vector.</summary>
    internal long Dropped => Interlocked.Read(ref _dropped);

    public Status Attach(int vector, SafeFileDescriptor eventFd)
    {
        if ((uint)vector >= (uint)_targets.Length)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"interrupt vector {vector} does not exist: the AFU has {_targets.Length}");
        }

        return Interlocked.CompareExchange(ref _targets[vector], eventFd, null) is null
            ? Status.Ok
            : Status.Fail(FpgaResult.Busy, $"interrupt vector {vector} already signals an event");
    }

    public Status Detach(int vector)
    {
        if ((uint)vector >= (uint)_targets.Length || Interlocked.Exchange(ref _targets[vector], null) is null)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"interrupt vector {vector} has no event attached");
        }

        return Status.Ok;
    }

    /// <summary>Counts an interrupt the AFU raised that a fault lost before it reached the vector.</summary>
    internal void CountLost()
    {
        Interlocked.Increment(ref _raised);
        Interlocked.Increment(ref _dropped);
    }

    /// <summary>The AFU raises <paramref name="vector"/>; returns false when nothing was signalled.</summary>
    internal bool Raise(int vector)
    {
        Interlocked.Increment(ref _raised);
        if ((uint)vector >= (uint)_targets.Length || Volatile.Read(ref _targets[vector]) is not { } target)
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }

        Span<byte> one = stackalloc byte[8];
        one[0] = 1;
        var added = false;
        try
        {
            // A program may close its eventfd while an interrupt is raised: then nothing is signalled.
            target.DangerousAddRef(ref added);
            return _kernel.Write(target, one, out _) == Errno.None;
        }
        catch (ObjectDisposedException)
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }
        finally
        {
            if (added)
            {
                target.DangerousRelease();
            }
        }
    }
}
