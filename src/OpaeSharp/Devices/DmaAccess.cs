namespace OpaeSharp.Devices;

/// <summary>Which way the device may move data for a mapping.</summary>
[Flags]
internal enum DmaAccess
{
    /// <summary>The device may read host memory (host to device).</summary>
    Read = 1,

    /// <summary>The device may write host memory (device to host).</summary>
    Write = 2,

    ReadWrite = Read | Write,
}
