namespace OpaeSharp.Enumeration;

/// <summary>The AFU an accelerator holds, as its device reports it.</summary>
/// <param name="AfuId">The AFU's GUID, or <see cref="Guid.Empty"/> when it could not be read.</param>
/// <param name="Reason">Why <paramref name="AfuId"/> is empty (busy, no permission, no AFU header); null when it was read.</param>
internal sealed record AfuIdentity(Guid AfuId, string? Reason)
{
    public override string ToString() => Reason is null ? $"AFU {AfuId}" : $"AFU id unknown: {Reason}";
}
