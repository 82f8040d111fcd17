using System.CommandLine;
using System.Text.Json.Nodes;
using OpaeSharp.Cli.Output;
using OpaeSharp.Cli.Selection;
using OpaeSharp.Enumeration;

namespace OpaeSharp.Cli.Commands;

/// <summary><c>opae list</c>: the FPGA devices and accelerators a backend can see.</summary>
internal static class ListCommand
{
    // The built-in simulator models' ids are those of the AFUs they model, so they name hardware too.
    private static readonly Dictionary<Guid, string> s_knownAfus = Devices.Simulated.AfuCatalog.BuiltIn().Entries
        .GroupBy(e => e.AfuId)
        .ToDictionary(g => g.Key, g => g.First().Name);

    internal static Command Create(CliContext context, Option<string?> backendOption)
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array instead of a table" };
        var command = new Command("list", "List FPGA devices and accelerators: backend, GUID, PCI address, state") { json };
        var device = new DeviceOptions().AddTo(command);
        command.SetAction(parse => Run(context, CliApp.EffectiveBackend(parse, backendOption), device.Read(parse), parse.GetValue(json)));
        return command;
    }

    internal static int Run(CliContext context, BackendKind backend, DeviceSelection selection, bool json)
    {
        var tokens = Accelerator.Enumerate(context.Backends, selection.IsEmpty ? [] : [selection.ToFilter()], backend);
        if (tokens.Count == 0 && !selection.IsEmpty)
        {
            throw selection.NotFound("no FPGA object", context.Backends, backend);
        }

        var rows = tokens.Select(t => (Token: t, State: StateOf(t))).ToList();
        if (json)
        {
            var array = new JsonArray();
            foreach (var (token, state) in rows)
            {
                array.Add((JsonNode)new JsonObject
                {
                    ["type"] = token.ObjectType == FpgaObjectType.Device ? "device" : "accelerator",
                    ["name"] = token.Name,
                    ["backend"] = CliApp.Name(token.Backend),
                    ["simulated"] = token.IsSimulated,
                    ["guid"] = token.Guid.ToString(),
                    ["afu"] = s_knownAfus.GetValueOrDefault(token.Guid),
                    ["pciAddress"] = token.PciAddress,
                    ["vendorId"] = $"0x{token.VendorId:x4}",
                    ["deviceId"] = $"0x{token.DeviceId:x4}",
                    ["parent"] = token.Parent?.Name,
                    ["state"] = state,
                });
            }

            CliApp.WriteJson(context, array);
            return ExitCodes.Success;
        }

        if (rows.Count == 0)
        {
            context.WriteWrapped($"No FPGA objects found with backend {CliApp.Name(backend)}. Run 'opae info' to see which drivers are present.");
            return ExitCodes.Success;
        }

        var table = new CliTable("Type", "Name", "Backend", "GUID", "AFU", "PCI address", "Vendor:Device", "State");
        foreach (var (token, state) in rows)
        {
            table.AddRow(
                token.ObjectType == FpgaObjectType.Device ? "device" : "accelerator",
                token.Name,
                token.IsSimulated ? "sim (simulated)" : CliApp.Name(token.Backend),
                token.Guid.ToString(),
                s_knownAfus.GetValueOrDefault(token.Guid) ?? "-",
                token.PciAddress,
                $"{token.VendorId:x4}:{token.DeviceId:x4}",
                new CliCell(state, state switch { "available" => "green", "in use" => "yellow", _ => null }));
        }

        table.Write(context);
        return ExitCodes.Success;
    }

    /// <summary>
    /// An accelerator is "available" when it can be opened exclusively now, "in use" when another
    /// handle holds it (BUSY); a device object is always "present". Only where trying costs nothing
    /// (the simulator; a DFL port, whose open resets nothing) is that tried: vfio-pci resets a
    /// function it opens, so there the state is "present".
    /// </summary>
    private static string StateOf(AcceleratorToken token)
    {
        if (token.ObjectType == FpgaObjectType.Device || token.Backend == BackendKind.Vfio)
        {
            return "present";
        }

        try
        {
            Accelerator.Open(token, shared: false).Dispose();
            return "available";
        }
        catch (OpaeException e) when (e.Result == FpgaResult.Busy)
        {
            return "in use";
        }
        catch (OpaeException e)
        {
            return $"cannot open: {e.Result.Describe()}";
        }
    }
}
