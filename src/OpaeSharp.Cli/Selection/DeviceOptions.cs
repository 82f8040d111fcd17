using System.CommandLine;
using System.CommandLine.Parsing;

namespace OpaeSharp.Cli.Selection;

/// <summary>
/// The options that pick a device, as OPAE's tools spell them (fpgainfo, hello_fpga:
/// <c>-S/--segment</c>, <c>-B/--bus</c>, <c>-D/--device</c>, <c>-F/--function</c>, a PCI address
/// argument) and as xbutil does (<c>--device 0000:3b:00.0</c>), plus <c>--guid</c> for the AFU id.
/// </summary>
/// <remarks>
/// <c>-D</c> is OPAE's PCI device number and <c>--device</c> xbutil's whole address: the option
/// takes either, and an address sets every field it names.
/// </remarks>
internal sealed class DeviceOptions
{
    private const string NumberForms = "hex 0x…, decimal, or octal 0…, as fpgainfo reads it";

    internal DeviceOptions()
    {
        Segment = Number("--segment", "-S", "PCI segment (domain) to match", PciSelector.MaxSegment, v => new PciSelector((ushort)v, null, null, null));
        Bus = Number("--bus", "-B", "PCI bus to match, e.g. 0x3b", PciSelector.MaxBus, v => new PciSelector(null, (byte)v, null, null));
        Function = Number("--function", "-F", "PCI function to match", PciSelector.MaxFunction, v => new PciSelector(null, null, null, (byte)v));
        Device = new Option<PciSelector?>("--device", "-D", "-d")
        {
            Description = "PCI device number to match (OPAE's -D), or a whole PCI address 0000:3b:00.0 / 3b:00.0 (xbutil's --device)",
            HelpName = "number|address",
            CustomParser = result =>
            {
                var text = result.Tokens[0].Value;
                if (text.Contains(':', StringComparison.Ordinal))
                {
                    if (PciSelector.TryParseAddress(text, out var address))
                    {
                        return address;
                    }

                    result.AddError($"--device '{text}' is not a PCI address: use ssss:bb:dd.f or bb:dd.f in hex, e.g. 0000:3b:00.0");
                    return null;
                }

                if (PciSelector.TryParseNumber(text, PciSelector.MaxDevice, out var device))
                {
                    return new PciSelector(null, null, (byte)device, null);
                }

                result.AddError($"--device '{text}' is neither a PCI device number from 0 to 0x{PciSelector.MaxDevice:x} ({NumberForms}) nor a PCI address such as 0000:3b:00.0");
                return null;
            },
        };
        Guid = new Option<Guid?>("--guid")
        {
            Description = "AFU id to match (for an FPGA device: its interface id)",
            HelpName = "guid",
            CustomParser = result =>
            {
                var text = result.Tokens[0].Value;
                if (System.Guid.TryParse(text, out var guid))
                {
                    return guid;
                }

                result.AddError($"--guid '{text}' is not a GUID: use the form d8424dc4-a4a3-c413-f89e-433683f9040b");
                return null;
            },
        };
        Address = new Argument<PciSelector?>("pci-address")
        {
            Description = "PCI address to match: 0000:3b:00.0 or 3b:00.0",
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0)
                {
                    return null;
                }

                var text = result.Tokens[0].Value;
                if (PciSelector.TryParseAddress(text, out var address))
                {
                    return address;
                }

                result.AddError($"'{text}' is not a PCI address: use ssss:bb:dd.f or bb:dd.f in hex, e.g. 0000:3b:00.0");
                return null;
            },
        };
    }

    internal Option<PciSelector?> Segment { get; }

    internal Option<PciSelector?> Bus { get; }

    internal Option<PciSelector?> Device { get; }

    internal Option<PciSelector?> Function { get; }

    internal Option<Guid?> Guid { get; }

    internal Argument<PciSelector?> Address { get; }

    /// <summary>Adds the options, and the address argument, to each of <paramref name="commands"/>.</summary>
    internal DeviceOptions AddTo(params ReadOnlySpan<Command> commands)
    {
        foreach (var command in commands)
        {
            command.Options.Add(Segment);
            command.Options.Add(Bus);
            command.Options.Add(Device);
            command.Options.Add(Function);
            command.Options.Add(Guid);
            command.Arguments.Add(Address);
        }

        return this;
    }

    /// <summary>What the command line selects.</summary>
    /// <exception cref="UsageException">Two options name different values for one field ("3b:00.0 --bus 0x5e").</exception>
    internal DeviceSelection Read(ParseResult parse)
    {
        var pci = new PciSelector(null, null, null, null);
        var given = new List<string>();
        foreach (var (symbol, value) in new (Symbol Symbol, PciSelector? Value)[]
        {
            (Address, parse.GetValue(Address)),
            (Segment, parse.GetValue(Segment)),
            (Bus, parse.GetValue(Bus)),
            (Device, parse.GetValue(Device)),
            (Function, parse.GetValue(Function)),
        })
        {
            if (value is not { } selector)
            {
                continue;
            }

            var text = parse.GetResult(symbol)?.Tokens is [var first, ..] ? first.Value : selector.ToString();
            var name = symbol is Argument ? $"'{text}'" : $"{symbol.Name} {text}";
            var merged = pci.Merge(selector, out var conflict);
            if (merged is null)
            {
                throw new UsageException($"{string.Join(", ", given)} and {name} disagree on the PCI {conflict}");
            }

            given.Add(name);
            pci = merged.Value;
        }

        return new DeviceSelection(pci, parse.GetValue(Guid));
    }

    private static Option<PciSelector?> Number(string name, string alias, string description, int max, Func<int, PciSelector> select) => new(name, alias)
    {
        Description = description,
        HelpName = "number",
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (PciSelector.TryParseNumber(text, max, out var value))
            {
                return select(value);
            }

            result.AddError($"{name} '{text}' is not a PCI {name[2..]} number: use 0 to 0x{max:x} ({NumberForms})");
            return null;
        },
    };
}
