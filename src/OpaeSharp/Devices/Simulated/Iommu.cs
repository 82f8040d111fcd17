namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// The simulated IOMMU: IO address ranges to host memory with read/write permission. Every device
/// access is translated here; one that is unmapped, runs past its mapping, lacks permission or hits
/// a released buffer is recorded as a <see cref="DmaFault"/> and never reaches host memory.
/// Translation takes no lock: it reads an immutable sorted array that map and unmap replace.
/// </summary>
internal sealed class Iommu(DmaFaultLog faults)
{
    private const int ReleasedHistory = 4096;

    private readonly Lock _writeLock = new();
    private readonly Queue<(ulong Start, ulong End)> _released = new();
    private IommuMapping[] _mappings = [];

    internal DmaFaultLog Faults { get; } = faults;

    internal int Count => Volatile.Read(ref _mappings).Length;

    internal void Map(ulong iova, nint hostAddress, ulong length, DmaAccess access)
    {
        var mapping = new IommuMapping(iova, hostAddress, length, access);
        lock (_writeLock)
        {
            var current = _mappings;
            var index = Find(current, iova);
            if ((index >= 0 && current[index].End > iova) || (index + 1 < current.Length && current[index + 1].Iova < iova + length))
            {
                throw new OpaeException(FpgaResult.InvalidParam, $"IO range 0x{iova:x}+{length} overlaps an existing mapping");
            }

            var next = new IommuMapping[current.Length + 1];
            Array.Copy(current, 0, next, 0, index + 1);
            next[index + 1] = mapping;
            Array.Copy(current, index + 1, next, index + 2, current.Length - index - 1);
            Volatile.Write(ref _mappings, next);
        }
    }

    internal void Unmap(ulong iova)
    {
        IommuMapping removed;
        lock (_writeLock)
        {
            var current = _mappings;
            var index = Find(current, iova);
            if (index < 0 || current[index].Iova != iova)
            {
                throw new OpaeException(FpgaResult.InvalidParam, $"no IOMMU mapping at IO address 0x{iova:x}");
            }

            removed = current[index];
            var next = new IommuMapping[current.Length - 1];
            Array.Copy(current, 0, next, 0, index);
            Array.Copy(current, index + 1, next, index, current.Length - index - 1);
            Volatile.Write(ref _mappings, next);

            if (_released.Count == ReleasedHistory)
            {
                _released.Dequeue();
            }

            _released.Enqueue((removed.Iova, removed.End));
        }

        // Outside the lock: waiting for in-flight accesses must not stall other maps.
        removed.Kill();
    }

    /// <summary>
    /// Translates a device access. On success the caller owns one entry of the returned mapping and
    /// must <see cref="IommuMapping.Exit"/> it; on failure the fault is recorded and null returned.
    /// </summary>
    internal IommuMapping? Enter(ulong iova, ulong length, DmaAccess access, string initiator)
    {
        var current = Volatile.Read(ref _mappings);
        var index = Find(current, iova);
        var isWrite = access == DmaAccess.Write;
        if (index >= 0)
        {
            var mapping = current[index];
            if (iova < mapping.End)
            {
                if (length > mapping.End - iova)
                {
                    return Fail(DmaFaultKind.PastEnd);
                }

                if ((mapping.Access & access) != access)
                {
                    return Fail(DmaFaultKind.PermissionDenied);
                }

                if (mapping.TryEnter())
                {
                    return mapping;
                }

                // Unmapped while we looked: exactly a use after release.
                return Fail(DmaFaultKind.AfterRelease);
            }
        }

        return Fail(WasReleased(iova) ? DmaFaultKind.AfterRelease : DmaFaultKind.Unmapped);

        IommuMapping? Fail(DmaFaultKind kind)
        {
            Faults.Record(new DmaFault(kind, iova, length, isWrite, initiator));
            return null;
        }
    }

    private bool WasReleased(ulong iova)
    {
        lock (_writeLock)
        {
            foreach (var (start, end) in _released)
            {
                if (iova >= start && iova < end)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Index of the last mapping starting at or below <paramref name="iova"/>, or -1.</summary>
    private static int Find(IommuMapping[] mappings, ulong iova)
    {
        int lo = 0, hi = mappings.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (mappings[mid].Iova <= iova)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }
}
