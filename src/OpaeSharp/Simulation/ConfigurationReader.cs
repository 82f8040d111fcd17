using System.Globalization;
using System.Text.Json;
using OpaeSharp.Devices.Simulated;

namespace OpaeSharp.Simulation;

/// <summary>
/// Reads the JSON form of a <see cref="SimulatorConfiguration"/> (docs/simulator.md) by walking the
/// document, so it works in the NativeAOT C library and every mistake is reported with its place
/// ("cards[0].ports[1].faults[0].kind: ...").
/// </summary>
internal static class ConfigurationReader
{
    private static readonly JsonDocumentOptions s_options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    internal static SimulatorConfiguration Read(string json, string baseDirectory, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, s_options);
        }
        catch (JsonException e)
        {
            throw Invalid(source, $"line {e.LineNumber + 1}", $"not valid JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            Expect(root, JsonValueKind.Object, source, "the document");
            var configuration = new SimulatorConfiguration();
            Known(root, source, "", "models", "cards");
            if (root.TryGetProperty("models", out var models))
            {
                ReadModels(configuration, models, baseDirectory, source);
            }

            if (root.TryGetProperty("cards", out var cards))
            {
                Expect(cards, JsonValueKind.Array, source, "cards");
                var index = 0;
                foreach (var card in cards.EnumerateArray())
                {
                    ReadCard(configuration, card, source, $"cards[{index++}]");
                }
            }

            return configuration;
        }
    }

    private static void ReadModels(SimulatorConfiguration configuration, JsonElement models, string baseDirectory, string source)
    {
        Expect(models, JsonValueKind.Array, source, "models");
        var index = 0;
        foreach (var model in models.EnumerateArray())
        {
            var where = $"models[{index++}]";
            Expect(model, JsonValueKind.Object, source, where);
            Known(model, source, where, "name", "plugin", "args", "assembly", "type");
            var name = String(model, "name", source, where) ?? throw Invalid(source, where, "a model needs a \"name\"");
            var plugin = String(model, "plugin", source, where);
            var assembly = String(model, "assembly", source, where);
            try
            {
                if (plugin is not null)
                {
                    configuration.AddPlugin(name, Path.GetFullPath(plugin, baseDirectory), String(model, "args", source, where));
                }
                else if (assembly is not null)
                {
                    var type = String(model, "type", source, where) ?? throw Invalid(source, where, "an assembly model needs the \"type\" to create");
                    configuration.Register(AssemblyModels.Register(name, Path.GetFullPath(assembly, baseDirectory), type));
                }
                else
                {
                    throw Invalid(source, where, "a model is a C \"plugin\" (a .so path) or a .NET \"assembly\" with a \"type\"");
                }
            }
            catch (OpaeException e) when (!e.Message.StartsWith("simulator configuration", StringComparison.Ordinal))
            {
                throw Invalid(source, where, e.Message);
            }
        }
    }

    private static void ReadCard(SimulatorConfiguration configuration, JsonElement card, string source, string where)
    {
        Expect(card, JsonValueKind.Object, source, where);
        Known(card, source, where, "pci", "count", "link", "ports");
        var count = card.TryGetProperty("count", out var c) ? Int(c, source, where + ".count", 1, 64) : 1;
        var pci = String(card, "pci", source, where);
        LinkModel? link = null;
        if (card.TryGetProperty("link", out var l))
        {
            link = ReadLink(l, source, where + ".link");
        }

        if (!card.TryGetProperty("ports", out var ports))
        {
            throw Invalid(source, where, "a card needs \"ports\": the AFU model of each port");
        }

        Expect(ports, JsonValueKind.Array, source, where + ".ports");
        for (var n = 0; n < count; n++)
        {
            var made = new SimulatedCardConfiguration { Link = link, PciAddress = pci is null ? null : NextBus(pci, n, source, where) };
            var index = 0;
            foreach (var port in ports.EnumerateArray())
            {
                made.Ports.Add(ReadPort(port, source, $"{where}.ports[{index++}]"));
            }

            configuration.Cards.Add(made);
        }
    }

    private static SimulatedPortConfiguration ReadPort(JsonElement port, string source, string where)
    {
        if (port.ValueKind == JsonValueKind.String)
        {
            return new SimulatedPortConfiguration(port.GetString()!);
        }

        Expect(port, JsonValueKind.Object, source, where);
        Known(port, source, where, "afu", "faults");
        var made = new SimulatedPortConfiguration(String(port, "afu", source, where) ?? throw Invalid(source, where, "a port names its \"afu\""));
        if (port.TryGetProperty("faults", out var faults))
        {
            Expect(faults, JsonValueKind.Array, source, where + ".faults");
            var index = 0;
            foreach (var fault in faults.EnumerateArray())
            {
                made.Faults.Add(ReadFault(fault, source, $"{where}.faults[{index++}]"));
            }
        }

        return made;
    }

    private static LinkModel ReadLink(JsonElement link, string source, string where)
    {
        Expect(link, JsonValueKind.Object, source, where);
        Known(link, source, where, "gbps", "latencyNs");
        if (!link.TryGetProperty("gbps", out var gbps) || gbps.ValueKind != JsonValueKind.Number || !(gbps.GetDouble() > 0))
        {
            throw Invalid(source, where, "a link needs \"gbps\": its bandwidth per direction in GB/s, a positive number");
        }

        var latency = link.TryGetProperty("latencyNs", out var ns) ? Double(ns, source, where + ".latencyNs") : 0;
        return new LinkModel(gbps.GetDouble(), TimeSpan.FromMicroseconds(latency / 1000.0));
    }

    private static InjectedFault ReadFault(JsonElement fault, string source, string where)
    {
        Expect(fault, JsonValueKind.Object, source, where);
        Known(fault, source, where, "kind", "after", "times", "ioAddress", "length", "vector", "atUs", "durationUs", "errorBits");
        var kindText = String(fault, "kind", source, where) ?? throw Invalid(source, where, "a fault needs a \"kind\"");
        if (!Enum.TryParse<FaultKind>(kindText, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
        {
            throw Invalid(source, where + ".kind", $"\"{kindText}\" is not one of {string.Join(", ", Enum.GetNames<FaultKind>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]))}");
        }

        var made = new InjectedFault(kind);
        if (fault.TryGetProperty("after", out var after))
        {
            made = made with { After = Int(after, source, where + ".after", 0, int.MaxValue) };
        }

        if (fault.TryGetProperty("times", out var times))
        {
            made = made with { Times = Int(times, source, where + ".times", 0, int.MaxValue) };
        }

        if (fault.TryGetProperty("ioAddress", out var address))
        {
            made = made with { IoAddress = Unsigned(address, source, where + ".ioAddress") };
        }

        if (fault.TryGetProperty("length", out var length))
        {
            made = made with { Length = Unsigned(length, source, where + ".length") };
        }

        if (fault.TryGetProperty("vector", out var vector))
        {
            made = made with { Vector = Int(vector, source, where + ".vector", 0, 2047) };
        }

        if (fault.TryGetProperty("atUs", out var at))
        {
            made = made with { At = TimeSpan.FromMicroseconds(Double(at, source, where + ".atUs")) };
        }

        if (fault.TryGetProperty("durationUs", out var duration))
        {
            made = made with { Duration = TimeSpan.FromMicroseconds(Double(duration, source, where + ".durationUs")) };
        }

        if (fault.TryGetProperty("errorBits", out var bits))
        {
            made = made with { ErrorBits = Unsigned(bits, source, where + ".errorBits") };
        }

        try
        {
            made.Validate();
        }
        catch (ArgumentException e)
        {
            throw Invalid(source, where, e.Message);
        }

        return made;
    }

    private static string NextBus(string pci, int n, string source, string where)
    {
        var full = pci.Length == 7 ? "0000:" + pci : pci;
        if (!Devices.Kernel.PciAddress.TryParse(full, out var address) || address.Bus + n > 0xff)
        {
            throw Invalid(source, where + ".pci", $"\"{pci}\" is not ssss:bb:dd.f (or bb:dd.f) with room for {n + 1} card(s) on consecutive buses");
        }

        return (address with { Bus = (byte)(address.Bus + n) }).ToString();
    }

    private static void Known(JsonElement element, string source, string where, params string[] names)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!names.Contains(property.Name, StringComparer.Ordinal))
            {
                throw Invalid(source, where.Length == 0 ? property.Name : $"{where}.{property.Name}", $"unknown setting (expected {string.Join(", ", names)})");
            }
        }
    }

    private static void Expect(JsonElement element, JsonValueKind kind, string source, string where)
    {
        if (element.ValueKind != kind)
        {
            throw Invalid(source, where, $"expected {(kind == JsonValueKind.Array ? "an array" : kind == JsonValueKind.Object ? "an object" : kind.ToString().ToLowerInvariant())}, found {element.ValueKind.ToString().ToLowerInvariant()}");
        }
    }

    private static string? String(JsonElement element, string name, string source, string where)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        Expect(value, JsonValueKind.String, source, $"{where}.{name}");
        return value.GetString();
    }

    private static int Int(JsonElement value, string source, string where, int min, int max)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < min || number > max)
        {
            throw Invalid(source, where, $"expected a whole number from {min} to {max}");
        }

        return number;
    }

    private static double Double(JsonElement value, string source, string where)
    {
        if (value.ValueKind != JsonValueKind.Number || value.GetDouble() is var number && (number < 0 || double.IsInfinity(number)))
        {
            throw Invalid(source, where, "expected a number, 0 or more");
        }

        return number;
    }

    /// <summary>A number, or a string holding a decimal or 0x-prefixed hexadecimal number (JSON has no hex, addresses want it).</summary>
    private static ulong Unsigned(JsonElement value, string source, string where)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String && value.GetString() is { } text
            && (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? ulong.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out number)
                : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number)))
        {
            return number;
        }

        throw Invalid(source, where, "expected an unsigned number (or a string \"0x…\")");
    }

    private static OpaeException Invalid(string source, string where, string what) =>
        new(FpgaResult.InvalidParam, $"simulator configuration {source}: {where}: {what}");
}
