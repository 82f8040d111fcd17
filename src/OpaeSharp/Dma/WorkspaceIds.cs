namespace OpaeSharp.Dma;

/// <summary>
/// Issues workspace ids: unique in the process and never reused, so a stale id can never name a
/// newer buffer. Never 0, which callers use as "no buffer".
/// </summary>
internal static class WorkspaceIds
{
    private static ulong s_last;

    internal static ulong Next() => Interlocked.Increment(ref s_last);
}
