using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OpaeSharp.Diagnostics;

/// <summary>
/// Where the library logs. .NET programs hand in their <see cref="ILoggerFactory"/>; without one the
/// library is silent, except through the C ABI, which installs a stderr logger that honours OPAE's
/// <c>LIBOPAE_LOG</c> levels. A logger that throws loses the line; it never changes what the
/// library does (a release, a close, a result code).
/// </summary>
public static class OpaeLogging
{
    private static ILogger s_logger = NullLogger.Instance;

    /// <summary>Routes the library's log messages to <paramref name="factory"/> (category "OpaeSharp").</summary>
    public static void UseLoggerFactory(ILoggerFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        s_logger = new GuardedLogger(factory.CreateLogger("OpaeSharp"));
    }

    /// <summary>Routes the library's log messages to <paramref name="logger"/>.</summary>
    public static void UseLogger(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        s_logger = new GuardedLogger(logger);
    }

    internal static ILogger Logger => s_logger;
}
