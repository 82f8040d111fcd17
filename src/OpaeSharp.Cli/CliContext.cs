using OpaeSharp.Cli.Output;
using OpaeSharp.Devices;
using Spectre.Console;

namespace OpaeSharp.Cli;

/// <summary>
/// Where a command writes and what machine it looks at. The process gets the real console and
/// the machine's backends; tests get string writers and backends over a fake kernel.
/// </summary>
internal sealed class CliContext
{
    /// <summary>Width used when output is not a terminal: wide enough that no line is wrapped mid-way.</summary>
    internal const int RedirectedWidth = 1024;

    internal CliContext(TextWriter output, TextWriter error, bool interactive, BackendRegistry? backends = null)
    {
        Output = output;
        Error = error;
        Backends = backends ?? BackendRegistry.System;
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

    /// <summary>The backends commands enumerate, open and inspect.</summary>
    internal BackendRegistry Backends { get; }

    /// <summary>Writes <paramref name="line"/> as it is: no markup, and no wrapping that could split it.</summary>
    internal void WriteLine(string line) => Output.WriteLine(line);

    /// <summary>
    /// Writes prose wrapped to the console's width at spaces, never inside a word, a GUID or a
    /// command (<see cref="TextWrap"/>); the first line indented by <paramref name="indent"/>, the
    /// others by <paramref name="hangingIndent"/>.
    /// </summary>
    internal void WriteWrapped(string text, int indent = 0, int hangingIndent = 0)
    {
        var lines = TextWrap.Wrap(text, Console.Profile.Width, indent, hangingIndent);
        lines[0] = new string(' ', indent) + lines[0];
        foreach (var line in lines)
        {
            WriteLine(line);
        }
    }

    /// <summary>The context of the running process.</summary>
    internal static CliContext ForProcess() =>
        new(System.Console.Out, System.Console.Error, interactive: !System.Console.IsOutputRedirected);
}
