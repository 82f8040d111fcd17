using Microsoft.Extensions.Logging;

namespace OpaeSharp.Cli.Logging;

/// <summary>Writes the library's log messages to standard error, one line each, from a minimum level.</summary>
internal sealed class StderrLoggerProvider(TextWriter error, LogLevel minimum) : ILoggerProvider, ILogger
{
    private readonly Lock _lock = new();

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var line = $"opae: {Name(logLevel)}: {formatter(state, exception)}";
        lock (_lock)
        {
            error.WriteLine(line);
            if (exception is not null)
            {
                error.WriteLine(exception);
            }
        }
    }

    public void Dispose()
    {
    }

    private static string Name(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        _ => "critical",
    };
}
