namespace OpaeSharp;

/// <summary>How <see cref="Accelerator.Reconfigure"/> loads a partial bitstream (<c>fpga_reconf_flags</c>), with OPAE's values.</summary>
[Flags]
public enum ReconfigureOptions
{
    /// <summary>Refuse (BUSY) while the slot's accelerator is open; program the user clock the image asks for.</summary>
    None = 0,

    /// <summary>Reprogram even while the slot is in use.</summary>
    Force = 1 << 0,

    /// <summary>Leave the user clock as it is.</summary>
    SkipUserClock = 1 << 1,
}
