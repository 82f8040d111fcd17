using OpaeSharp.Devices.Kernel;
using OpaeSharp.Interop;

namespace OpaeSharp.Tests.Devices.Kernel;

public sealed class KernelErrorsTests
{
    [Theory]
    [InlineData((int)Errno.EINVAL, FpgaResult.InvalidParam)]
    [InlineData((int)Errno.ENOMEM, FpgaResult.NoMemory)]
    [InlineData((int)Errno.ENOSPC, FpgaResult.NoMemory)]
    [InlineData((int)Errno.EBUSY, FpgaResult.Busy)]
    [InlineData((int)Errno.EACCES, FpgaResult.NoAccess)]
    [InlineData((int)Errno.EPERM, FpgaResult.NoAccess)]
    [InlineData((int)Errno.ENODEV, FpgaResult.NoDriver)]
    [InlineData((int)Errno.ENOENT, FpgaResult.NotFound)]
    [InlineData((int)Errno.EOPNOTSUPP, FpgaResult.NotSupported)]
    [InlineData((int)Errno.EIO, FpgaResult.Exception)]
    public void Errno_maps_to_the_opae_result_the_issue_names(int errno, FpgaResult expected) =>
        Assert.Equal(expected, KernelErrors.ToResult((Errno)errno));

    [Fact]
    public void The_exception_names_the_call_the_errno_and_the_hint()
    {
        var e = KernelErrors.Exception("open /dev/dfl-port.0", Errno.EBUSY, "close the other handle");
        Assert.Equal(FpgaResult.Busy, e.Result);
        Assert.Contains("open /dev/dfl-port.0", e.Message, StringComparison.Ordinal);
        Assert.Contains("EBUSY", e.Message, StringComparison.Ordinal);
        Assert.Contains("close the other handle", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sysfs_entries_are_listed_in_natural_order()
    {
        string[] names = ["dfl-port.10", "dfl-port.2", "dfl-port.1"];
        Array.Sort(names, SysfsFiles.NaturalOrder);
        Assert.Equal(["dfl-port.1", "dfl-port.2", "dfl-port.10"], names);
    }

    [Fact]
    public void Status_on_this_machine_covers_every_backend_with_a_reason()
    {
        var status = OpaeSharp.Devices.BackendRegistry.System.Status();
        Assert.Equal(["sim", "dfl", "intel-fpga", "vfio"], status.Select(s => s.Name));
        Assert.All(status, s => Assert.False(string.IsNullOrWhiteSpace(s.Detail)));
    }
}
