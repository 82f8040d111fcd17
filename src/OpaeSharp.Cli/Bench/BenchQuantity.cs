namespace OpaeSharp.Cli.Bench;

/// <summary>A measured or given number of a bench case with its unit, as <c>opae bench --json</c> prints it: <c>"size": {"value": 65536, "unit": "bytes"}</c>.</summary>
/// <param name="Name">The JSON key ("size", "throughput", "liveBuffers").</param>
/// <param name="Value">The number.</param>
/// <param name="Unit">"ns", "bytes", "GB/s", "ratio", "buffers".</param>
internal sealed record BenchQuantity(string Name, double Value, string Unit);
