using System.Runtime.InteropServices;

namespace OpaeSharp.Native.Exports;

/// <summary>OPAE's <c>fpga_metric_info</c> (1056 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FpgaMetricInfo
{
    internal ulong MetricNum;
    internal fixed byte MetricGuid[16];
    internal fixed byte QualifierName[256];
    internal fixed byte GroupName[256];
    internal fixed byte MetricName[256];
    internal fixed byte MetricUnits[256];
    internal int MetricDataType;
    internal int MetricType;
}

/// <summary>OPAE's <c>fpga_metric</c> (24 bytes): the index, the value union, whether it is valid.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FpgaMetricValue
{
    internal ulong MetricNum;
    internal ulong Value;
    internal byte IsValid;
}

/// <summary>OPAE's <c>threshold</c> (272 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FpgaThreshold
{
    internal fixed byte ThresholdName[256];
    internal uint IsValid;
    internal double Value;
}

/// <summary>OPAE's <c>metric_threshold</c> (2160 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FpgaMetricThreshold
{
    internal fixed byte MetricName[256];
    internal FpgaThreshold UpperNonRecoverable;
    internal FpgaThreshold UpperCritical;
    internal FpgaThreshold UpperNonCritical;
    internal FpgaThreshold LowerNonRecoverable;
    internal FpgaThreshold LowerCritical;
    internal FpgaThreshold LowerNonCritical;
    internal FpgaThreshold Hysteresis;
}
