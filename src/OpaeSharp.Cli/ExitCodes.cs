namespace OpaeSharp.Cli;

/// <summary>
/// What the <c>opae</c> process returns: 0 success, 1 the check ran and failed, 2 bad usage, and
/// 10 + the OPAE result code when the library refused (14 = NOT_FOUND, 15 = NO_MEMORY, …).
/// </summary>
internal static class ExitCodes
{
    internal const int Success = 0;
    internal const int Failed = 1;
    internal const int Usage = 2;
    internal const int OpaeErrorBase = 10;

    internal static int For(FpgaResult result) => OpaeErrorBase + (int)result;
}
