namespace OpaeSharp.Cli;

/// <summary>The <c>opae</c> command.</summary>
internal static class Program
{
    private static int Main(string[] args) => CliApp.Run(args, CliContext.ForProcess(), configureLogging: true);
}
