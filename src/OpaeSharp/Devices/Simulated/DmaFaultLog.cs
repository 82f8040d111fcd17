using OpaeSharp.Simulation;
namespace OpaeSharp.Devices.Simulated;

/// <summary>The sanitizer's record of refused device accesses: the newest few kept, all counted.</summary>
internal sealed class DmaFaultLog(int capacity)
{
    private readonly Lock _lock = new();
    private readonly Queue<DmaFault> _recent = new();
    private long _total;

    internal long Total => Interlocked.Read(ref _total);

    internal void Record(DmaFault fault)
    {
        lock (_lock)
        {
            if (_recent.Count == capacity)
            {
                _recent.Dequeue();
            }

            _recent.Enqueue(fault);
            _total++;
        }

        Diagnostics.OpaeMetrics.DmaFaults.Add(1);
    }

    internal IReadOnlyList<DmaFault> Snapshot()
    {
        lock (_lock)
        {
            return [.. _recent];
        }
    }
}
