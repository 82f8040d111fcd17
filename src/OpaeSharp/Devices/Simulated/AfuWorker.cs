using Microsoft.Extensions.Logging;
using OpaeSharp.Diagnostics;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// The thread an AFU model works on, beside the host: work is queued by the model and runs in
/// order; a port reset cancels the running work (through its token), drops the queue and waits for
/// the work to return. The thread exists while the port is open (<see cref="Activate"/> to
/// <see cref="Shutdown"/>) and sleeps between work; work queued while the port is closed (an MMIO
/// write that raced the last close) is dropped, so no thread outlives the close. An exception from
/// work is logged and ends only that work.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "A cancelled generation stays undisposed: work or a DMA caller may still hold its token, and without a timer it holds nothing the GC cannot collect.")]
internal sealed class AfuWorker(string name)
{
    /// <summary>Stack of the worker thread: models keep their state on the heap.</summary>
    internal const int StackBytes = 512 << 10;

    private readonly object _gate = new();
    private readonly Queue<Action<CancellationToken>> _queue = new();
    private CancellationTokenSource _generation = new();
    private Thread? _thread;
    private bool _running;
    private bool _exit;
    private bool _active;
    private long _failures;

    /// <summary>The managed id of the thread that ran the latest work (for tests: the AFU runs on its own thread).</summary>
    internal int LastThreadId { get; private set; }

    /// <summary>True while the thread exists.</summary>
    internal bool HasThread
    {
        get
        {
            lock (_gate)
            {
                return _thread is not null;
            }
        }
    }

    /// <summary>True while work is queued or running.</summary>
    internal bool IsBusy
    {
        get
        {
            lock (_gate)
            {
                return _running || _queue.Count > 0;
            }
        }
    }

    /// <summary>Work that threw, since the port was made.</summary>
    internal long Failures => Interlocked.Read(ref _failures);

    /// <summary>Cancelled by the next reset: what waits inside work (DMA pacing, a hang) listens to.</summary>
    internal CancellationToken Token
    {
        get
        {
            lock (_gate)
            {
                return _generation.Token;
            }
        }
    }

    internal bool IsWorkerThread => Thread.CurrentThread == Volatile.Read(ref _thread);

    /// <summary>The port was opened: work is accepted until <see cref="Shutdown"/>.</summary>
    internal void Activate()
    {
        lock (_gate)
        {
            _active = true;
        }
    }

    /// <summary>Queues <paramref name="work"/>; false (and dropped) while the port is closed.</summary>
    internal bool Post(Action<CancellationToken> work)
    {
        lock (_gate)
        {
            if (!_active)
            {
                return false;
            }

            _queue.Enqueue(work);
            if (_thread is null)
            {
                // A small stack: in a C program every thread's stack comes out of the host's address space.
                _thread = new Thread(Loop, StackBytes) { IsBackground = true, Name = $"{name} AFU" };
                _thread.Start();
            }

            Monitor.PulseAll(_gate);
            return true;
        }
    }

    /// <summary>Cancels the running work, drops queued work and waits for the running one to return (not when called from the work itself).</summary>
    internal void CancelAndWait()
    {
        CancellationTokenSource old;
        lock (_gate)
        {
            old = _generation;
            _generation = new CancellationTokenSource();
            _queue.Clear();
        }

        // Outside the lock: cancellation callbacks wake waits of the work, which may take the lock.
        old.Cancel();
        lock (_gate)
        {
            while (_running && Thread.CurrentThread != _thread)
            {
                Monitor.Wait(_gate);
            }
        }
    }

    /// <summary>Cancels everything and ends the thread (the port was closed); the next <see cref="Post"/> starts a new one.</summary>
    internal void Shutdown()
    {
        lock (_gate)
        {
            // From here nothing is queued, so no thread can be made after the join below.
            _active = false;
        }

        CancelAndWait();
        Thread? thread;
        lock (_gate)
        {
            _exit = true;
            thread = _thread;
            Monitor.PulseAll(_gate);
        }

        if (thread is not null && thread != Thread.CurrentThread)
        {
            thread.Join();
        }

        lock (_gate)
        {
            _exit = false;
        }
    }

    private void Loop()
    {
        while (true)
        {
            Action<CancellationToken> work;
            CancellationToken token;
            lock (_gate)
            {
                while (_queue.Count == 0 && !_exit)
                {
                    Monitor.Wait(_gate);
                }

                if (_exit)
                {
                    if (_thread == Thread.CurrentThread)
                    {
                        _thread = null;
                    }

                    return;
                }

                work = _queue.Dequeue();
                token = _generation.Token;
                _running = true;
            }

            LastThreadId = Environment.CurrentManagedThreadId;
            try
            {
                if (!token.IsCancellationRequested)
                {
                    work(token);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Reset while it waited: the work simply ends.
            }
            catch (Exception e)
            {
                // Nothing a model does may take the process down.
                Interlocked.Increment(ref _failures);
                OpaeLogging.Logger.LogError(e, "simulated AFU {Name}: work failed: {Message}", name, e.Message);
            }
            finally
            {
                lock (_gate)
                {
                    _running = false;
                    Monitor.PulseAll(_gate);
                }
            }
        }
    }
}
