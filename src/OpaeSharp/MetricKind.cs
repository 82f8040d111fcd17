namespace OpaeSharp;

/// <summary>What a metric measures (<c>fpga_metric_type</c>), with OPAE's values.</summary>
public enum MetricKind
{
    /// <summary>Power, in watts.</summary>
    Power = 0,

    /// <summary>Temperature, in degrees Celsius.</summary>
    Thermal = 1,

    /// <summary>A performance counter of the FPGA's fabric (a count).</summary>
    PerformanceCounter = 2,

    /// <summary>A counter the accelerator defines.</summary>
    Afu = 3,
}
