using OpaeSharp.Devices.Kernel;
using OpaeSharp.Devices.Simulated;

namespace OpaeSharp.Devices;

/// <summary>Picks the backends a program talks to, from an explicit choice or <c>OPAESHARP_BACKEND</c>.</summary>
internal static class Backends
{
    internal const string EnvironmentVariable = "OPAESHARP_BACKEND";

    /// <summary>Hardware backend probes, tried in order by <see cref="BackendKind.Auto"/>; each returns null when its driver is absent.</summary>
    private static readonly Func<IBackend?>[] s_hardware = [HardwareBackends.ProbeDfl, HardwareBackends.ProbeLegacyDfl, HardwareBackends.ProbeVfio];

    /// <summary>The kind named by the environment, or <see cref="BackendKind.Auto"/>.</summary>
    internal static BackendKind FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return Parse(value) ?? throw new OpaeException(
            FpgaResult.InvalidParam,
            $"{EnvironmentVariable}={value} is not one of auto, sim, dfl, vfio");
    }

    internal static BackendKind? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => BackendKind.Auto,
        "sim" or "simulated" or "simulator" => BackendKind.Simulated,
        "dfl" => BackendKind.Dfl,
        "vfio" => BackendKind.Vfio,
        _ => null,
    };

    /// <summary>The backends to enumerate for <paramref name="kind"/>.</summary>
    internal static IReadOnlyList<IBackend> Resolve(BackendKind kind)
    {
        if (kind == BackendKind.Simulated)
        {
            return [SimulatedBackend.Default];
        }

        var found = new List<IBackend>();
        foreach (var probe in s_hardware)
        {
            if (probe() is { } backend && (kind == BackendKind.Auto || backend.Kind == kind))
            {
                found.Add(backend);
            }
        }

        if (kind == BackendKind.Auto && found.Count == 0)
        {
            found.Add(SimulatedBackend.Default);
        }

        return found;
    }
}
