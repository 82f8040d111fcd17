namespace OpaeSharp.Devices;

/// <summary>
/// "A device just wrote host memory": raised by the simulated devices' DMA writes of words (the
/// status a program polls for; bulk copies do not raise it), waited on by
/// <see cref="SharedBuffer.Poll{T}(long, T, T, TimeSpan, CancellationToken)"/> once it stops
/// spinning, so a wait on a simulated device wakes when the device writes instead of when a timer
/// fires. Devices that cannot say (real hardware, until its interrupts are wired to this) raise
/// nothing, and waiters fall back to their backoff. Process-wide; a notification with nobody waiting
/// costs two atomics, and one with waiters allocates nothing for the blocking ones.
/// </summary>
internal static class DeviceWrites
{
    private static readonly object s_gate = new();   // a monitor: blocking waiters sleep on it
    private static long s_generation;
    private static int s_waiters;
    private static int s_asyncWaiters;
    private static TaskCompletionSource s_next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Changes whenever a device writes; read it before checking memory, then wait for it to change.</summary>
    internal static long Generation => Interlocked.Read(ref s_generation);

    internal static void Notify()
    {
        Interlocked.Increment(ref s_generation);

        // Paired with the waiter's increment-then-read: one of the two always sees the other.
        if (Volatile.Read(ref s_waiters) == 0)
        {
            return;
        }

        TaskCompletionSource? woken = null;
        lock (s_gate)
        {
            Monitor.PulseAll(s_gate);
            if (Volatile.Read(ref s_asyncWaiters) != 0)
            {
                woken = s_next;
                s_next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        woken?.TrySetResult();
    }

    /// <summary>Blocks until a device write after <paramref name="seen"/>, or <paramref name="timeout"/>.</summary>
    internal static void Wait(long seen, TimeSpan timeout)
    {
        Interlocked.Increment(ref s_waiters);
        try
        {
            lock (s_gate)
            {
                if (Generation == seen)
                {
                    Monitor.Wait(s_gate, timeout);
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref s_waiters);
        }
    }

    /// <summary>Completes at a device write after <paramref name="seen"/>, after <paramref name="timeout"/>, or on cancellation (without throwing).</summary>
    internal static async Task WaitAsync(long seen, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref s_asyncWaiters);
        Interlocked.Increment(ref s_waiters);
        try
        {
            Task next;
            lock (s_gate)
            {
                next = s_next.Task;
            }

            if (Generation == seen)
            {
                await Task.WhenAny(next, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
            }
        }
        finally
        {
            Interlocked.Decrement(ref s_waiters);
            Interlocked.Decrement(ref s_asyncWaiters);
        }
    }
}
