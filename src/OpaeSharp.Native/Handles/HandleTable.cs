using System.Diagnostics.CodeAnalysis;
using OpaeSharp.Collections;

namespace OpaeSharp.Native.Handles;

/// <summary>
/// The objects behind one kind of opaque C value (<c>fpga_handle</c>, <c>fpga_token</c>,
/// <c>fpga_properties</c>). The value a C program holds is an id, never a pointer: a kind tag in
/// bits 63..48 and a counter below it. No user-space pointer has those top bits set, ids are never
/// reused, and a lookup is a table probe, so NULL, closed, stale and garbage values are all
/// simply "not found" — the library never reads memory through them.
/// </summary>
/// <typeparam name="T">The object type.</typeparam>
internal sealed class HandleTable<T>
    where T : class
{
    private readonly IdTable<T> _entries = new();
    private readonly long _tag;
    private long _next;

    /// <param name="tag">A 16-bit value identifying the kind; ids of different kinds never collide.</param>
    internal HandleTable(ushort tag) => _tag = (long)tag << 48;

    internal int Count => _entries.Count;

    /// <summary>Registers <paramref name="entry"/> and returns its new id.</summary>
    internal nint Add(T entry)
    {
        var id = (nint)(_tag | (Interlocked.Increment(ref _next) & 0xFFFF_FFFF_FFFF));
        _entries.Add((ulong)id, entry);
        return id;
    }

    internal bool TryGet(nint id, [MaybeNullWhen(false)] out T entry) => _entries.TryGet((ulong)id, out entry);

    /// <summary>Removes the id; only one of several racing callers gets the entry.</summary>
    internal bool TryRemove(nint id, [MaybeNullWhen(false)] out T entry) => _entries.TryRemove((ulong)id, out entry);
}
