using System.CommandLine;
using Spectre.Console;

namespace OpaeSharp.Cli.Commands;

/// <summary><c>opae hello</c>: the NLB0 loopback of OPAE's hello_fpga sample.</summary>
internal static class HelloCommand
{
    internal static Command Create(Option<string?> backendOption)
    {
        var shared = new Option<bool>("--shared", "-s") { Description = "Open the accelerator shared (FPGA_OPEN_SHARED)" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the AFU", DefaultValueFactory = _ => 3.0 };
        var command = new Command("hello", "Run the NLB0 native loopback like OPAE's hello_fpga sample") { shared, timeout };
        command.SetAction(parse =>
        {
            var backend = Program.ParseBackend(parse.GetValue(backendOption));
            var result = Nlb0Loopback.Run(backend, parse.GetValue(shared), TimeSpan.FromSeconds(parse.GetValue(timeout)), line => AnsiConsole.MarkupLineInterpolated($"[grey]{line}[/]"));
            foreach (var fault in result.Faults)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{fault}[/]");
            }

            if (result.Matched)
            {
                AnsiConsole.MarkupLine("[green]Done Running Test[/]: NLB0 loopback passed");
                return 0;
            }

            AnsiConsole.MarkupLine("[red]NLB0 loopback FAILED[/]");
            return 1;
        });
        return command;
    }
}
