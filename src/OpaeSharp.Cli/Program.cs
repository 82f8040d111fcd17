using System.CommandLine;
using OpaeSharp.Cli.Commands;
using OpaeSharp.Devices;

namespace OpaeSharp.Cli;

/// <summary>The <c>opae</c> command.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var backend = new Option<string?>("--backend", "-b")
        {
            Description = "auto, sim, dfl or vfio (default: OPAESHARP_BACKEND, else auto)",
            Recursive = true,
        };
        var root = new RootCommand("OpaeSharp: share host memory with FPGA accelerators")
        {
            backend,
            HelloCommand.Create(backend),
        };

        try
        {
            return root.Parse(args).Invoke();
        }
        catch (OpaeException e)
        {
            Console.Error.WriteLine($"opae: {e.Result.Describe()}: {e.Message}");
            return 2;
        }
    }

    internal static BackendKind? ParseBackend(string? value) =>
        value is null ? null : Backends.Parse(value) ?? throw new OpaeException(FpgaResult.InvalidParam, $"unknown backend '{value}' (auto, sim, dfl, vfio)");
}
