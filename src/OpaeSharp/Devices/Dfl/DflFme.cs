using Microsoft.Extensions.Logging;
using OpaeSharp.Devices.Kernel;
using OpaeSharp.Diagnostics;
using OpaeSharp.Enumeration;
using OpaeSharp.Interop;
using DflApi = OpaeSharp.Interop.Dfl;

namespace OpaeSharp.Devices.Dfl;

/// <summary>
/// A card's FME device node (<c>/dev/dfl-fme.N</c>, or the legacy <c>/dev/intel-fpga-fme.N</c>),
/// opened for one partial reconfiguration (<c>DFL_FPGA_FME_PORT_PR</c>). The image's interface id
/// is checked against the FME's first, as OPAE does; the driver's EBUSY is BUSY, any other refusal RECONF_ERROR.
/// </summary>
internal sealed class DflFme(IKernel kernel, DflDriver driver, AcceleratorToken device) : IFpgaDevice
{
    public unsafe Status Reconfigure(int slot, ReadOnlySpan<byte> bitstream, GreenBitstream image, ReconfigureOptions options)
    {
        if (device.Guid != Guid.Empty && image.InterfaceId != device.Guid)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"the image was built for interface {image.InterfaceId}; {device.Name} has interface {device.Guid}");
        }

        if ((options & ReconfigureOptions.SkipUserClock) == 0 && image.ClockHighMhz > 0)
        {
            // The clock stays as it is; say so rather than fail the load.
            OpaeLogging.Logger.LogWarning("{Device}: the image asks for a {Mhz} MHz user clock; this library cannot program a DFL user clock, so it stays as it is", device.Name, image.ClockHighMhz);
        }

        var errno = kernel.Open(device.Name, Libc.O_RDWR | Libc.O_CLOEXEC, out var fd);
        if (errno != Errno.None)
        {
            return KernelErrors.Failure($"open {device.Name}", errno, KernelErrors.OpenHint(device.Name, errno));
        }

        using (fd)
        {
            var payload = bitstream[image.PayloadOffset..];
            fixed (byte* data = payload)
            {
                int result;
                if (driver.HasDirectionFlags)
                {
                    var request = new IntelFpga.fpga_fme_port_pr
                    {
                        argsz = (uint)sizeof(IntelFpga.fpga_fme_port_pr),
                        port_id = (uint)slot,
                        buffer_size = (uint)payload.Length,
                        buffer_address = (ulong)data,
                    };
                    result = kernel.Ioctl(fd!, IntelFpga.FPGA_FME_PORT_PR, (nint)(&request), out errno);
                }
                else
                {
                    var request = new DflApi.dfl_fpga_fme_port_pr
                    {
                        argsz = (uint)sizeof(DflApi.dfl_fpga_fme_port_pr),
                        port_id = (uint)slot,
                        buffer_size = (uint)payload.Length,
                        buffer_address = (ulong)data,
                    };
                    result = kernel.Ioctl(fd!, DflApi.DFL_FPGA_FME_PORT_PR, (nint)(&request), out errno);
                }

                if (result < 0)
                {
                    return errno == Errno.EBUSY
                        ? Status.Fail(FpgaResult.Busy, $"{device.Name}: port {slot} is in use (close its handles, or reconfigure with FPGA_RECONF_FORCE)")
                        : Status.Fail(FpgaResult.ReconfError, $"{device.Name}: the driver refused the bitstream for port {slot}: {Libc.StrError(errno)}");
                }
            }
        }

        return Status.Ok;
    }

    public void Dispose()
    {
    }
}
