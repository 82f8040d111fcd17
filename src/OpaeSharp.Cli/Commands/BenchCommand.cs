using System.CommandLine;

namespace OpaeSharp.Cli.Commands;

/// <summary><c>opae bench</c>: a short run of the benchmark suite with ratios and a plot.</summary>
internal static class BenchCommand
{
    internal static Command Create(CliContext context, Option<string?> backendOption)
    {
        var command = new Command("bench", "Measure prepare/release, IO address lookups, NLB0 bandwidth and the pool against their floors");
        command.SetAction(_ =>
        {
            context.Error.WriteLine("opae: bench is not implemented yet");
            return ExitCodes.Failed;
        });
        _ = backendOption;
        return command;
    }
}
