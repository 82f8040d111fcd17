using OpaeSharp.Devices;
using OpaeSharp.Enumeration;

namespace OpaeSharp.Cli.Selection;

/// <summary>The device a command line selects (<see cref="DeviceOptions"/>): part of a PCI address and an AFU id, each optional.</summary>
internal sealed record DeviceSelection(PciSelector Pci, Guid? Guid)
{
    internal bool IsEmpty => Pci.IsEmpty && Guid is null;

    /// <summary>The library's filter for this selection.</summary>
    /// <param name="objectType">The object type to match, or null for both.</param>
    /// <param name="defaultGuid">The AFU id to match when the command line names none.</param>
    internal AcceleratorFilter ToFilter(FpgaObjectType? objectType = null, Guid? defaultGuid = null) => new()
    {
        ObjectType = objectType,
        Segment = Pci.Segment,
        Bus = Pci.Bus,
        Device = Pci.Device,
        Function = Pci.Function,
        Guid = Guid ?? defaultGuid,
    };

    /// <summary>True when a port at that PCI function, holding that AFU, is selected.</summary>
    internal bool Matches(ushort segment, byte bus, byte device, byte function, Guid afuId) =>
        Pci.Matches(segment, bus, device, function) && (Guid is null || Guid == afuId);

    /// <summary>"PCI address 0000:3b:00.0", "bus 0x3b and AFU id d8424dc4-…": what the user asked for, in their terms.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (!Pci.IsEmpty)
        {
            parts.Add(Pci.Bus is not null && Pci.Device is not null && Pci.Function is not null ? $"PCI address {Pci}" : Pci.ToString());
        }

        if (Guid is { } guid)
        {
            parts.Add($"AFU id {guid}");
        }

        return parts.Count == 0 ? "anything" : string.Join(" and ", parts);
    }

    /// <summary>
    /// NOT_FOUND for <paramref name="what"/> (e.g. "no FPGA object") with this selection on
    /// <paramref name="backend"/>, naming what that backend does have so the user can correct it.
    /// </summary>
    internal OpaeException NotFound(string what, BackendRegistry backends, BackendKind backend)
    {
        var all = Accelerator.Enumerate(backends, [], backend);
        var resolved = backends.Resolve(backend).Backends;
        var where = backend == BackendKind.Auto && resolved.Count > 0
            ? $"the auto backend ({string.Join(", ", resolved.Select(b => b.Name))})"
            : $"the {CliApp.Name(backend)} backend";
        var have = all.Count == 0
            ? $"{where} has no FPGA objects (run 'opae info')"
            : $"{where} has {string.Join(", ", all.Take(8).Select(Describe))}{(all.Count > 8 ? ", …" : "")} (run 'opae list')";
        return new OpaeException(FpgaResult.NotFound, $"{what} matches {this}; {have}");
    }

    private static string Describe(AcceleratorToken token) =>
        token.ObjectType == FpgaObjectType.Device
            ? $"device {token.PciAddress}"
            : $"accelerator {token.PciAddress} ({(token.IsIdentityKnown ? token.Guid.ToString() : "AFU id unknown")})";
}
