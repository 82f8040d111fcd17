using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace OpaeSharp.Dma;

/// <summary>
/// One handle's live buffers by workspace id. Lookups take no lock (the IO address query is the hot
/// path); adds and removes take the table's lock, so a buffer released on two threads at once is
/// released once.
/// </summary>
/// <remarks>
/// <para>
/// An open-addressing table whose slots hold the id and the IO address side by side: once the
/// table outgrows the caches, <see cref="TryGetIoAddress"/> costs one cache miss (the slot), where a
/// chained dictionary costs two (the bucket, then the node). Measured in bench/RESULTS.md.
/// </para>
/// <para>
/// Why readers need no lock: a slot is written once per <see cref="Table"/> (address and entry
/// first, then the id with release semantics), a removal only turns its id into a tombstone, and
/// tombstones are never refilled in place: space comes back when the writer rebuilds the table into
/// a new <see cref="Table"/> and publishes it. A reader therefore sees either the slot as added or
/// the tombstone, never an id paired with another buffer's address. Ids are never reused
/// (<see cref="WorkspaceIds"/>), so an id read once cannot come back naming something else.
/// </para>
/// </remarks>
/// <typeparam name="T">The entry type.</typeparam>
internal sealed class WorkspaceTable<T>
    where T : class
{
    private const ulong Empty = 0;                    // WorkspaceIds never issues 0
    private const ulong Tombstone = ulong.MaxValue;   // nor this: 2^64 - 1 increments
    private const int MinimumCapacity = 16;

    private readonly Lock _writer = new();
    private volatile Table _table = new(MinimumCapacity);
    private int _live;
    private int _used;                                // live + tombstones in _table

    internal int Count => Volatile.Read(ref _live);

    internal void Add(ulong wsid, T entry, ulong ioAddress = 0)
    {
        ArgumentOutOfRangeException.ThrowIfEqual(wsid, Empty);
        ArgumentOutOfRangeException.ThrowIfEqual(wsid, Tombstone);
        lock (_writer)
        {
            if (_table.Find(wsid) >= 0)
            {
                throw new InvalidOperationException($"workspace id {wsid} issued twice");
            }

            // At most half full, tombstones included, so a probe meets an empty slot soon.
            if (2 * (_used + 1) > _table.Capacity)
            {
                Rebuild(CapacityFor(_live + 1));
            }

            _table.Insert(wsid, entry, ioAddress);
            _live++;
            _used++;
        }
    }

    internal bool TryGet(ulong wsid, [MaybeNullWhen(false)] out T entry)
    {
        var table = _table;
        var index = table.Find(wsid);

        // The entry is cleared after the id becomes a tombstone; a remove racing this read shows as "gone".
        entry = index >= 0 ? Volatile.Read(ref table.Entries[index]) : null;
        return entry is not null;
    }

    /// <summary>The IO address stored with the entry by <see cref="Add"/>.</summary>
    internal bool TryGetIoAddress(ulong wsid, out ulong ioAddress)
    {
        var table = _table;
        var index = table.Find(wsid);
        if (index < 0)
        {
            ioAddress = 0;
            return false;
        }

        ioAddress = table.Slots[index].IoAddress;
        return true;
    }

    internal bool TryRemove(ulong wsid, [MaybeNullWhen(false)] out T entry)
    {
        lock (_writer)
        {
            var table = _table;
            var index = table.Find(wsid);
            if (index < 0)
            {
                entry = null;
                return false;
            }

            entry = table.Entries[index]!;
            Volatile.Write(ref table.Slots[index].Key, Tombstone);
            Volatile.Write(ref table.Entries[index], null);
            _live--;

            // Shrink a table that emptied out; the gap to the growth threshold keeps a table that
            // hovers around one size from rebuilding on every call.
            if (table.Capacity > MinimumCapacity && 8 * _live < table.Capacity)
            {
                Rebuild(CapacityFor(_live));
            }

            return true;
        }
    }

    /// <summary>A snapshot of the live entries (for close and diagnostics).</summary>
    internal List<T> Snapshot()
    {
        lock (_writer)
        {
            var table = _table;
            var entries = new List<T>(_live);
            for (var i = 0; i < table.Capacity; i++)
            {
                if (table.Slots[i].Key is not (Empty or Tombstone))
                {
                    entries.Add(table.Entries[i]!);
                }
            }

            return entries;
        }
    }

    // A quarter full after a rebuild: room to add as many again before the next one.
    private static int CapacityFor(int live) => Math.Max(MinimumCapacity, (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(live, 1) * 4));

    private void Rebuild(int capacity)
    {
        var old = _table;
        var fresh = new Table(capacity);
        for (var i = 0; i < old.Capacity; i++)
        {
            var key = old.Slots[i].Key;
            if (key is not (Empty or Tombstone))
            {
                fresh.Insert(key, old.Entries[i]!, old.Slots[i].IoAddress);
            }
        }

        _table = fresh;
        _used = _live;
    }

    /// <summary>One generation of the table: written by the writer, then read by anyone until replaced.</summary>
    private sealed class Table(int capacity)
    {
        internal readonly Slot[] Slots = new Slot[capacity];
        internal readonly T?[] Entries = new T?[capacity];
        private readonly int _shift = 64 - BitOperations.Log2((uint)capacity);

        internal int Capacity => Slots.Length;

        /// <summary>The slot holding <paramref name="wsid"/>, or -1.</summary>
        internal int Find(ulong wsid)
        {
            var mask = Slots.Length - 1;
            for (int index = Home(wsid), probes = 0; probes <= mask; index = (index + 1) & mask, probes++)
            {
                var key = Volatile.Read(ref Slots[index].Key);
                if (key == wsid)
                {
                    return index;
                }

                if (key == Empty)
                {
                    return -1;
                }
            }

            return -1;
        }

        /// <summary>Writes into the first empty slot of the probe sequence (the caller holds the writer's lock and made room).</summary>
        internal void Insert(ulong wsid, T entry, ulong ioAddress)
        {
            var mask = Slots.Length - 1;
            var index = Home(wsid);
            while (Slots[index].Key != Empty)
            {
                index = (index + 1) & mask;
            }

            Slots[index].IoAddress = ioAddress;
            Entries[index] = entry;
            Volatile.Write(ref Slots[index].Key, wsid);
        }

        // Fibonacci hashing: ids come from one process-wide counter, so a handle's ids can be strided
        // (several handles preparing in turn); the multiply spreads any stride over the table.
        private int Home(ulong wsid) => (int)((wsid * 0x9E3779B97F4A7C15UL) >> _shift);
    }

    private struct Slot
    {
        internal ulong Key;
        internal ulong IoAddress;
    }
}
