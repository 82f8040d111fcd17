namespace OpaeSharp.Memory;

/// <summary>
/// Pages of caller memory pinned by <see cref="PagePinner"/>: the device reaches these pages and no
/// others, as it would through a driver's pin, even after the caller unmaps the range, maps
/// something else at its address or truncates the file behind it. Unpinned by <see cref="Dispose"/>.
/// </summary>
internal sealed class PinnedPages : IDisposable
{
    private readonly Interop.IKernel _kernel;
    private readonly Piece[] _pieces;
    private readonly int _processId;
    private int _disposed;

    internal PinnedPages(Interop.IKernel kernel, nint address, long length, Piece[] pieces)
    {
        _kernel = kernel;
        Address = address;
        Length = length;
        _pieces = pieces;
        _processId = kernel.ProcessId;
    }

    internal nint Address { get; }

    internal long Length { get; }

    /// <summary>Copies <paramref name="destination"/>.Length bytes from <paramref name="offset"/> of the pinned pages.</summary>
    internal bool TryRead(long offset, Span<byte> destination)
    {
        if (!Usable)
        {
            return false;
        }

        foreach (var (piece, at, span) in Split(offset, destination.Length))
        {
            if (!piece.Ring.TryCopyOut(piece.Slot, piece.Address + (nint)at, destination.Slice(span.Start, span.Length)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="offset"/> of the pinned pages.</summary>
    internal bool TryWrite(long offset, ReadOnlySpan<byte> source)
    {
        if (!Usable)
        {
            return false;
        }

        foreach (var (piece, at, span) in Split(offset, source.Length))
        {
            if (!piece.Ring.TryCopyIn(piece.Slot, piece.Address + (nint)at, source.Slice(span.Start, span.Length)))
            {
                return false;
            }
        }

        return true;
    }

    public void Dispose()
    {
        // A forked child shares its parent's rings: unregistering there would unpin the parent's buffer.
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && !InheritedByFork)
        {
            foreach (var piece in _pieces)
            {
                piece.Ring.Unregister(piece.Slot);
            }
        }
    }

    private bool Usable => Volatile.Read(ref _disposed) == 0 && !InheritedByFork;

    private bool InheritedByFork => _kernel.MayHaveForked && _kernel.ProcessId != _processId;

    /// <summary>The pieces an access of <paramref name="length"/> bytes at <paramref name="offset"/> touches, with the offset into each and the part of the span it takes.</summary>
    private List<(Piece Piece, long At, (int Start, int Length) Span)> Split(long offset, int length)
    {
        var parts = new List<(Piece, long, (int, int))>(1);
        long pieceStart = 0;
        var taken = 0;
        foreach (var piece in _pieces)
        {
            var pieceEnd = pieceStart + piece.Length;
            var from = offset + taken;
            if (taken < length && from < pieceEnd && from >= pieceStart)
            {
                var n = (int)Math.Min(length - taken, pieceEnd - from);
                parts.Add((piece, from - pieceStart, (taken, n)));
                taken += n;
            }

            pieceStart = pieceEnd;
        }

        return parts;
    }

    internal readonly record struct Piece(FixedBufferRing Ring, int Slot, nint Address, long Length);
}
