using OpaeSharp.Cli;

namespace OpaeSharp.Tests.Cli;

/// <summary>Runs the <c>opae</c> command in-process with captured output, as a script would see it.</summary>
internal static class CliRunner
{
    internal static (int ExitCode, string Output, string Error) RunOn(string systemRoot, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CliApp.Run(args, new CliContext(output, error, interactive: false, systemRoot));
        return (code, output.ToString(), error.ToString());
    }

    internal static (int ExitCode, string Output, string Error) Run(params string[] args) => RunOn("/", args);
}

/// <summary>The command opens the process's default simulator, so these tests run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliCollection
{
    public const string Name = "cli";
}
