using OpaeSharp.Devices;
using OpaeSharp.Memory;

namespace OpaeSharp.Dma;

/// <summary>
/// A device's IO address space where the library chooses the addresses: the windows the device can
/// reach, an allocator for each, and the IOMMU table that translates them. Used by the simulator
/// (one per card) and by VFIO (one per opened function, shared by its handles).
/// </summary>
/// <remarks>
/// Map picks an address, programs the table, and gives the address back when programming fails.
/// Unmap clears the table first and frees the address only once that succeeded, so an address is
/// never handed out again while the device could still reach the old memory. Which buffer holds
/// which address is recorded once, by the handle that prepared it; this class keeps no table of its
/// own. Thread-safe; no lock is held across the table's calls.
/// </remarks>
internal sealed class IoAddressSpace : IDmaMapper
{
    private readonly IIommuTable _table;
    private readonly IovaAllocator[] _windows;
    private readonly ulong _minAlignment;
    private readonly string _owner;
    private readonly string? _reach;

    /// <param name="table">The IOMMU to program.</param>
    /// <param name="windows">Usable ranges, sorted by start and disjoint.</param>
    /// <param name="minAlignment">The IOMMU's smallest page: every address is aligned at least to it.</param>
    /// <param name="owner">Names the device in messages.</param>
    /// <param name="reach">Said when the space runs out ("the device reaches only 28-bit IO addresses"), or null.</param>
    internal IoAddressSpace(IIommuTable table, IReadOnlyList<IovaAllocator> windows, ulong minAlignment, string owner, string? reach = null)
    {
        if (windows.Count == 0)
        {
            throw new ArgumentException("an IO address space needs at least one window", nameof(windows));
        }

        _table = table;
        _windows = [.. windows.OrderBy(w => w.Start)];
        _minAlignment = Math.Max(minAlignment, 4096);
        _owner = owner;
        _reach = reach;
    }

    internal IReadOnlyList<IovaAllocator> Windows => _windows;

    /// <summary>Free bytes left in all windows.</summary>
    internal ulong FreeBytes => _windows.Aggregate(0UL, (sum, w) => sum + w.FreeBytes);

    public Status Map(PinnedMemory memory, DmaAccess access, out ulong iova)
    {
        var length = (ulong)memory.Length;
        var pageSize = (ulong)memory.PageSize;
        var alignment = Math.Max(pageSize, _minAlignment);
        IovaAllocator? window = null;
        iova = 0;
        foreach (var candidate in _windows)
        {
            if (candidate.TryAllocate(length, alignment, out iova))
            {
                window = candidate;
                break;
            }
        }

        if (window is null)
        {
            return Status.Fail(
                FpgaResult.NoMemory,
                $"IO address space exhausted on {_owner}: no free {length}-byte range in {Describe()} ({FreeBytes} bytes free); release buffers first" +
                (_reach is null ? "" : $" ({_reach})"));
        }

        var programmed = _table.Program(iova, memory, access);
        if (!programmed.IsOk)
        {
            window.Free(iova, length);
            iova = 0;
        }

        return programmed;
    }

    public Status Unmap(ulong iova, ulong length)
    {
        var window = WindowOf(iova);
        if (window is null)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"IO address 0x{iova:x} is outside every window of {_owner}");
        }

        var cleared = _table.Clear(iova, length);
        if (cleared.IsOk)
        {
            window.Free(iova, length);
        }

        return cleared;
    }

    private IovaAllocator? WindowOf(ulong iova)
    {
        foreach (var window in _windows)
        {
            if (iova >= window.Start && iova < window.End)
            {
                return window;
            }
        }

        return null;
    }

    private string Describe() => string.Join(", ", _windows.Select(w => $"0x{w.Start:x}..0x{w.End:x}"));
}
