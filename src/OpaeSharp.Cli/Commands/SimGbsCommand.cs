using System.CommandLine;
using OpaeSharp.Devices;
using OpaeSharp.Devices.Simulated;
using OpaeSharp.Devices.Simulated.Afus;

namespace OpaeSharp.Cli.Commands;

/// <summary><c>opae sim gbs</c>: writes a partial bitstream (OPAE's GBS file) that the simulated FPGA device accepts, for <c>fpgaconf</c>.</summary>
internal static class SimGbsCommand
{
    internal static Command Create(CliContext context)
    {
        var afu = new Option<string>("--afu") { Description = "The AFU id the image carries (default: NLB0, the simulator's model)", DefaultValueFactory = _ => Nlb0Afu.Id.ToString() };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the .gbs file", Required = true };
        var interfaceId = new Option<string?>("--interface") { Description = "The FPGA interface id it is built for (default: the simulated device's)" };
        var name = new Option<string>("--name") { Description = "The AFU's name in the metadata", DefaultValueFactory = _ => "nlb0" };
        var gbs = new Command("gbs", "Write a GBS file for the simulated FPGA device (for fpgaconf or Accelerator.Reconfigure)") { afu, output, interfaceId, name };
        gbs.SetAction(parse =>
        {
            if (!Guid.TryParse(parse.GetValue(afu), out var afuId))
            {
                throw new UsageException($"--afu '{parse.GetValue(afu)}' is not a GUID");
            }

            var ifc = SimulatedBackend.InterfaceId;
            if (parse.GetValue(interfaceId) is { } text && !Guid.TryParse(text, out ifc))
            {
                throw new UsageException($"--interface '{text}' is not a GUID");
            }

            var path = parse.GetValue(output)!;
            try
            {
                File.WriteAllBytes(path, GreenBitstream.Create(ifc, afuId, parse.GetValue(name) ?? "afu", new byte[64]));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot write {path}: {e.Message}");
            }

            context.Output.WriteLine($"{path}: GBS for interface {ifc} with AFU {afuId}");
            return ExitCodes.Success;
        });
        return gbs;
    }
}
