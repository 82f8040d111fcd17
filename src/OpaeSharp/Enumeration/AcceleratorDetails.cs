using OpaeSharp.Interop;

namespace OpaeSharp.Enumeration;

/// <summary>What a backend knows of an accelerator beyond its PCI identity, for <see cref="AcceleratorToken.AcceleratorBelow(string, Guid, string, AcceleratorDetails?)"/>.</summary>
internal sealed record AcceleratorDetails
{
    /// <summary>The accelerator's PCI function when it is not its device's (a simulated card's port p is function f + p).</summary>
    internal byte? Function { get; init; }

    internal ISysfs? Sysfs { get; init; }

    internal string? SysfsPath { get; init; }

    internal ulong? ObjectId { get; init; }

    internal uint? MmioRegionCount { get; init; }

    internal uint? InterruptCount { get; init; }

    internal AcceleratorState? State { get; init; }

    internal uint ErrorCount { get; init; }
}
