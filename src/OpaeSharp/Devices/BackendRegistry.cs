using Microsoft.Extensions.Logging;
using OpaeSharp.Devices.Dfl;
using OpaeSharp.Devices.Kernel;
using OpaeSharp.Devices.Simulated;
using OpaeSharp.Devices.Vfio;
using OpaeSharp.Diagnostics;
using OpaeSharp.Interop;

namespace OpaeSharp.Devices;

/// <summary>
/// The backends of one machine, seen through one kernel seam, and the rule that picks those a
/// program talks to. The process uses <see cref="System"/>; tests and the CLI's own tests build one
/// over a fake kernel.
/// </summary>
/// <remarks>
/// The rule for <see cref="BackendKind.Auto"/>: every hardware backend whose driver stack is present;
/// when none is, but the PCI bus shows an FPGA card (its driver missing), nothing — the program is
/// told what is missing instead of being handed the simulator; only on a machine with no FPGA at
/// all, the simulator, said once in the log (<see cref="Events.SimulatorChosen"/>).
/// Deciding reads sysfs only; it never enumerates twice or opens a device.
/// </remarks>
internal sealed class BackendRegistry
{
    internal const string EnvironmentVariable = "OPAESHARP_BACKEND";

    private static readonly Lazy<BackendRegistry> s_system = new(() => new BackendRegistry(LinuxKernel.Instance, () => SimulatedBackend.Default));

    private readonly Lazy<SimulatedBackend> _simulator;
    private int _announced;

    internal BackendRegistry(IKernel kernel, Func<SimulatedBackend> simulator, VfioOptions? vfio = null)
    {
        Kernel = kernel;
        _simulator = new Lazy<SimulatedBackend>(simulator);
        Dfl = new DflBackend(kernel, DflDriver.Upstream);
        LegacyDfl = new DflBackend(kernel, DflDriver.Legacy);
        Vfio = new VfioBackend(kernel, vfio ?? VfioOptions.FromEnvironment());
        Hardware = [Dfl, LegacyDfl, Vfio];
    }

    /// <summary>This machine's backends.</summary>
    internal static BackendRegistry System => s_system.Value;

    internal IKernel Kernel { get; }

    internal SimulatedBackend Simulator => _simulator.Value;

    internal DflBackend Dfl { get; }

    internal DflBackend LegacyDfl { get; }

    internal VfioBackend Vfio { get; }

    /// <summary>The hardware backends, in the order auto tries them.</summary>
    internal IReadOnlyList<IBackend> Hardware { get; }

    /// <summary>The kind named by <c>OPAESHARP_BACKEND</c>, or <see cref="BackendKind.Auto"/>.</summary>
    internal static BackendKind FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return Parse(value) ?? throw new OpaeException(
            FpgaResult.InvalidParam,
            $"{EnvironmentVariable}={value} is not one of auto, sim, hw, dfl, vfio");
    }

    internal static BackendKind? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => BackendKind.Auto,
        "sim" or "simulated" or "simulator" => BackendKind.Simulated,
        "hw" or "hardware" => BackendKind.Hardware,
        "dfl" => BackendKind.Dfl,
        "vfio" => BackendKind.Vfio,
        _ => null,
    };

    /// <summary>"sim", "hw", "dfl", "vfio", "auto": how the environment variable and the CLI spell a kind.</summary>
    internal static string Name(BackendKind kind) => kind switch
    {
        BackendKind.Simulated => "sim",
        BackendKind.Hardware => "hw",
        BackendKind.Dfl => "dfl",
        BackendKind.Vfio => "vfio",
        _ => "auto",
    };

    /// <summary>The backends to enumerate for <paramref name="kind"/>, and what auto decided.</summary>
    internal Resolution Resolve(BackendKind kind)
    {
        switch (kind)
        {
            case BackendKind.Simulated:
                return new Resolution([Simulator], null);
            case BackendKind.Dfl:
                return new Resolution([Dfl, LegacyDfl], null);
            case BackendKind.Vfio:
                return new Resolution([Vfio], null);
            case BackendKind.Hardware:
                return new Resolution(Hardware, null);
        }

        var present = Hardware.Where(b => b.IsPresent).ToList();
        if (present.Count > 0)
        {
            return new Resolution(present, null);
        }

        if (FindFpgaCards() is { Count: > 0 } cards)
        {
            var why = $"an FPGA card is on the PCI bus ({string.Join(", ", cards)}) but no FPGA driver exposes it: " +
                "load the DFL driver (modprobe dfl-pci) or bind it to vfio-pci (docs/hardware.md); " +
                $"{EnvironmentVariable}=sim runs on the simulator instead";
            Announce(Events.HardwareUnusable, why);
            return new Resolution([], why);
        }

        Announce(
            Events.SimulatorChosen,
            $"no FPGA driver or card found: using the simulated accelerator ({EnvironmentVariable}=sim chooses it without this message, {EnvironmentVariable}=hw requires hardware)");
        return new Resolution([Simulator], null);
    }

    /// <summary>What each backend can do here (what <c>opae info</c> shows); opens nothing.</summary>
    internal IReadOnlyList<BackendStatus> Status() => [Simulator.Status(), .. Hardware.Select(b => b.Status())];

    /// <summary>PCI functions with an FPGA card's id, whatever driver they have (or none).</summary>
    internal List<string> FindFpgaCards()
    {
        var cards = new List<string>();
        foreach (var name in Kernel.List(VfioBackend.PciDevices))
        {
            var vendor = PciAddress.ParseId(Kernel.ReadAttribute($"{VfioBackend.PciDevices}/{name}/vendor"));
            var device = PciAddress.ParseId(Kernel.ReadAttribute($"{VfioBackend.PciDevices}/{name}/device"));
            if (VfioOptions.IsKnownFpga(vendor, device))
            {
                cards.Add(name);
            }
        }

        return cards;
    }

    private void Announce(EventId id, string message)
    {
        if (Interlocked.Exchange(ref _announced, 1) == 0)
        {
            OpaeLogging.Logger.LogWarning(id, "{Message}", message);
        }
    }

    /// <summary>The backends to search, and when there are none for auto, why.</summary>
    internal sealed record Resolution(IReadOnlyList<IBackend> Backends, string? Why);

    /// <summary>Log events a host may want to show whatever its log level (the C library prints them always).</summary>
    internal static class Events
    {
        internal static readonly EventId SimulatorChosen = new(1001, nameof(SimulatorChosen));

        internal static readonly EventId HardwareUnusable = new(1002, nameof(HardwareUnusable));
    }
}
