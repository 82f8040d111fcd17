using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace OpaeSharp.Dma;

/// <summary>
/// One handle's live buffers by workspace id. Lookups take no lock (the IO address query is the hot
/// path); adds and removes are atomic, so a buffer released on two threads at once is released once.
/// </summary>
/// <remarks>
/// Each entry's IO address is kept beside it in the dictionary node, so <see cref="TryGetIoAddress"/>
/// reads the node only and not the entry object too: one dependent cache miss fewer per lookup
/// once the table outgrows the caches (measured: bench/RESULTS.md).
/// </remarks>
/// <typeparam name="T">The entry type.</typeparam>
internal sealed class WorkspaceTable<T>
    where T : class
{
    private readonly ConcurrentDictionary<ulong, Slot> _entries = new();

    internal int Count => _entries.Count;

    internal void Add(ulong wsid, T entry, ulong ioAddress = 0)
    {
        if (!_entries.TryAdd(wsid, new Slot(entry, ioAddress)))
        {
            throw new InvalidOperationException($"workspace id {wsid} issued twice");
        }
    }

    internal bool TryGet(ulong wsid, [MaybeNullWhen(false)] out T entry)
    {
        var found = _entries.TryGetValue(wsid, out var slot);
        entry = slot.Entry;
        return found;
    }

    /// <summary>The IO address stored with the entry by <see cref="Add"/>.</summary>
    internal bool TryGetIoAddress(ulong wsid, out ulong ioAddress)
    {
        var found = _entries.TryGetValue(wsid, out var slot);
        ioAddress = slot.IoAddress;
        return found;
    }

    internal bool TryRemove(ulong wsid, [MaybeNullWhen(false)] out T entry)
    {
        var found = _entries.TryRemove(wsid, out var slot);
        entry = slot.Entry;
        return found;
    }

    /// <summary>A snapshot of the live entries (for close and diagnostics).</summary>
    internal List<T> Snapshot() => [.. _entries.Values.Select(s => s.Entry)];

    // Never updated in place once added: the dictionary replaces nodes, so a reader never sees half a slot.
    private readonly record struct Slot(T Entry, ulong IoAddress);
}
