using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using OpaeSharp.Dma;

namespace OpaeSharp.Collections;

/// <summary>
/// Objects by 64-bit id, for ids that are never 0 or 2^64 - 1 and never reused: a handle's live
/// buffers by workspace id (<see cref="WorkspaceIds"/>), and the C ABI's handles, tokens and
/// properties by the values C programs hold. Lookups take no lock (the IO address query is the hot
/// path); adds and removes take the table's lock, so an object removed on two threads at once is
/// removed once.
/// </summary>
/// <remarks>
/// <para>
/// An open-addressing table whose slots hold the id and a 64-bit value (a buffer's IO address)
/// side by side: once the table outgrows the caches, <see cref="TryGetIoAddress"/> costs one cache
/// miss (the slot), where a chained dictionary costs two (the bucket, then the node). Measured in
/// bench/RESULTS.md.
/// </para>
/// <para>
/// Why readers need no lock: an add writes the slot's value and entry before its id (release),
/// a remove replaces the id (a full fence), and a reader checks the id again after reading the
/// value, so it never returns an id paired with another entry's value even when a remove and an
/// add reuse the slot in between. Because ids are never reused, the second check cannot be fooled
/// by the same id coming back. A growing or shrinking table is a new <see cref="Table"/>,
/// published once filled; a reader on the old one sees the state before.
/// </para>
/// </remarks>
/// <typeparam name="T">The entry type.</typeparam>
internal sealed class IdTable<T>
    where T : class
{
    private const ulong Empty = 0;                    // no one's id (see the summary)
    private const ulong Tombstone = ulong.MaxValue;   // nor this
    private const int MinimumCapacity = 16;

    // Not readonly: a SpinLock is a mutable struct.
    private SpinLock _writer = new(enableThreadOwnerTracking: false);
    private volatile Table _table = new(MinimumCapacity);
    private int _live;
    private int _used;                                // live + tombstones in _table

    internal int Count => Volatile.Read(ref _live);

    /// <summary>Slots in the current table (for tests of its sizing).</summary>
    internal int Capacity => _table.Capacity;

    internal void Add(ulong wsid, T entry, ulong ioAddress = 0)
    {
        ArgumentOutOfRangeException.ThrowIfEqual(wsid, Empty);
        ArgumentOutOfRangeException.ThrowIfEqual(wsid, Tombstone);
        using (new SpinLockScope(ref _writer))
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

            if (_table.Insert(wsid, entry, ioAddress))
            {
                _used++;
            }

            _live++;
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

        // Read the address, then make sure the slot still holds this id: a remove and an add may
        // have reused it since Find (the caller raced its own release, but gets "gone", not a
        // stranger's address).
        ref var slot = ref table.Slots[index];
        ioAddress = Volatile.Read(ref slot.IoAddress);
        if (Volatile.Read(ref slot.Key) != wsid)
        {
            ioAddress = 0;
            return false;
        }

        return true;
    }

    internal bool TryRemove(ulong wsid, [MaybeNullWhen(false)] out T entry)
    {
        using (new SpinLockScope(ref _writer))
        {
            var table = _table;
            var index = table.Find(wsid);
            if (index < 0)
            {
                entry = null;
                return false;
            }

            entry = table.Entries[index]!;

            // A slot followed by an empty one ends every probe through it, so it can be empty
            // again; otherwise later ids probe past it, and it becomes a tombstone.
            var next = table.Slots[(index + 1) & (table.Capacity - 1)].Key;
            Interlocked.Exchange(ref table.Slots[index].Key, next == Empty ? Empty : Tombstone);
            Volatile.Write(ref table.Entries[index], null);
            _live--;
            if (next == Empty)
            {
                _used--;

                // Tombstones just before an empty slot end no probe either: empty them too.
                for (var before = (index - 1) & (table.Capacity - 1); table.Slots[before].Key == Tombstone; before = (before - 1) & (table.Capacity - 1))
                {
                    Volatile.Write(ref table.Slots[before].Key, Empty);
                    _used--;
                }
            }

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
        using (new SpinLockScope(ref _writer))
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
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal int Find(ulong wsid)
        {
            // The two markers are no one's id (and would match every free slot).
            if (wsid is Empty or Tombstone)
            {
                return -1;
            }

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

        /// <summary>
        /// Writes into the first free slot of the probe sequence, a tombstone or an empty one (the
        /// caller holds the writer's lock, made room and checked the id is new); true when it took
        /// an empty slot.
        /// </summary>
        internal bool Insert(ulong wsid, T entry, ulong ioAddress)
        {
            var mask = Slots.Length - 1;
            var index = Home(wsid);
            while (Slots[index].Key is not (Empty or Tombstone))
            {
                index = (index + 1) & mask;
            }

            var wasEmpty = Slots[index].Key == Empty;
            Slots[index].IoAddress = ioAddress;
            Entries[index] = entry;
            Volatile.Write(ref Slots[index].Key, wsid);
            return wasEmpty;
        }

        // Fibonacci hashing: ids come from one process-wide counter, so a handle's ids can be strided
        // (several handles preparing in turn); the multiply spreads any stride over the table.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int Home(ulong wsid) => (int)((wsid * 0x9E3779B97F4A7C15UL) >> _shift);
    }

    private struct Slot
    {
        internal ulong Key;
        internal ulong IoAddress;
    }
}
