namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// The simulated card's FME, for reconfiguration: an image built for the card's interface id
/// loads the AFU model its metadata names into the port (BUSY while the port is open), and
/// programs the user clock the image asks for.
/// </summary>
internal sealed class SimulatedFpgaDevice(SimulatedCardView card) : IFpgaDevice
{
    public Status Reconfigure(int slot, ReadOnlySpan<byte> bitstream, GreenBitstream image, ReconfigureOptions options)
    {
        if (image.InterfaceId != card.InterfaceId)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"the image was built for interface {image.InterfaceId}; simulated card {card.Index} has interface {card.InterfaceId}");
        }

        if (slot < 0 || slot >= card.PortCount)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"simulated card {card.Index} has {card.PortCount} slot(s); there is no slot {slot}");
        }

        var loaded = card.LoadAfu(slot, image.AfuId);
        if (loaded.Result == FpgaResult.NotFound)
        {
            // The FPGA "refused" an image whose function the simulator cannot model.
            return Status.Fail(FpgaResult.ReconfError, loaded.Reason!);
        }

        if (!loaded.IsOk)
        {
            return loaded;
        }

        if ((options & ReconfigureOptions.SkipUserClock) == 0 && image.ClockHighMhz > 0)
        {
            return card.SetUserClock((ulong)image.ClockHighMhz, (ulong)image.ClockLowMhz);
        }

        return Status.Ok;
    }

    public void Dispose()
    {
    }
}
