using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OpaeSharp.Cli.Commands;
using OpaeSharp.Cli.Logging;
using OpaeSharp.Devices;
using OpaeSharp.Diagnostics;

namespace OpaeSharp.Cli;

/// <summary>The <c>opae</c> command tree, runnable in-process against any <see cref="CliContext"/>.</summary>
internal static class CliApp
{
    // Relaxed escaping: the output is read by people and JSON parsers, never embedded in HTML, and "≤" or "'" read better unescaped.
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code (<see cref="ExitCodes"/>).</summary>
    /// <param name="args">The command line.</param>
    /// <param name="context">Where to write and what to inspect.</param>
    /// <param name="configureLogging">Route the library's log to stderr (process-wide; the real process only).</param>
    internal static int Run(string[] args, CliContext context, bool configureLogging = false)
    {
        var backend = new Option<string?>("--backend", "-b")
        {
            Description = "auto, sim, hw, dfl or vfio (default: OPAESHARP_BACKEND, else auto)",
            Recursive = true,
        };
        backend.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (value is not null && BackendRegistry.Parse(value) is null)
            {
                result.AddError($"unknown backend '{value}': use auto, sim, hw, dfl or vfio");
            }
        });
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log the library's debug messages to stderr", Recursive = true };
        var root = new RootCommand("opae: share host memory with FPGA accelerators (OpaeSharp)")
        {
            backend,
            verbose,
            ListCommand.Create(context, backend),
            InfoCommand.Create(context, backend),
            HelloCommand.Create(context, backend),
            BenchCommand.Create(context, backend),
            SimCommand.Create(context),
        };

        var parse = root.Parse(args);
        var json = WantsJson(parse, args);
        if (parse.Errors.Count > 0)
        {
            return Fail(context, json, ExitCodes.Usage, null, [.. parse.Errors.Select(e => e.Message)]);
        }

        if (configureLogging)
        {
            OpaeLogging.UseLogger(new StderrLoggerProvider(context.Error, parse.GetValue(verbose) ? LogLevel.Debug : LogLevel.Warning).CreateLogger("OpaeSharp"));
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = context.Output, Error = context.Error, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            return Fail(context, json, ExitCodes.Usage, null, [e.Message]);
        }
        catch (OpaeException e)
        {
            return Fail(context, json, ExitCodes.For(e.Result), e.Result, [e.Message]);
        }
    }

    /// <summary>
    /// The JSON object a failure prints with <c>--json</c>: <c>{"error": {"code", "result", "message"}, "exitCode"}</c>,
    /// where code is the exit code and result OPAE's name for the library's refusal (null for usage errors and failed checks).
    /// </summary>
    internal static JsonObject Error(int exitCode, FpgaResult? result, string message) => new()
    {
        ["error"] = new JsonObject
        {
            ["code"] = exitCode,
            ["result"] = result is { } r ? ExitCodes.Name(r) : null,
            ["message"] = message,
        },
        ["exitCode"] = exitCode,
    };

    /// <summary>
    /// Reports a failure: <c>opae: …</c> lines on stderr (OPAE's result text first when the library
    /// refused), and with <c>--json</c> also <see cref="Error"/> on stdout, so a script reading
    /// stdout always gets JSON.
    /// </summary>
    private static int Fail(CliContext context, bool json, int exitCode, FpgaResult? result, IReadOnlyList<string> messages)
    {
        foreach (var message in messages)
        {
            context.Error.WriteLine(result is { } r ? $"opae: {r.Describe()}: {message}" : $"opae: {message}");
        }

        if (exitCode == ExitCodes.Usage)
        {
            context.Error.WriteLine("Run 'opae --help' for usage.");
        }

        if (json)
        {
            WriteJson(context, Error(exitCode, result, string.Join("; ", messages)));
        }

        return exitCode;
    }

    /// <summary>
    /// Whether the command asked for JSON: its <c>--json</c> option when the line parsed, else
    /// whether <c>--json</c> is on the line at all (a line with errors may not say which command it meant).
    /// </summary>
    private static bool WantsJson(ParseResult parse, string[] args)
    {
        if (parse.Errors.Count == 0)
        {
            return parse.CommandResult.Command.Options.OfType<Option<bool>>().FirstOrDefault(o => o.Name == "--json") is { } option && parse.GetValue(option);
        }

        return args.Contains("--json", StringComparer.Ordinal);
    }

    /// <summary>The backend the command line asks for; null means the environment's choice.</summary>
    internal static BackendKind? Backend(ParseResult parse, Option<string?> option) =>
        parse.GetValue(option) is { } value ? BackendRegistry.Parse(value) : null;

    /// <summary>The backend in effect: the option, else OPAESHARP_BACKEND, else auto.</summary>
    internal static BackendKind EffectiveBackend(ParseResult parse, Option<string?> option) =>
        Backend(parse, option) ?? BackendRegistry.FromEnvironment();

    /// <summary>Writes <paramref name="node"/> as indented JSON on standard output.</summary>
    internal static void WriteJson(CliContext context, JsonNode node)
    {
        context.Output.WriteLine(node.ToJsonString(s_json));
        context.Output.Flush();
    }

    /// <summary>"sim", "hw", "dfl", "vfio", "auto": how the command line spells a backend.</summary>
    internal static string Name(BackendKind kind) => BackendRegistry.Name(kind);

    /// <summary>"4 KiB", "2 MiB", "1.5 GiB".</summary>
    internal static string Bytes(double bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (1L << 30):0.##} GiB",
        >= 1L << 20 => $"{bytes / (1L << 20):0.##} MiB",
        >= 1L << 10 => $"{bytes / (1L << 10):0.##} KiB",
        _ => $"{bytes:0} B",
    };
}
