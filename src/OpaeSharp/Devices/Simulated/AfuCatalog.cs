using System.Diagnostics.CodeAnalysis;
using OpaeSharp.Devices.Simulated.Afus;
using OpaeSharp.Simulation;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// The AFU models a simulator can place in a port, by name and by AFU id: the built-in ones and
/// those a configuration registered (.NET types, C plugins). What a port's configuration names and
/// what reconfiguration (<see cref="SimulatedFme.LoadAfu"/>) looks up.
/// </summary>
internal sealed class AfuCatalog
{
    private readonly List<Entry> _entries = [];

    /// <summary>A catalog holding the built-in models only.</summary>
    internal static AfuCatalog BuiltIn()
    {
        var catalog = new AfuCatalog();
        catalog.Add(new Entry("nlb0", Nlb0Afu.Id, () => new Nlb0Afu(), "built-in: native loopback, lpbk1 (OPAE's hello_fpga, fpgadiag nlb0)"));
        catalog.Add(new Entry("nlb3", Nlb3Afu.Id, () => new Nlb3Afu(), "built-in: NLB read/write/trput bandwidth (fpgadiag nlb3)"));
        catalog.Add(new Entry("he-lpbk", HostExerciserAfu.LoopbackId, () => new HostExerciserAfu(HostExerciserAfu.LoopbackId, "he-lpbk"), "built-in: OFS host exerciser HE-LPBK (host_exerciser lpbk)"));
        catalog.Add(new Entry("he-mem", HostExerciserAfu.MemoryId, () => new HostExerciserAfu(HostExerciserAfu.MemoryId, "he-mem"), "built-in: OFS host exerciser HE-MEM (host_exerciser mem)"));
        catalog.Add(new Entry("dummy-afu", DummyAfu.Id, () => new DummyAfu(), "built-in: OFS dummy AFU (dummy_afu mmio|ddr|lpbk)"));
        catalog.Add(new Entry("hello-afu", HelloAfu.Id, () => new HelloAfu(), "built-in: OPAE's hello_afu sample (scratch register)"));
        return catalog;
    }

    internal IReadOnlyList<Entry> Entries => _entries;

    /// <summary>Adds <paramref name="entry"/>; a name already taken is replaced (a configuration may override a built-in).</summary>
    internal void Add(Entry entry)
    {
        _entries.RemoveAll(e => string.Equals(e.Name, entry.Name, StringComparison.OrdinalIgnoreCase));
        _entries.Add(entry);
    }

    internal bool TryFind(Guid afuId, [NotNullWhen(true)] out Entry? entry)
    {
        // The latest registration wins, so a user's model with a built-in's id replaces it.
        entry = _entries.LastOrDefault(e => e.AfuId == afuId);
        return entry is not null;
    }

    /// <summary>Finds a model by name (case-insensitive) or by AFU id.</summary>
    internal bool TryFind(string nameOrId, [NotNullWhen(true)] out Entry? entry)
    {
        entry = _entries.LastOrDefault(e => string.Equals(e.Name, nameOrId, StringComparison.OrdinalIgnoreCase));
        if (entry is not null)
        {
            return true;
        }

        return Guid.TryParse(nameOrId, out var id) && TryFind(id, out entry);
    }

    /// <summary>One model: its name, its AFU id, how to make an instance, and where it comes from.</summary>
    internal sealed record Entry(string Name, Guid AfuId, Func<AfuModel> Create, string Source);
}
