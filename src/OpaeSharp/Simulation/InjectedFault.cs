namespace OpaeSharp.Simulation;

/// <summary>
/// A deterministic fault for testing host software: what happens (<see cref="Kind"/>) and which
/// operations of the AFU it hits. An operation is a DMA access for every kind but
/// <see cref="FaultKind.DroppedInterrupt"/>, whose operations are interrupts. Operations that match
/// the filters (<see cref="IoAddress"/>, <see cref="Vector"/>, <see cref="At"/>) are counted; the
/// fault skips the first <see cref="After"/> of them and fires on the next <see cref="Times"/>.
/// Inject one with <see cref="SimulatedAccelerator.Inject"/>, <see cref="Simulator.Inject"/>,
/// <see cref="AfuContext.Inject"/> or a port's <c>faults</c> in the JSON configuration.
/// </summary>
/// <param name="Kind">What the fault does.</param>
public sealed record InjectedFault(FaultKind Kind)
{
    /// <summary>Matching operations to let through before the fault fires (0: it fires on the first).</summary>
    public int After { get; init; }

    /// <summary>How many matching operations it fires on; 0 for every one from then on.</summary>
    public int Times { get; init; } = 1;

    /// <summary>Only DMA accesses that touch [<see cref="IoAddress"/>, + <see cref="Length"/>) match; null for any address.</summary>
    public ulong? IoAddress { get; init; }

    /// <summary>Bytes of the address range (with <see cref="IoAddress"/>).</summary>
    public ulong Length { get; init; } = 1;

    /// <summary>Only interrupts of this vector match (<see cref="FaultKind.DroppedInterrupt"/>); null for any.</summary>
    public int? Vector { get; init; }

    /// <summary>Only operations at least this long after the fault was injected match, on the AFU's clock; null for no delay.</summary>
    public TimeSpan? At { get; init; }

    /// <summary>How long a <see cref="FaultKind.Stall"/> delays the access.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>The bits a <see cref="FaultKind.PortError"/> sets in the port's <c>errors</c> register.</summary>
    public ulong ErrorBits { get; init; } = 1;

    /// <inheritdoc/>
    public override string ToString()
    {
        var what = Kind switch
        {
            FaultKind.PortError => $"PortError 0x{ErrorBits:x}",
            FaultKind.Stall => $"Stall {Duration.TotalMilliseconds:0.###} ms",
            _ => Kind.ToString(),
        };
        var where = IoAddress is { } a ? $" at IO 0x{a:x}+{Length}" : "";
        var vector = Vector is { } v ? $" on vector {v}" : "";
        var when = At is { } t ? $" from {t.TotalMilliseconds:0.###} ms" : "";
        var times = Times == 0 ? "every time" : Times == 1 ? "once" : $"{Times} times";
        var op = Kind == FaultKind.DroppedInterrupt ? "interrupt" : "DMA";
        return $"{what}{where}{vector}{when}, after {After} {op}(s), {times}";
    }

    internal void Validate()
    {
        if (After < 0 || Times < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(After), "After and Times cannot be negative");
        }

        if (Length == 0 || Duration < TimeSpan.Zero || (At is { } at && at < TimeSpan.Zero))
        {
            throw new ArgumentOutOfRangeException(nameof(Length), "Length must be positive, Duration and At not negative");
        }
    }
}
