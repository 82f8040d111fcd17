namespace OpaeSharp.VmTests;

/// <summary>A check saw something other than what the kernel and IOMMU must do.</summary>
internal sealed class CheckFailedException(string message) : Exception(message)
{
    /// <summary>Throws when <paramref name="condition"/> is false.</summary>
    internal static void Unless(bool condition, string message)
    {
        if (!condition)
        {
            throw new CheckFailedException(message);
        }
    }
}
