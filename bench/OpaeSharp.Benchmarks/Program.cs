using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace OpaeSharp.Benchmarks;

/// <summary>
/// Runs the suite. Every benchmark class pairs the library with its floor (Baseline = true), so
/// each row's Ratio is "library / floor" measured in the same run.
/// </summary>
/// <remarks>
/// The job is a short one — BenchmarkDotNet's ShortRun with 9 iterations instead of 3 (3 warm-ups,
/// 1 launch), in process — which keeps a full run on a 2-core machine to minutes, shares the
/// 100,000-buffer setups between cases, and still outvotes one iteration disturbed by another
/// process. <c>--long</c> uses BenchmarkDotNet's default job. Other options (--filter …) pass through.
/// </remarks>
public static class Program
{
    public static int Main(string[] args)
    {
        var longRun = args.Contains("--long");
        args = [.. args.Where(a => a != "--long")];
        var job = (longRun ? Job.Default : Job.ShortRun.WithIterationCount(9)).WithToolchain(InProcessEmitToolchain.Instance);
        var config = DefaultConfig.Instance
            .AddJob(job.AsDefault())
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.DisableLogFile)
            .WithSummaryStyle(BenchmarkDotNet.Reports.SummaryStyle.Default.WithRatioStyle(BenchmarkDotNet.Columns.RatioStyle.Value));
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
    }
}
