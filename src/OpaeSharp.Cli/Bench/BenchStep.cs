namespace OpaeSharp.Cli.Bench;

/// <summary>One step of <c>opae bench</c>: a group of cases measured together.</summary>
/// <param name="Name">What the progress display calls it.</param>
/// <param name="Cases">How many cases it reports done (measured or skipped), the length of its progress bar.</param>
/// <param name="Run">Measures into the report, calling the second argument with each case's name when that case is done.</param>
internal sealed record BenchStep(string Name, int Cases, Action<BenchReport, Action<string>> Run);
