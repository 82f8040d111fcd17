namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// What an AFU uses to reach host memory: every access goes through the <see cref="Iommu"/>, so
/// a bad one becomes a recorded fault and a false return instead of a stray memory write.
/// </summary>
internal sealed class DmaEngine(Iommu iommu, string initiator)
{
    internal string Initiator { get; } = initiator;

    internal unsafe bool TryRead(ulong iova, Span<byte> destination)
    {
        var mapping = iommu.Enter(iova, (ulong)destination.Length, DmaAccess.Read, Initiator);
        if (mapping is null)
        {
            return false;
        }

        try
        {
            new ReadOnlySpan<byte>((void*)(mapping.HostAddress + (nint)(iova - mapping.Iova)), destination.Length).CopyTo(destination);
            return true;
        }
        finally
        {
            mapping.Exit();
        }
    }

    internal unsafe bool TryWrite(ulong iova, ReadOnlySpan<byte> source)
    {
        var mapping = iommu.Enter(iova, (ulong)source.Length, DmaAccess.Write, Initiator);
        if (mapping is null)
        {
            return false;
        }

        try
        {
            source.CopyTo(new Span<byte>((void*)(mapping.HostAddress + (nint)(iova - mapping.Iova)), source.Length));
            return true;
        }
        finally
        {
            mapping.Exit();
        }
    }

    /// <summary>Copies device-side: reads <paramref name="length"/> bytes at <paramref name="source"/> and writes them at <paramref name="destination"/>.</summary>
    internal unsafe bool TryCopy(ulong source, ulong destination, ulong length)
    {
        var from = iommu.Enter(source, length, DmaAccess.Read, Initiator);
        if (from is null)
        {
            return false;
        }

        try
        {
            var to = iommu.Enter(destination, length, DmaAccess.Write, Initiator);
            if (to is null)
            {
                return false;
            }

            try
            {
                Buffer.MemoryCopy(
                    (void*)(from.HostAddress + (nint)(source - from.Iova)),
                    (void*)(to.HostAddress + (nint)(destination - to.Iova)),
                    (long)length,
                    (long)length);
                return true;
            }
            finally
            {
                to.Exit();
            }
        }
        finally
        {
            from.Exit();
        }
    }
}
