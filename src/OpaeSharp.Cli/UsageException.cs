namespace OpaeSharp.Cli;

/// <summary>
/// A command line that parsed but asks for something that cannot be (options that disagree, a
/// backend a command does not run on): exit code 2, reported like a parse error.
/// </summary>
internal sealed class UsageException(string message) : Exception(message);
