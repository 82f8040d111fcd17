using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace OpaeSharp.Cli.Bench;

/// <summary>
/// What a bench result needs beside its numbers to be compared with another: which build
/// (version, commit), where (host, runtime, CPUs), when, and whether it was the quick run.
/// </summary>
internal sealed record BenchMetadata(string Version, string? Commit, string Host, DateTimeOffset Date, bool Quick, int MaxLiveBuffers, string Runtime, string Os, string Architecture, int CpuCount)
{
    /// <summary>This process, on this machine, now.</summary>
    internal static BenchMetadata Current(bool quick, int maxLiveBuffers, TimeProvider time)
    {
        var (version, commit) = BuildVersion();
        return new BenchMetadata(
            version,
            commit,
            Environment.MachineName,
            time.GetUtcNow(),
            quick,
            maxLiveBuffers,
            RuntimeInformation.FrameworkDescription,
            RuntimeInformation.OSDescription,
            RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
            Environment.ProcessorCount);
    }

    /// <summary>
    /// OpaeSharp's version and the commit the build came from, split out of the informational
    /// version "0.1.0+316690b…" that <c>opae --version</c> prints; no commit when the build had no git.
    /// </summary>
    internal static (string Version, string? Commit) BuildVersion()
    {
        var informational = typeof(BenchMetadata).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? (informational, null) : (informational[..plus], informational[(plus + 1)..]);
    }

    internal string Mode => Quick ? "quick" : "full";

    internal JsonObject ToJson() => new()
    {
        ["opaeSharpVersion"] = Version,
        ["commit"] = Commit,
        ["host"] = Host,
        ["date"] = Date.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        ["mode"] = Mode,
        ["maxLiveBuffers"] = MaxLiveBuffers,
        ["runtime"] = Runtime,
        ["os"] = Os,
        ["architecture"] = Architecture,
        ["cpuCount"] = CpuCount,
    };
}
