using OpaeSharp.Devices.Kernel;
using OpaeSharp.Interop;

namespace OpaeSharp.Tests.Interop;

/// <summary>The real device-node calls, against a node every Linux machine has.</summary>
public sealed class DeviceSyscallTests
{
    [Fact]
    public void An_ioctl_the_node_does_not_know_fails_with_enotty()
    {
        Assert.Equal(Errno.None, LinuxKernel.Instance.Open("/dev/null", Libc.O_RDWR, out var fd));
        using (fd)
        {
            var rc = LinuxKernel.Instance.Ioctl(fd!, Dfl.DFL_FPGA_GET_API_VERSION, 0, out var errno);
            Assert.Equal(-1, rc);
            Assert.Equal(Errno.ENOTTY, errno);
        }
    }

    [Fact]
    public void Pread_and_pwrite_reach_the_descriptor()
    {
        Assert.Equal(Errno.None, LinuxKernel.Instance.Open("/dev/zero", Libc.O_RDWR, out var fd));
        using (fd)
        {
            var buffer = new byte[8] { 1, 1, 1, 1, 1, 1, 1, 1 };
            Assert.Equal(Errno.None, LinuxKernel.Instance.Pread(fd!, buffer, 0, out var read));
            Assert.Equal(8, read);
            Assert.All(buffer, b => Assert.Equal(0, b));
            Assert.Equal(Errno.None, LinuxKernel.Instance.Pwrite(fd!, buffer, 0, out var written));
            Assert.Equal(8, written);
        }
    }

    [Fact]
    public void Opening_a_missing_node_is_enoent_and_yields_no_descriptor()
    {
        Assert.Equal(Errno.ENOENT, LinuxKernel.Instance.Open("/dev/dfl-port.does-not-exist", Libc.O_RDWR, out var fd));
        Assert.Null(fd);
    }

    [Fact]
    public void A_closed_descriptor_handle_reports_closed()
    {
        Assert.Equal(Errno.None, LinuxKernel.Instance.Open("/dev/null", Libc.O_RDONLY, out var fd));
        fd!.Dispose();
        Assert.True(fd.IsClosed);
    }
}
