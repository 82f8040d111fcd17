using System.Buffers;
using OpaeSharp.Memory;

namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// What an AFU uses to reach host memory: every access goes through the <see cref="Iommu"/>, so
/// a bad one becomes a recorded fault and a false return instead of a stray memory write. An access
/// reaches only the pages pinned when the buffer was prepared (see <see cref="PinnedMemory"/>):
/// never a signal in the host, never memory the process has since put at the same address.
/// </summary>
internal sealed class DmaEngine(Iommu iommu, string initiator)
{
    // Bounce size for a copy between two buffers that are not both directly reachable.
    private const int BounceBytes = 1 << 20;

    internal string Initiator { get; } = initiator;

    internal bool TryRead(ulong iova, Span<byte> destination)
    {
        var mapping = iommu.Enter(iova, (ulong)destination.Length, DmaAccess.Read, Initiator);
        if (mapping is null)
        {
            return false;
        }

        try
        {
            return Reached(mapping.Memory!.TryDeviceRead((long)(iova - mapping.Iova), destination), iova, (ulong)destination.Length, isWrite: false);
        }
        finally
        {
            mapping.Exit();
        }
    }

    internal bool TryWrite(ulong iova, ReadOnlySpan<byte> source)
    {
        var mapping = iommu.Enter(iova, (ulong)source.Length, DmaAccess.Write, Initiator);
        if (mapping is null)
        {
            return false;
        }

        try
        {
            return Written(Reached(mapping.Memory!.TryDeviceWrite((long)(iova - mapping.Iova), source), iova, (ulong)source.Length, isWrite: true));
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
                var src = from.Memory!;
                var dst = to.Memory!;
                var srcOffset = (long)(source - from.Iova);
                var dstOffset = (long)(destination - to.Iova);
                if (src.IsDirect && dst.IsDirect)
                {
                    // Both are mappings the entries hold: a plain copy, at memory speed.
                    Buffer.MemoryCopy((void*)(src.Address + (nint)srcOffset), (void*)(dst.Address + (nint)dstOffset), (long)length, (long)length);
                    return true;
                }

                return CopyThroughPins(src, srcOffset, source, dst, dstOffset, destination, (long)length);
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

    private unsafe bool CopyThroughPins(PinnedMemory src, long srcOffset, ulong source, PinnedMemory dst, long dstOffset, ulong destination, long length)
    {
        byte[]? bounce = null;
        try
        {
            for (long done = 0; done < length;)
            {
                var chunk = (int)Math.Min(length - done, BounceBytes);
                if (src.IsDirect)
                {
                    var from = new ReadOnlySpan<byte>((byte*)src.Address + srcOffset + done, chunk);
                    if (!Reached(dst.TryDeviceWrite(dstOffset + done, from), destination + (ulong)done, (ulong)chunk, isWrite: true))
                    {
                        return false;
                    }
                }
                else if (dst.IsDirect)
                {
                    var into = new Span<byte>((byte*)dst.Address + dstOffset + done, chunk);
                    if (!Reached(src.TryDeviceRead(srcOffset + done, into), source + (ulong)done, (ulong)chunk, isWrite: false))
                    {
                        return false;
                    }
                }
                else
                {
                    bounce ??= ArrayPool<byte>.Shared.Rent(BounceBytes);
                    var span = bounce.AsSpan(0, chunk);
                    if (!Reached(src.TryDeviceRead(srcOffset + done, span), source + (ulong)done, (ulong)chunk, isWrite: false)
                        || !Reached(dst.TryDeviceWrite(dstOffset + done, span), destination + (ulong)done, (ulong)chunk, isWrite: true))
                    {
                        return false;
                    }
                }

                done += chunk;
            }

            return true;
        }
        finally
        {
            if (bounce is not null)
            {
                ArrayPool<byte>.Shared.Return(bounce);
            }
        }
    }

    /// <summary>Wakes host threads waiting for device-written memory (<see cref="DeviceWrites"/>).</summary>
    private static bool Written(bool written)
    {
        if (written)
        {
            DeviceWrites.Notify();
        }

        return written;
    }

    private bool Reached(bool reached, ulong iova, ulong length, bool isWrite)
    {
        if (!reached)
        {
            iommu.RecordUnreachable(iova, length, isWrite, Initiator);
        }

        return reached;
    }
}
