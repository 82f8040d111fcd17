namespace OpaeSharp.Tests.Cli;

/// <summary>Numeric options out of their range are usage errors (exit 2) that name the option, as docs/tool.md says.</summary>
public sealed class ExitCodeTests
{
    [Theory]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e300")]
    [InlineData("soon")]
    public void Hello_refuses_a_timeout_that_is_not_a_positive_number_of_seconds(string timeout)
    {
        using var system = new FakeSystem();

        var (code, output, error) = CliRunner.RunOn(system, "--backend", "sim", "hello", "--timeout", timeout);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains("--timeout", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9")]
    [InlineData("100001")]
    [InlineData("-10")]
    [InlineData("many")]
    public void Bench_refuses_a_live_buffer_count_outside_10_to_100000(string maxLive)
    {
        using var system = new FakeSystem();

        var (code, _, error) = CliRunner.RunOn(system, "bench", "--max-live", maxLive, "--no-plot");

        Assert.Equal(2, code);
        Assert.Contains("--max-live", error, StringComparison.Ordinal);
    }
}
