using System.Globalization;
using System.IO.Enumeration;
using OpaeSharp.Interop;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// The simulated cards as the upstream DFL driver lays them out in sysfs, so that sysobjects,
/// error registers and properties read the simulator through the same code as hardware. Every
/// value is rendered from the card's state when read; writes act on it (<c>errors/inject_errors</c>
/// raises FME error bits, writing an error register's value back clears it).
/// </summary>
/// <remarks>
/// Per card N at PCI 0000:BB:00.0: <c>…/fpga_region/regionN/dfl-fme.N</c> (bitstream_id,
/// bitstream_metadata, ports_num, socket_id, dev, errors/*, the PR region's compat_id, hwmon
/// thermal and power sensors, and the FME's performance counters as the intel-fpga driver names
/// them, <c>dperf/clock</c> and <c>dperf/fabric/*</c>) and <c>…/dfl-port.N</c> (afu_id, dev,
/// errors/*, the user clock's <c>dfl-uclk.N/userclk/frequency</c>); <c>/sys/class/fpga_region/regionN</c>
/// links to the card. Thread-safe: the tree never changes shape; values come from thread-safe state.
/// </remarks>
internal sealed class SimulatedSysfs : ISysfs
{
    /// <summary>Device-number majors of the simulated FME and port nodes (the driver's are dynamic).</summary>
    internal const int FmeMajor = 234;
    internal const int PortMajor = 235;

    private readonly Directory _root = new();
    private readonly IReadOnlyList<SimulatedCardView> _cards;
    private readonly int[] _firstPort;

    internal SimulatedSysfs(IReadOnlyList<SimulatedCardView> cards)
    {
        _cards = cards;

        // The driver numbers ports across the machine: card 0's come first, then card 1's.
        _firstPort = new int[cards.Count];
        for (var i = 1; i < cards.Count; i++)
        {
            _firstPort[i] = _firstPort[i - 1] + cards[i - 1].PortCount;
        }

        foreach (var card in cards)
        {
            AddCard(card);
        }
    }

    internal string PciPath(int card) => $"/sys/devices/pci{_cards[card].Card.Pci.Segment:x4}:00/{_cards[card].Card.Pci}";

    internal string RegionPath(int card) => $"{PciPath(card)}/fpga_region/region{card}";

    internal string FmePath(int card) => $"{RegionPath(card)}/dfl-fme.{card}";

    /// <summary>The sysfs directory of port <paramref name="port"/> of card <paramref name="card"/>: dfl-port.N, N counted across cards.</summary>
    internal string PortPath(int card, int port = 0) => $"{RegionPath(card)}/dfl-port.{PortNumber(card, port)}";

    internal int PortNumber(int card, int port) => _firstPort[card] + port;

    public string? ReadAttribute(string path) => Find(path) is Attribute { Read: { } read } ? read() : null;

    public Errno WriteAttribute(string path, string value) => Find(path) switch
    {
        Attribute { Write: { } write } => write(value.Trim()),
        Attribute => Errno.EACCES,
        Directory => Errno.EISDIR,
        _ => Errno.ENOENT,
    };

    public string? ReadLink(string path) => Find(path, followLast: false) is Link link ? link.Target : null;

    public IReadOnlyList<string> List(string directory, string pattern = "*")
    {
        if (Find(directory) is not Directory found)
        {
            return [];
        }

        var names = found.Entries.Keys.Where(n => FileSystemName.MatchesSimpleExpression(pattern, n)).ToList();
        names.Sort(SysfsFiles.NaturalOrder);
        return names;
    }

    public bool Exists(string path) => Find(path, followLast: false) is not null;

    public bool IsDirectory(string path) => Find(path) is Directory;

    private void AddCard(SimulatedCardView card)
    {
        var i = card.Index;
        var pci = PciPath(i);
        File(pci + "/vendor", () => $"0x{SimulatedBackend.VendorId:x4}");
        File(pci + "/device", () => $"0x{SimulatedBackend.DeviceId:x4}");
        File(pci + "/subsystem_vendor", () => $"0x{SimulatedBackend.VendorId:x4}");
        File(pci + "/subsystem_device", () => "0x0000");
        LinkTo($"/sys/class/fpga_region/region{i}", RegionPath(i));

        var fme = FmePath(i);
        File(fme + "/dev", () => $"{FmeMajor}:{i}");
        File(fme + "/bitstream_id", () => Hex(card.BitstreamId));
        File(fme + "/bitstream_metadata", () => Hex(card.BitstreamMetadata));
        File(fme + "/ports_num", () => card.PortCount.ToString(CultureInfo.InvariantCulture));
        File(fme + "/socket_id", () => "0");
        File($"{fme}/dfl-fme-region.{i}/fpga_region/region{i + 10}/compat_id", () => card.InterfaceId.ToString("N"));

        var errors = card.FmeErrors;
        ClearableRegister(fme + "/errors/fme_errors", errors, "errors");
        ClearableRegister(fme + "/errors/pcie0_errors", errors, "pcie0_errors");
        ClearableRegister(fme + "/errors/pcie1_errors", errors, "pcie1_errors");
        File(fme + "/errors/nonfatal_errors", () => Hex(errors.Read("nonfatal_errors")));
        File(fme + "/errors/catfatal_errors", () => Hex(errors.Read("catfatal_errors")));
        File(fme + "/errors/first_error", () => Hex(FirstOf(errors, "errors", "pcie0_errors", "pcie1_errors", "nonfatal_errors", "catfatal_errors")));
        File(fme + "/errors/next_error", () => "0x0");
        File(
            fme + "/errors/inject_errors",
            () => Hex(errors.Read("inject_errors")),
            text => WriteNumber(text, value =>
            {
                // The driver takes the three inject bits; writing 0 withdraws the injection.
                if (value > 0x7)
                {
                    return Errno.EINVAL;
                }

                errors.Clear("inject_errors", ~0UL);
                errors.Set("inject_errors", value);
                return Errno.None;
            }));

        var thermal = $"{fme}/hwmon/hwmon{2 * i}";
        File(thermal + "/name", () => "dfl_fme_thermal");
        File(thermal + "/temp1_input", () => Milli(card.TemperatureCelsius));
        File(thermal + "/temp1_max", () => "90000");
        File(thermal + "/temp1_crit", () => "100000");
        File(thermal + "/temp1_emergency", () => "105000");
        var power = $"{fme}/hwmon/hwmon{(2 * i) + 1}";
        File(power + "/name", () => "dfl_fme_power");
        File(power + "/power1_input", () => Micro(card.PowerWatts));
        File(power + "/power1_max", () => "90000000");
        File(power + "/power1_crit", () => "100000000");

        File(fme + "/dperf/clock", () => card.ClockTicks.ToString(CultureInfo.InvariantCulture));
        File(fme + "/dperf/fabric/freeze", () => "0");
        File(fme + "/dperf/fabric/mmio_read", () => card.MmioReads.ToString(CultureInfo.InvariantCulture));
        File(fme + "/dperf/fabric/mmio_write", () => card.MmioWrites.ToString(CultureInfo.InvariantCulture));

        foreach (var simulated in card.Card.Ports)
        {
            var number = PortNumber(i, simulated.Index);
            var port = PortPath(i, simulated.Index);
            File(port + "/dev", () => $"{PortMajor}:{number}");
            File(port + "/afu_id", () => simulated.AfuId.ToString("N"));
            ClearableRegister(port + "/errors/errors", simulated.Errors, "errors");
            File(port + "/errors/first_error", () => Hex(simulated.Errors.First("errors")));
            File(port + "/errors/first_malformed_req", () => "0x0");
            File($"{port}/dfl-uclk.{number}/userclk/frequency", () =>
            {
                var (high, low) = card.UserClock;
                return $"{low / 1000} {high / 1000}";
            });
        }
    }

    /// <summary>An error register: reads its bits; writing the value it holds clears them, anything else is EINVAL (as the DFL driver).</summary>
    private void ClearableRegister(string path, SimulatedErrors errors, string register) => File(
        path,
        () => Hex(errors.Read(register)),
        text => WriteNumber(text, value =>
        {
            if (value != errors.Read(register))
            {
                return Errno.EINVAL;
            }

            errors.Clear(register, value);
            return Errno.None;
        }));

    private static ulong FirstOf(SimulatedErrors errors, params string[] registers)
    {
        foreach (var register in registers)
        {
            if (errors.First(register) is var first and not 0)
            {
                return first;
            }
        }

        return 0;
    }

    private static Errno WriteNumber(string text, Func<ulong, Errno> apply)
    {
        var t = text.Trim();
        var ok = t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(t.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value)
            : ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        return ok ? apply(value) : Errno.EINVAL;
    }

    private static string Hex(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static string Milli(double value) => ((long)Math.Round(value * 1000)).ToString(CultureInfo.InvariantCulture);

    private static string Micro(double value) => ((long)Math.Round(value * 1_000_000)).ToString(CultureInfo.InvariantCulture);

    private void File(string path, Func<string>? read, Func<string, Errno>? write = null) => Add(path, new Attribute(read, write));

    private void LinkTo(string path, string target) => Add(path, new Link(target));

    private void Add(string path, Node node)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var directory = _root;
        foreach (var part in parts[..^1])
        {
            if (!directory.Entries.TryGetValue(part, out var next))
            {
                next = new Directory();
                directory.Entries[part] = next;
            }

            directory = (Directory)next;
        }

        directory.Entries[parts[^1]] = node;
    }

    private Node? Find(string path, bool followLast = true, int depth = 0)
    {
        Node current = _root;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var p = 0; p < parts.Length; p++)
        {
            if (current is Link link)
            {
                current = Find(link.Target, true, depth + 1)!;
            }

            if (current is not Directory directory || !directory.Entries.TryGetValue(parts[p], out var next))
            {
                return null;
            }

            current = next;
        }

        return followLast && current is Link last && depth < 8 ? Find(last.Target, true, depth + 1) : current;
    }

    private abstract class Node;

    private sealed class Directory : Node
    {
        internal Dictionary<string, Node> Entries { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Attribute(Func<string>? read, Func<string, Errno>? write) : Node
    {
        internal Func<string>? Read { get; } = read;

        internal Func<string, Errno>? Write { get; } = write;
    }

    private sealed class Link(string target) : Node
    {
        internal string Target { get; } = target;
    }
}
