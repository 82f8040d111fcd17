using System.Text.Json.Nodes;
using OpaeSharp.Simulation;

namespace OpaeSharp.Tests.Cli;

/// <summary>With --json, a failure is a JSON object on stdout as well as a line on stderr, and the exit code is the same.</summary>
public sealed class JsonErrorTests
{
    private static JsonNode Error(string output, int code)
    {
        var root = JsonNode.Parse(output)!;
        Assert.Equal(code, (int)root["exitCode"]!);
        Assert.Equal(code, (int)root["error"]!["code"]!);
        return root["error"]!;
    }

    [Fact]
    public void Not_found_is_json_with_the_opae_result_name_and_exit_code_14()
    {
        using var system = new FakeSystem();

        var (code, output, error) = CliRunner.RunOn(system, "--backend", "sim", "list", "--json", "0000:99:00.0");

        Assert.Equal(14, code);
        var json = Error(output, 14);
        Assert.Equal("FPGA_NOT_FOUND", (string?)json["result"]);
        Assert.Contains("0000:99:00.0", (string?)json["message"], StringComparison.Ordinal);
        Assert.StartsWith("opae: not found:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_library_refusal_is_json_with_its_result()
    {
        using var system = new FakeSystem();

        var (code, output, _) = CliRunner.RunOn(system, "--backend", "vfio", "hello", "--json");

        Assert.Equal(14, code);
        Assert.Equal("FPGA_NOT_FOUND", (string?)Error(output, 14)["result"]);
    }

    [Fact]
    public void A_parse_error_on_a_line_with_json_is_a_json_usage_error()
    {
        using var system = new FakeSystem();

        var (code, output, _) = CliRunner.RunOn(system, "list", "--json", "--frobnicate");

        Assert.Equal(2, code);
        var json = Error(output, 2);
        Assert.Null(json["result"]);
        Assert.Contains("--frobnicate", (string?)json["message"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_usage_error_found_after_parsing_is_json_too()
    {
        using var system = new FakeSystem();

        var (code, output, _) = CliRunner.RunOn(system, "--backend", "dfl", "bench", "--json", "--no-plot");

        Assert.Equal(2, code);
        Assert.Contains("simulator", (string?)Error(output, 2)["message"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_check_is_json_with_exit_code_1_and_what_failed()
    {
        using var system = new FakeSystem(SimulatorConfiguration.Parse("""
            { "cards": [ { "ports": [ { "afu": "nlb0", "faults": [ { "kind": "dmaFailure", "after": 0 } ] } ] } ] }
            """));

        var (code, output, _) = CliRunner.RunOn(system, "--backend", "sim", "hello", "--json", "--timeout", "5");

        Assert.Equal(1, code);
        Assert.Contains("does NOT match", (string?)Error(output, 1)["message"], StringComparison.Ordinal);
        Assert.False((bool)JsonNode.Parse(output)!["passed"]!);
    }

    [Fact]
    public void Without_json_a_failure_leaves_stdout_empty()
    {
        using var system = new FakeSystem();

        var (code, output, error) = CliRunner.RunOn(system, "--backend", "sim", "list", "0000:99:00.0");

        Assert.Equal(14, code);
        Assert.Empty(output);
        Assert.Contains("0000:99:00.0", error, StringComparison.Ordinal);
    }
}
