namespace OpaeSharp.Devices;

/// <summary>
/// "A device just wrote host memory": raised by every simulated DMA write, waited on by
/// <see cref="SharedBuffer.Poll{T}(long, T, T, TimeSpan, CancellationToken)"/> once it stops spinning, so a
/// wait on a simulated device wakes when the device writes instead of when a timer fires. Devices
/// that cannot say (real hardware, until its interrupts are wired to this) raise nothing, and waiters
/// fall back to their backoff. Process-wide; a notification with nobody waiting costs two atomics.
/// </summary>
internal static class DeviceWrites
{
    private static readonly Lock s_gate = new();
    private static long s_generation;
    private static int s_waiters;
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

        TaskCompletionSource woken;
        lock (s_gate)
        {
            woken = s_next;
            s_next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        woken.TrySetResult();
    }

    /// <summary>Blocks until a device write after <paramref name="seen"/>, or <paramref name="timeout"/>.</summary>
    internal static void Wait(long seen, TimeSpan timeout)
    {
        var task = Register(seen);
        try
        {
            if (task is not null)
            {
                task.Wait(timeout);
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
        var task = Register(seen);
        try
        {
            if (task is not null)
            {
                await Task.WhenAny(task, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
            }
        }
        finally
        {
            Interlocked.Decrement(ref s_waiters);
        }
    }

    /// <summary>Counts a waiter; the task to wait on, or null when a write already came after <paramref name="seen"/>.</summary>
    private static Task? Register(long seen)
    {
        Interlocked.Increment(ref s_waiters);
        Task next;
        lock (s_gate)
        {
            next = s_next.Task;
        }

        return Generation != seen ? null : next;
    }
}
