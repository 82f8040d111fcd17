using OpaeSharp.Cli;
using OpaeSharp.Devices;

namespace OpaeSharp.Tests.Cli;

/// <summary>Runs the <c>opae</c> command in-process with captured output, as a script would see it.</summary>
internal static class CliRunner
{
    /// <summary>Runs on the machine <paramref name="system"/> describes (its fake kernel and a simulator of its own).</summary>
    internal static (int ExitCode, string Output, string Error) RunOn(FakeSystem system, params string[] args) => RunOn(system.Backends, args);

    internal static (int ExitCode, string Output, string Error) RunOn(BackendRegistry backends, params string[] args) => RunAt(null, backends, args);

    /// <summary>Runs as on a terminal <paramref name="width"/> columns wide (null: redirected output, no width limit to speak of).</summary>
    internal static (int ExitCode, string Output, string Error) RunAt(int? width, BackendRegistry backends, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error, interactive: false, backends);
        if (width is { } columns)
        {
            context.Console.Profile.Width = columns;
        }

        var code = CliApp.Run(args, context);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Runs on this machine with the process's own backends.</summary>
    internal static (int ExitCode, string Output, string Error) Run(params string[] args) => RunOn(BackendRegistry.System, args);
}

/// <summary>The command opens the process's default simulator, so these tests run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliCollection
{
    public const string Name = "cli";
}
