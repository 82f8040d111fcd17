namespace OpaeSharp.Tests.Devices;

/// <summary>What a backend does with FPGA_BUF_READ_ONLY (docs/semantics.md): the shared buffer suite asserts it on every backend.</summary>
internal enum ReadOnlyDecision
{
    /// <summary>The driver can express direction: the buffer is mapped for device reads only.</summary>
    DeviceReadsOnly,

    /// <summary>The driver maps every buffer both ways (upstream DFL): FPGA_NOT_SUPPORTED with a message, nothing mapped.</summary>
    NotSupported,
}
