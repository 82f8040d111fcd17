using System.CommandLine;
using System.Text.Json.Nodes;
using OpaeSharp.Cli.Selection;
using Spectre.Console;

namespace OpaeSharp.Cli.Commands;

/// <summary><c>opae hello</c>: the NLB0 loopback of OPAE's hello_fpga sample.</summary>
internal static class HelloCommand
{
    /// <summary>A day: longer waits are typing mistakes, and TimeSpan overflows not far beyond.</summary>
    internal const double MaxTimeoutSeconds = 86_400;

    internal static Command Create(CliContext context, Option<string?> backendOption)
    {
        var shared = new Option<bool>("--shared", "-s") { Description = "Open the accelerator shared (FPGA_OPEN_SHARED)" };
        var timeout = RangeOptions.Seconds("--timeout", "Seconds to wait for the AFU", 3.0, MaxTimeoutSeconds);
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var command = new Command("hello", "Run the NLB0 native loopback like OPAE's hello_fpga sample") { shared, timeout, json };
        var device = new DeviceOptions().AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var asJson = parse.GetValue(json);
            using var accelerator = Open(context, device.Read(parse), parse.GetValue(shared), CliApp.EffectiveBackend(parse, backendOption));
            var result = Nlb0Loopback.Run(
                accelerator,
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
                var report = result.Matched ? new JsonObject { ["exitCode"] = ExitCodes.Success } : CliApp.Error(ExitCodes.Failed, null, $"NLB0 loopback failed: {result.Failure}");
                report["passed"] = result.Matched;
                report["firstMismatch"] = result.FirstMismatch;
                report["steps"] = new JsonArray([.. result.Steps.Select(s => (JsonNode?)s)]);
                report["faults"] = new JsonArray([.. result.Faults.Select(f => (JsonNode?)f.ToString())]);
                CliApp.WriteJson(context, report);
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

            context.Console.MarkupLineInterpolated($"[red]NLB0 loopback FAILED[/]: {result.Failure}");
            return Task.FromResult(ExitCodes.Failed);
        });
        return command;
    }

    /// <summary>The NLB0 (or the AFU <c>--guid</c> names) the selection picks; NOT_FOUND names the selection and what there is.</summary>
    private static Accelerator Open(CliContext context, DeviceSelection selection, bool shared, BackendKind backend)
    {
        try
        {
            return Accelerator.Open(context.Backends, selection.ToFilter(FpgaObjectType.Accelerator, Nlb0Loopback.AfuId), shared, backend);
        }
        catch (OpaeException e) when (e.Result == FpgaResult.NotFound && !selection.IsEmpty)
        {
            throw selection.NotFound(selection.Guid is null ? $"no NLB0 accelerator (AFU id {Nlb0Loopback.AfuId})" : "no accelerator", context.Backends, backend);
        }
    }
}
