namespace OpaeSharp;

/// <summary>One reading of an FPGA device's sensor or counter.</summary>
/// <param name="Index">Its number in the device's list (OPAE's <c>metric_num</c>), stable for the device.</param>
/// <param name="Group">Its group ("thermal_mgmt", "power_mgmt", "performance").</param>
/// <param name="Name">Its name within the group ("temp1", "power1", "fabric:mmio_read").</param>
/// <param name="Units">The unit of <see cref="Value"/> ("Celsius", "Watts", "count").</param>
/// <param name="Kind">What it measures.</param>
/// <param name="Value">The value now.</param>
public sealed record FpgaMetric(int Index, string Group, string Name, string Units, MetricKind Kind, double Value);
