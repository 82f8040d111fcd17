using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace OpaeSharp.Cli.Commands;

/// <summary><c>opae hello</c>: the NLB0 loopback of OPAE's hello_fpga sample.</summary>
internal static class HelloCommand
{
    internal static Command Create(CliContext context, Option<string?> backendOption)
    {
        var shared = new Option<bool>("--shared", "-s") { Description = "Open the accelerator shared (FPGA_OPEN_SHARED)" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the AFU", DefaultValueFactory = _ => 3.0 };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var command = new Command("hello", "Run the NLB0 native loopback like OPAE's hello_fpga sample") { shared, timeout, json };
        command.SetAction((parse, cancellationToken) =>
        {
            var asJson = parse.GetValue(json);
            var result = Nlb0Loopback.Run(
                context.Backends,
                CliApp.EffectiveBackend(parse, backendOption),
                parse.GetValue(shared),
                TimeSpan.FromSeconds(parse.GetValue(timeout)),
                line =>
                {
                    if (!asJson)
                    {
                        context.Console.MarkupLineInterpolated($"[grey]{line}[/]");
                    }
                },
                cancellationToken);
            if (asJson)
            {
                CliApp.WriteJson(context, new JsonObject
                {
                    ["passed"] = result.Matched,
                    ["firstMismatch"] = result.FirstMismatch,
                    ["steps"] = new JsonArray([.. result.Steps.Select(s => (JsonNode?)s)]),
                    ["faults"] = new JsonArray([.. result.Faults.Select(f => (JsonNode?)f.ToString())]),
                });
                return Task.FromResult(result.Matched ? ExitCodes.Success : ExitCodes.Failed);
            }

            foreach (var fault in result.Faults)
            {
                context.Console.MarkupLineInterpolated($"[red]{fault}[/]");
            }

            if (result.Matched)
            {
                context.Console.MarkupLine("[green]Done Running Test[/]: NLB0 loopback passed");
                return Task.FromResult(ExitCodes.Success);
            }

            context.Console.MarkupLine("[red]NLB0 loopback FAILED[/]");
            return Task.FromResult(ExitCodes.Failed);
        });
        return command;
    }
}
