using OpaeSharp.Simulation;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// The faults armed on one port and the decision for each operation: which of them fire on this
/// DMA access or interrupt. Counting is exact (a lock around a short list), so a test that injects
/// "fail the third DMA" gets the third, whatever the threads do. Once a hang fired the port stays
/// hung until <see cref="ClearHang"/> (reset).
/// </summary>
internal sealed class FaultInjector
{
    private readonly Lock _lock = new();
    private readonly List<ArmedFault> _armed = [];
    private readonly List<InjectedFault> _fired = [];
    private volatile bool _hung;
    private volatile int _count;

    /// <summary>Faults that fired, oldest first (the newest 256 kept).</summary>
    internal IReadOnlyList<InjectedFault> Fired
    {
        get
        {
            lock (_lock)
            {
                return [.. _fired];
            }
        }
    }

    internal long FiredCount { get; private set; }

    internal bool IsHung => _hung;

    /// <summary>Faults still armed.</summary>
    internal IReadOnlyList<InjectedFault> Armed
    {
        get
        {
            lock (_lock)
            {
                return [.. _armed.Select(a => a.Fault)];
            }
        }
    }

    internal void Add(InjectedFault fault, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(fault);
        fault.Validate();
        lock (_lock)
        {
            _armed.Add(new ArmedFault(fault, now));
            _count = _armed.Count;
        }
    }

    internal void Clear()
    {
        lock (_lock)
        {
            _armed.Clear();
            _count = 0;
        }
    }

    internal void ClearHang() => _hung = false;

    /// <summary>What happens to a DMA access of [<paramref name="iova"/>, + <paramref name="length"/>).</summary>
    internal DmaDecision OnDma(ulong iova, ulong length, TimeSpan now)
    {
        if (_hung)
        {
            return new DmaDecision(Fail: false, Stall: TimeSpan.Zero, Hang: true, ErrorBits: 0);
        }

        if (_count == 0)
        {
            return default;
        }

        var decision = default(DmaDecision);
        lock (_lock)
        {
            for (var i = 0; i < _armed.Count; i++)
            {
                var armed = _armed[i];
                var fault = armed.Fault;
                if (fault.Kind == FaultKind.DroppedInterrupt || !armed.InTime(now))
                {
                    continue;
                }

                if (fault.IoAddress is { } start && (iova >= start + fault.Length || start >= iova + length))
                {
                    continue;
                }

                if (!Fire(armed, ref i))
                {
                    continue;
                }

                decision = fault.Kind switch
                {
                    FaultKind.DmaFailure => decision with { Fail = true },
                    FaultKind.Stall => decision with { Stall = decision.Stall + fault.Duration },
                    FaultKind.Hang => decision with { Hang = true },
                    FaultKind.PortError => decision with { ErrorBits = decision.ErrorBits | fault.ErrorBits },
                    _ => decision,
                };
            }
        }

        if (decision.Hang)
        {
            _hung = true;
        }

        return decision;
    }

    /// <summary>True when an interrupt of <paramref name="vector"/> is to be dropped.</summary>
    internal bool DropInterrupt(int vector, TimeSpan now)
    {
        if (_count == 0)
        {
            return false;
        }

        lock (_lock)
        {
            for (var i = 0; i < _armed.Count; i++)
            {
                var armed = _armed[i];
                if (armed.Fault.Kind != FaultKind.DroppedInterrupt || !armed.InTime(now) || (armed.Fault.Vector is { } v && v != vector))
                {
                    continue;
                }

                if (Fire(armed, ref i))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Counts a matching operation; true when the fault fires on it (and disarms it when spent). Called holding the lock.</summary>
    private bool Fire(ArmedFault armed, ref int index)
    {
        armed.Seen++;
        if (armed.Seen <= armed.Fault.After)
        {
            return false;
        }

        armed.Fired++;
        FiredCount++;
        if (_fired.Count == 256)
        {
            _fired.RemoveAt(0);
        }

        _fired.Add(armed.Fault);
        if (armed.Fault.Times != 0 && armed.Fired >= armed.Fault.Times)
        {
            _armed.RemoveAt(index);
            _count = _armed.Count;
            index--;
        }

        return true;
    }

    internal readonly record struct DmaDecision(bool Fail, TimeSpan Stall, bool Hang, ulong ErrorBits);

    private sealed class ArmedFault(InjectedFault fault, TimeSpan injectedAt)
    {
        internal InjectedFault Fault { get; } = fault;

        internal int Seen { get; set; }

        internal int Fired { get; set; }

        internal bool InTime(TimeSpan now) => Fault.At is not { } at || now - injectedAt >= at;
    }
}
