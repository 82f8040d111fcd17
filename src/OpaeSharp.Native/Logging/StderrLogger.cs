using Microsoft.Extensions.Logging;
using OpaeSharp.Devices;

namespace OpaeSharp.Native.Logging;

/// <summary>
/// The C library's logger: writes the messages at or below the level <c>LIBOPAE_LOG</c> selects
/// (unset: errors only, as OPAE does) to stderr or, when <c>LIBOPAE_LOGFILE</c> names a file, to
/// that file, with errors on stderr as well. .NET warnings and information are OPAE "messages",
/// debug and trace are OPAE "debug". Lines go to fd 2 with write(2) (<see cref="NativeStderr"/>),
/// never through System.Console; a line that cannot be written or formatted is dropped: logging
/// never changes a result, aborts a release, or throws into the caller.
/// </summary>
internal sealed class StderrLogger : ILogger
{
    internal const string EnvironmentVariable = "LIBOPAE_LOG";

    private readonly Lock _write = new();
    private readonly LogFile? _file;

    internal StderrLogger(OpaeLogLevel level, LogFile? file = null) => (Level, _file) = (level, file);

    internal OpaeLogLevel Level { get; }

    /// <summary>
    /// The logger <c>LIBOPAE_LOG</c> and <c>LIBOPAE_LOGFILE</c> ask for. A log file that is refused
    /// or cannot be opened is reported once on stderr, and logging stays there.
    /// </summary>
    internal static StderrLogger FromEnvironment()
    {
        var file = LogFile.FromEnvironment(out var problem);
        var logger = new StderrLogger(LevelFromEnvironment(), file);
        if (problem is not null)
        {
            logger.Write(OpaeLogLevel.Error, problem);
        }

        return logger;
    }

    /// <summary>The level <c>LIBOPAE_LOG</c> asks for; like OPAE's atoi, anything unparsable is 0.</summary>
    internal static OpaeLogLevel LevelFromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(EnvironmentVariable)?.Trim();
        if (!int.TryParse(value, out var level) || level < 0)
        {
            return OpaeLogLevel.Error;
        }

        return level >= (int)OpaeLogLevel.Debug ? OpaeLogLevel.Debug : (OpaeLogLevel)level;
    }

    internal static OpaeLogLevel ToOpae(LogLevel level) => level switch
    {
        LogLevel.Critical or LogLevel.Error => OpaeLogLevel.Error,
        LogLevel.Warning or LogLevel.Information => OpaeLogLevel.Message,
        _ => OpaeLogLevel.Debug,
    };

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && IsEnabled(ToOpae(logLevel));

    internal bool IsEnabled(OpaeLogLevel level) => level <= Level;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            LogCore(logLevel, eventId, state, exception, formatter);
        }
        catch (Exception)
        {
            // A message that cannot even be formatted is lost; the call it describes is not.
        }
    }

    private void LogCore<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);

        // Which backend auto chose is printed whatever the level: a program must never run on the
        // simulator, or find no hardware, without saying so once.
        var always = eventId == BackendRegistry.Events.SimulatorChosen || eventId == BackendRegistry.Events.HardwareUnusable;
        if (!always && !IsEnabled(logLevel))
        {
            return;
        }

        var text = formatter(state, exception);
        if (exception is not null)
        {
            text = $"{text}: {exception}";
        }

        Write(always ? OpaeLogLevel.Error : ToOpae(logLevel), text, always ? "libopae-c : " : null);
    }

    /// <summary>Writes one line, prefixed like OPAE's so users can grep for the library.</summary>
    internal void Write(OpaeLogLevel level, string text, string? prefixOverride = null)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        var prefix = prefixOverride ?? level switch
        {
            OpaeLogLevel.Error => "libopae-c **ERROR** : ",
            OpaeLogLevel.Debug => "libopae-c *DEBUG* : ",
            _ => "libopae-c : ",
        };
        Emit(level, prefix + text.TrimEnd('\n'));
    }

    /// <summary>Writes text that already carries its own prefix (from <c>opae_print</c>).</summary>
    internal void WriteRaw(OpaeLogLevel level, string text)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        // OPAE's callers end their formats with "\n" or not; print exactly one line either way.
        Emit(level, text.TrimEnd('\n'));
    }

    /// <summary>One whole line, never interleaved with another thread's; a failure loses the line only.</summary>
    private void Emit(OpaeLogLevel level, string line)
    {
        lock (_write)
        {
            if (_file is not null)
            {
                _file.TryWriteLine(line);
            }

            if (_file is null || level == OpaeLogLevel.Error)
            {
                NativeStderr.TryWriteLine(line);
            }
        }
    }
}
