using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OpaeSharp.Diagnostics;

/// <summary>
/// Where the library logs. .NET programs hand in their <see cref="ILoggerFactory"/>; without one the
/// library is silent, except through the C ABI, which installs a stderr logger that honours OPAE's
/// <c>LIBOPAE_LOG</c> levels.
/// </summary>
public static class OpaeLogging
{
    private static ILogger s_logger = NullLogger.Instance;

    /// <summary>Routes the library's log messages to <paramref name="factory"/> (category "OpaeSharp").</summary>
    public static void UseLoggerFactory(ILoggerFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        s_logger = factory.CreateLogger("OpaeSharp");
    }

    /// <summary>Routes the library's log messages to <paramref name="logger"/>.</summary>
    public static void UseLogger(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        s_logger = logger;
    }

    internal static ILogger Logger => s_logger;
}
