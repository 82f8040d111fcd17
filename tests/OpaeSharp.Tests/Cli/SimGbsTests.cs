using OpaeSharp.Devices;
using OpaeSharp.Devices.Simulated;
using OpaeSharp.Devices.Simulated.Afus;

namespace OpaeSharp.Tests.Cli;

public sealed class SimGbsTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"opaesharp-{Guid.NewGuid():N}.gbs");

    [Fact]
    public void Sim_gbs_writes_an_image_the_simulated_fpga_device_loads()
    {
        var (code, output, _) = CliRunner.Run("sim", "gbs", "-o", _path);

        Assert.Equal(0, code);
        Assert.Contains(SimulatedBackend.InterfaceId.ToString(), output, StringComparison.Ordinal);
        var bytes = File.ReadAllBytes(_path);
        Assert.True(GreenBitstream.TryParse(bytes, out var image).IsOk);
        Assert.Equal(Nlb0Afu.Id, image!.AfuId);

        var backend = TestSim.NewBackend();
        using var fme = Accelerator.Open(TestSim.DeviceOf(backend));
        fme.Reconfigure(bytes);
    }

    [Fact]
    public void Sim_gbs_refuses_an_afu_that_is_not_a_guid()
    {
        var (code, _, error) = CliRunner.Run("sim", "gbs", "--afu", "nlb0", "-o", _path);
        Assert.Equal(2, code);
        Assert.Contains("not a GUID", error, StringComparison.Ordinal);
        Assert.False(File.Exists(_path));
    }

    public void Dispose() => File.Delete(_path);
}
