using Spectre.Console;

namespace OpaeSharp.Cli;

/// <summary>
/// Where a command writes and what machine it looks at. The process gets the real console and
/// the real root; tests get string writers and a fake sysfs tree.
/// </summary>
internal sealed class CliContext
{
    /// <summary>Width used when output is not a terminal: wide enough that no line is wrapped mid-way.</summary>
    internal const int RedirectedWidth = 1024;

    internal CliContext(TextWriter output, TextWriter error, bool interactive, string systemRoot = "/")
    {
        Output = output;
        Error = error;
        SystemRoot = systemRoot;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!interactive)
        {
            // Spectre falls back to 80 columns without a terminal and would wrap tables and long lines.
            Console.Profile.Width = RedirectedWidth;
        }
    }

    /// <summary>Tables, progress and human-readable text.</summary>
    internal IAnsiConsole Console { get; }

    /// <summary>Raw standard output, for JSON.</summary>
    internal TextWriter Output { get; }

    /// <summary>Standard error: errors and logs.</summary>
    internal TextWriter Error { get; }

    /// <summary>Root of the file system that <c>info</c> inspects (/ except in tests).</summary>
    internal string SystemRoot { get; }

    /// <summary>The context of the running process.</summary>
    internal static CliContext ForProcess() =>
        new(System.Console.Out, System.Console.Error, interactive: !System.Console.IsOutputRedirected);
}
