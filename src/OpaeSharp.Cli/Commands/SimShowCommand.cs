using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using OpaeSharp.Cli.Output;
using OpaeSharp.Cli.Selection;
using OpaeSharp.Devices.Kernel;
using OpaeSharp.Devices.Simulated;
using OpaeSharp.Simulation;

namespace OpaeSharp.Cli.Commands;

/// <summary>
/// <c>opae sim</c> (and <c>opae sim show</c>): the simulated cards, what each port holds, the
/// link, the faults armed, and the models a configuration can name — of the simulator programs get
/// (<c>OPAESHARP_SIM_CONFIG</c>), or of the configuration file <c>--config</c> names.
/// </summary>
internal static class SimShowCommand
{
    internal static (Option<string?> Config, Option<bool> Json) Options() =>
        (new Option<string?>("--config", "-c") { Description = "A simulator configuration file (JSON) to show instead of OPAESHARP_SIM_CONFIG's" },
         new Option<bool>("--json") { Description = "Print JSON instead of tables" });

    internal static Command Create(CliContext context, Option<string?> config, Option<bool> json, DeviceOptions device)
    {
        var show = new Command("show", "Show the simulated cards, their ports' AFU models, links and injected faults") { config, json };
        device.AddTo(show);
        show.SetAction(parse => Run(context, parse.GetValue(config), device.Read(parse), parse.GetValue(json)));
        return show;
    }

    /// <summary>Shows the simulator, or the configuration file <paramref name="configPath"/>; only the ports <paramref name="selection"/> picks.</summary>
    /// <exception cref="OpaeException">NOT_FOUND when the selection picks no port.</exception>
    internal static int Run(CliContext context, string? configPath, DeviceSelection selection, bool json)
    {
        var backend = configPath is null
            ? context.Backends.Simulator
            : Simulator.Create(SimulatorConfiguration.Load(configPath)).Backend;
        var source = configPath is not null ? Path.GetFullPath(configPath) : backend.Options.Configuration?.SourcePath;
        var ports = backend.Cards.SelectMany(card => card.Ports.Where(port => Selected(selection, card, port)).Select(port => (Card: card, Port: port))).ToList();
        if (ports.Count == 0)
        {
            throw new OpaeException(FpgaResult.NotFound, $"no simulated port matches {selection}; the simulator has {string.Join(", ", backend.Cards.SelectMany(c => c.Ports.Select(p => $"{PortAddress(c, p)} ({p.Afu.Name}, {p.AfuId})")))}");
        }

        if (json)
        {
            CliApp.WriteJson(context, Json(ports, backend.Cards[0].Catalog, source));
            return ExitCodes.Success;
        }

        context.WriteWrapped($"Simulator: {backend.Cards.Count} card(s), configured by {source ?? (backend.Options.Configuration is null ? "default (one card, NLB0)" : "code")}");
        var cards = new CliTable("Card", "PCI address", "Link", "Port", "AFU", "AFU id", "Vectors", "State", "Faults armed");
        SimulatedCard? previous = null;
        foreach (var (card, port) in ports)
        {
            // The card's columns on its first row only: its ports follow beneath.
            var first = card != previous;
            previous = card;
            var faults = port.Faults.Armed;
            cards.AddRow(
                first ? card.Index.ToString(CultureInfo.InvariantCulture) : "",
                first ? card.Pci.ToString() : "",
                first ? Link(card.Link.Model) : "",
                port.Index.ToString(CultureInfo.InvariantCulture),
                port.Afu.Name,
                port.AfuId.ToString(),
                port.Interrupts.Count.ToString(CultureInfo.InvariantCulture),
                port.IsOpen ? new CliCell("open", "yellow") : "closed",
                faults.Count == 0 ? "-" : string.Join("; ", faults));
        }

        cards.Write(context);
        var models = new CliTable("Model", "AFU id", "From");
        foreach (var entry in backend.Cards[0].Catalog.Entries)
        {
            models.AddRow(entry.Name, entry.AfuId.ToString(), entry.Source);
        }

        models.Write(context);
        return ExitCodes.Success;
    }

    private static JsonObject Json(List<(SimulatedCard Card, SimulatedPort Port)> selected, AfuCatalog catalog, string? source)
    {
        var cards = new JsonArray();
        foreach (var group in selected.GroupBy(s => s.Card))
        {
            var card = group.Key;
            var ports = new JsonArray();
            foreach (var (_, port) in group)
            {
                var faults = new JsonArray();
                foreach (var fault in port.Faults.Armed)
                {
                    faults.Add((JsonNode)new JsonObject
                    {
                        ["kind"] = char.ToLowerInvariant(fault.Kind.ToString()[0]) + fault.Kind.ToString()[1..],
                        ["after"] = fault.After,
                        ["times"] = fault.Times,
                        ["ioAddress"] = fault.IoAddress is { } a ? $"0x{a:x}" : null,
                        ["length"] = fault.Length,
                        ["vector"] = fault.Vector,
                        ["atUs"] = fault.At?.TotalMicroseconds,
                        ["durationUs"] = fault.Duration.TotalMicroseconds,
                        ["errorBits"] = $"0x{fault.ErrorBits:x}",
                        ["description"] = fault.ToString(),
                    });
                }

                ports.Add((JsonNode)new JsonObject
                {
                    ["index"] = port.Index,
                    ["afu"] = port.Afu.Name,
                    ["afuId"] = port.AfuId.ToString(),
                    ["pciAddress"] = PortAddress(card, port).ToString(),
                    ["mmioSize"] = port.MmioSize,
                    ["interrupts"] = port.Interrupts.Count,
                    ["open"] = port.IsOpen,
                    ["faults"] = faults,
                });
            }

            cards.Add((JsonNode)new JsonObject
            {
                ["index"] = card.Index,
                ["pciAddress"] = card.Pci.ToString(),
                ["link"] = card.Link.Model is { } link ? new JsonObject { ["gbps"] = link.GigabytesPerSecond, ["latencyNs"] = link.Latency.TotalNanoseconds } : null,
                ["ports"] = ports,
            });
        }

        var models = new JsonArray();
        foreach (var entry in catalog.Entries)
        {
            models.Add((JsonNode)new JsonObject { ["name"] = entry.Name, ["afuId"] = entry.AfuId.ToString(), ["from"] = entry.Source });
        }

        return new JsonObject { ["configuration"] = source, ["cards"] = cards, ["models"] = models };
    }

    // A card's port p is PCI function f + p (docs/simulator.md).
    private static PciAddress PortAddress(SimulatedCard card, SimulatedPort port) => card.Pci with { Function = (byte)(card.Pci.Function + port.Index) };

    private static bool Selected(DeviceSelection selection, SimulatedCard card, SimulatedPort port)
    {
        var address = PortAddress(card, port);
        return selection.Matches(address.Segment, address.Bus, address.Device, address.Function, port.AfuId);
    }

    private static string Link(LinkModel? link) =>
        link is null ? "as fast as the host copies" : $"{link.GigabytesPerSecond:0.##} GB/s, {link.Latency.TotalNanoseconds:0} ns";
}
