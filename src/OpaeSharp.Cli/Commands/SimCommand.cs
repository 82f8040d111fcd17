using System.CommandLine;
using OpaeSharp.Cli.Selection;

namespace OpaeSharp.Cli.Commands;

/// <summary>
/// <c>opae sim</c>: the embedded simulator's tools. Alone (or <c>show</c>) it shows the simulator
/// (<see cref="SimShowCommand"/>); <c>gbs</c> writes a bitstream it accepts (<see cref="SimGbsCommand"/>).
/// </summary>
internal static class SimCommand
{
    internal static Command Create(CliContext context)
    {
        var (config, json) = SimShowCommand.Options();
        var device = new DeviceOptions();
        var command = new Command("sim", "The embedded simulator: its cards, AFU models, links and injected faults (OPAESHARP_SIM_CONFIG); GBS files it accepts")
        {
            config,
            json,
            SimShowCommand.Create(context, config, json, device),
            SimGbsCommand.Create(context),
        };
        device.AddTo(command);
        command.SetAction(parse => SimShowCommand.Run(context, parse.GetValue(config), device.Read(parse), parse.GetValue(json)));
        return command;
    }
}
