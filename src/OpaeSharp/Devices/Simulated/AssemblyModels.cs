using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using OpaeSharp.Simulation;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// .NET AFU models named by a JSON configuration: an assembly path and a type deriving from
/// <see cref="AfuModel"/> with a public parameterless constructor. Only a .NET process can load
/// them; the C library is NativeAOT and cannot load assemblies (its users write C plugins).
/// </summary>
internal static class AssemblyModels
{
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Loading a user's assembly by path is the point; refused where dynamic code is unsupported (NativeAOT).")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "The type comes from an assembly loaded at run time, which trimming never saw.")]
    [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = "As above.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "As above.")]
    internal static AfuCatalog.Entry Register(string name, string path, string typeName)
    {
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            throw new OpaeException(
                FpgaResult.NotSupported,
                $"model {name}: .NET assembly {path} cannot be loaded by the C library (it is NativeAOT); model the AFU as a C plugin (opae/sim-afu.h) or run a .NET program");
        }

        Type? type;
        try
        {
            type = Assembly.LoadFrom(path).GetType(typeName, throwOnError: false);
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or FileLoadException)
        {
            throw new OpaeException(FpgaResult.NotFound, $"model {name}: assembly {path} could not be loaded: {e.Message}", e);
        }

        if (type is null || !typeof(AfuModel).IsAssignableFrom(type) || type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new OpaeException(FpgaResult.NotFound, $"model {name}: {path} has no public non-abstract type {typeName} deriving from AfuModel with a public parameterless constructor");
        }

        AfuModel Create() => (AfuModel)Activator.CreateInstance(type)!;
        var probe = Create();
        return new AfuCatalog.Entry(name, probe.AfuId, Create, $".NET model {typeName} from {path}");
    }
}
