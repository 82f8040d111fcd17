using OpaeSharp;

// Calls the library without checking the platform: OpaeSharp is [SupportedOSPlatform("linux")], so
// the platform analyzer warns here (CA1416) and nowhere else.
internal static class Unguarded
{
    internal static bool IsShared()
    {
        using var accelerator = Accelerator.Open();
        return accelerator.IsShared;
    }
}
