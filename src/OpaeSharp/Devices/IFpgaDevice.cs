namespace OpaeSharp.Devices;

/// <summary>
/// The management side of an FPGA device (its FME), opened for one operation on an FPGA_DEVICE
/// handle: partial reconfiguration of a slot. Implementations are thread-safe.
/// </summary>
internal interface IFpgaDevice : IDisposable
{
    /// <summary>
    /// Loads <paramref name="image"/> (whose bytes are <paramref name="bitstream"/>) into port
    /// <paramref name="slot"/>. INVALID_PARAM when the image was built for another interface;
    /// BUSY when the port is in use (unless <see cref="ReconfigureOptions.Force"/>); RECONF_ERROR when the FPGA refused it.
    /// </summary>
    Status Reconfigure(int slot, ReadOnlySpan<byte> bitstream, GreenBitstream image, ReconfigureOptions options);
}
