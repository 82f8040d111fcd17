using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace OpaeSharp.Dma;

/// <summary>
/// One handle's live buffers by workspace id. Lookups take no lock (the IO address query is the hot
/// path); adds and removes are atomic, so a buffer released on two threads at once is released once.
/// </summary>
/// <typeparam name="T">The entry type.</typeparam>
internal sealed class WorkspaceTable<T>
    where T : class
{
    private readonly ConcurrentDictionary<ulong, T> _entries = new();

    internal int Count => _entries.Count;

    internal void Add(ulong wsid, T entry)
    {
        if (!_entries.TryAdd(wsid, entry))
        {
            throw new InvalidOperationException($"workspace id {wsid} issued twice");
        }
    }

    internal bool TryGet(ulong wsid, [MaybeNullWhen(false)] out T entry) => _entries.TryGetValue(wsid, out entry);

    internal bool TryRemove(ulong wsid, [MaybeNullWhen(false)] out T entry) => _entries.TryRemove(wsid, out entry);

    /// <summary>A snapshot of the live entries (for close and diagnostics).</summary>
    internal List<T> Snapshot() => [.. _entries.Values];
}
