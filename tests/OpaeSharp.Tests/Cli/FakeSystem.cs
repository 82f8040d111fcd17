using OpaeSharp.Devices;
using OpaeSharp.Devices.Vfio;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Cli;

/// <summary>A machine for the <c>opae</c> command to look at: a fake kernel (sysfs, /dev) and a simulator of its own.</summary>
internal sealed class FakeSystem : IDisposable
{
    public FakeSystem() => Backends = new BackendRegistry(Kernel, () => TestSim.NewBackend(), new VfioOptions());

    /// <summary>A machine whose simulator is built from <paramref name="simulator"/>.</summary>
    public FakeSystem(OpaeSharp.Simulation.SimulatorConfiguration simulator) =>
        Backends = new BackendRegistry(Kernel, () => TestSim.NewBackend(new OpaeSharp.Devices.Simulated.SimulatorOptions { Configuration = simulator }), new VfioOptions());

    public FakeKernel Kernel { get; } = new();

    public BackendRegistry Backends { get; }

    public FakeSystem HugePages(long pageSizeKiB, long free, long total)
    {
        Kernel.WriteFile($"/sys/kernel/mm/hugepages/hugepages-{pageSizeKiB}kB/free_hugepages", $"{free}");
        Kernel.WriteFile($"/sys/kernel/mm/hugepages/hugepages-{pageSizeKiB}kB/nr_hugepages", $"{total}");
        return this;
    }

    public FakeSystem Dir(string path)
    {
        Kernel.MakeDirectory(path);
        return this;
    }

    public void Dispose() => Kernel.Dispose();
}
