using Microsoft.Extensions.Logging;

namespace OpaeSharp.Diagnostics;

/// <summary>
/// Wraps the logger a program hands in so that logging can never change what the library does: a
/// logger that throws (a full disk, a closed pipe, a bug) loses that line, and the release, close or
/// result code it was reporting goes ahead unchanged.
/// </summary>
internal sealed class GuardedLogger(ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
    {
        try
        {
            return inner.BeginScope(state);
        }
        catch (Exception)
        {
            return null;
        }
    }

    public bool IsEnabled(LogLevel logLevel)
    {
        try
        {
            return inner.IsEnabled(logLevel);
        }
        catch (Exception)
        {
            return false;
        }
    }

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
        catch (Exception)
        {
            // Dropped: see the summary.
        }
    }
}
