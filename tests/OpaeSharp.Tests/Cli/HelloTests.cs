using OpaeSharp.Cli.Commands;

namespace OpaeSharp.Tests.Cli;

public sealed class HelloTests
{
    [Fact]
    public void The_nlb0_loopback_of_hello_fpga_passes_on_the_simulator()
    {
        var lines = new List<string>();
        using var accelerator = Accelerator.Open(Enumeration.AcceleratorFilter.ForAfu(Nlb0Loopback.AfuId), shared: true, BackendKind.Simulated);
        var result = Nlb0Loopback.Run(accelerator, TimeSpan.FromSeconds(30), lines.Add, TestContext.Current.CancellationToken);
        Assert.True(result.Matched, string.Join('\n', result.Steps));
        Assert.Equal(-1, result.FirstMismatch);
        Assert.Empty(result.Faults);
        Assert.Contains(lines, l => l.StartsWith("output matches input", StringComparison.Ordinal));
    }
}
