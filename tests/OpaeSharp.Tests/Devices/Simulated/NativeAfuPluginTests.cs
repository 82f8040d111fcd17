using System.Diagnostics;
using OpaeSharp.Interop;
using OpaeSharp.Simulation;
using static OpaeSharp.Interop.SimAfuAbi;

namespace OpaeSharp.Tests.Devices.Simulated;

/// <summary>
/// The C plugin ABI from the .NET side: the struct layout opae/sim-afu.h declares, and the example
/// plugin (tests/native/plugins/fill_afu.c) compiled here with the system's C compiler and loaded
/// into a .NET simulator. tests/native drives the same plugin through libopae-c.
/// </summary>
public sealed unsafe class NativeAfuPluginTests
{
    private static readonly Guid FillId = new("3c4f8d2e-7b1a-4c55-9e0f-1d2c3b4a5968");
    private static readonly Lazy<string?> s_plugin = new(Build);

    [Fact]
    public void The_abi_structs_have_the_layout_of_the_c_header()
    {
        Assert.Equal(144, sizeof(opae_sim_afu));
        Assert.Equal(88, sizeof(opae_sim_afu_host));
        opae_sim_afu afu;
        Assert.Equal(16, (int)((byte*)afu.afu_id - (byte*)&afu));
        Assert.Equal(88, (int)((byte*)&afu.state - (byte*)&afu));
        Assert.Equal(136, (int)((byte*)&afu.destroy - (byte*)&afu));
        opae_sim_afu_host host;
        Assert.Equal(80, (int)((byte*)&host.log - (byte*)&host));
    }

    [Fact]
    public void A_c_plugin_fills_a_buffer_by_dma_and_raises_its_interrupt_in_a_dotnet_process()
    {
        var plugin = Plugin();
        var configuration = new SimulatorConfiguration().AddPlugin("fill-c", plugin);
        configuration.Cards.Add(new SimulatedCardConfiguration { Ports = { "fill-c" } });
        using var acc = TestSim.Open(Simulator.Create(configuration), FillId);
        using var buffer = acc.PrepareBuffer(8192);
        using var done = TestSim.Interrupt(acc, 0);

        acc.WriteMmio64(0x100, buffer.IoAddress);
        acc.WriteMmio64(0x108, 8192);
        acc.WriteMmio64(0x110, 0x3C);

        Assert.Equal(1UL, TestSim.WaitInterrupt(done, TimeSpan.FromSeconds(30)));
        Assert.Equal(2UL, acc.ReadMmio64(0x118));
        Assert.Equal(-1, buffer.Span.IndexOfAnyExcept((byte)0x3C));
        Assert.Equal("fill-c", SimulatedAccelerator.Of(acc)!.Model.Name);
    }

    [Fact]
    public void A_c_plugin_dma_past_its_buffer_is_a_recorded_fault()
    {
        var plugin = Plugin();
        var configuration = new SimulatorConfiguration().AddPlugin("fill-c", plugin);
        configuration.Cards.Add(new SimulatedCardConfiguration { Ports = { "fill-c" } });
        using var acc = TestSim.Open(Simulator.Create(configuration), FillId);
        using var buffer = acc.PrepareBuffer(4096);
        acc.WriteMmio64(0x100, buffer.IoAddress);
        acc.WriteMmio64(0x108, 8192);
        acc.WriteMmio64(0x110, 1);
        Assert.True(SpinWait.SpinUntil(() => acc.ReadMmio64(0x118) == 3, TimeSpan.FromSeconds(30)));
        var fault = Assert.Single(SimulatedAccelerator.Of(acc)!.DmaFaults);
        Assert.Equal(DmaFaultKind.PastEnd, fault.Kind);
        Assert.Equal("fill-c", fault.Initiator);
    }

    [Fact]
    public void A_library_without_the_entry_point_is_not_found()
    {
        var e = TestSim.Fails(FpgaResult.NotFound, () => new SimulatorConfiguration().AddPlugin("libc", "libc.so.6"));
        Assert.Contains(CreateSymbol, e.Message, StringComparison.Ordinal);
    }

    private static string Plugin()
    {
        Assert.SkipWhen(s_plugin.Value is null, "no C compiler (cc) to build tests/native/plugins/fill_afu.c; tests/native runs this plugin through libopae-c");
        return s_plugin.Value!;
    }

    /// <summary>Compiles the example plugin; null when there is no C compiler.</summary>
    private static string? Build()
    {
        var root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "OpaeSharp.slnx")))
        {
            root = Path.GetDirectoryName(root);
        }

        Assert.NotNull(root);
        var output = Path.Combine(Path.GetTempPath(), $"opaesharp-fill-afu-{Environment.ProcessId}.so");
        var start = new ProcessStartInfo("cc")
        {
            ArgumentList =
            {
                "-shared", "-fPIC", "-std=c11", "-Wall", "-Werror", "-O1",
                "-I", Path.Combine(root, "src", "OpaeSharp.Native", "include"),
                "-o", output, Path.Combine(root, "tests", "native", "plugins", "fill_afu.c"),
            },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        try
        {
            using var cc = Process.Start(start)!;
            var errors = cc.StandardError.ReadToEnd();
            cc.WaitForExit();
            Assert.True(cc.ExitCode == 0, $"cc failed: {errors}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }

        return output;
    }
}
