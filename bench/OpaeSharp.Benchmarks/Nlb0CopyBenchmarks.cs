using OpaeSharp.Devices.Simulated.Afus;
using BenchmarkDotNet.Attributes;
using OpaeSharp.Devices.Simulated;
using OpaeSharp.Interop;
using OpaeSharp.Memory;

namespace OpaeSharp.Benchmarks;

/// <summary>
/// The simulated NLB0 copying 64 MiB between two prepared buffers (program CSRs, start, poll the
/// DSM, stop) against a plain memory copy of the same bytes between the same buffers.
/// Target: NLB0 bandwidth ≥ 80 % of memcpy, i.e. Ratio ≤ 1.25, for buffers the library allocated.
/// The same copy between PREALLOCATED (caller) buffers goes through the pages pinned at prepare
/// time (io_uring registered buffers and a pipe), and is shown for what it costs.
/// </summary>
public class Nlb0CopyBenchmarks
{
    private const long Length = 64L << 20;

    private Accelerator _accelerator = null!;
    private SharedBuffer _dsm = null!;
    private SharedBuffer _source = null!;
    private SharedBuffer _destination = null!;
    private nint _callerMemory;
    private SharedBuffer _callerSource = null!;
    private SharedBuffer _callerDestination = null!;

    [GlobalSetup]
    public void Setup()
    {
        _accelerator = BenchSetup.Open(PageSizes.Small);
        _dsm = _accelerator.PrepareBuffer(4096);
        _source = _accelerator.PrepareBuffer(Length);
        _destination = _accelerator.PrepareBuffer(Length);
        _source.Fill(0xAF);
        _callerMemory = Libc.Mmap(0, (nuint)(2 * Length), Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0, out _);
        _callerSource = _accelerator.AttachBuffer(_callerMemory, Length);
        _callerDestination = _accelerator.AttachBuffer(_callerMemory + (nint)Length, Length);
        _callerSource.Fill(0xAF);
        _accelerator.Reset();
        _accelerator.WriteMmio64(Nlb0Afu.DsmBase, _dsm.IoAddress);
        _accelerator.WriteMmio32(Nlb0Afu.Ctl, 0);
        _accelerator.WriteMmio32(Nlb0Afu.Ctl, 1);
        _accelerator.WriteMmio64(Nlb0Afu.SrcAddr, _source.IoAddress >> 6);
        _accelerator.WriteMmio64(Nlb0Afu.DstAddr, _destination.IoAddress >> 6);
        _accelerator.WriteMmio32(Nlb0Afu.NumLines, (uint)(Length / 64));
        _accelerator.WriteMmio32(Nlb0Afu.Cfg, 0x42000);
        Nlb0Copy();
        Nlb0CopyPreallocated();
        if (_source.Compare(_destination, Length) >= 0 || _callerSource.Compare(_callerDestination, Length) >= 0
            || OpaeSharp.Simulation.SimulatedAccelerator.Of(_accelerator)!.DmaFaultCount > 0)
        {
            throw new InvalidOperationException("NLB0 did not copy the buffer");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _accelerator.Dispose();
        Libc.Munmap(_callerMemory, (nuint)(2 * Length));
    }

    [Benchmark(Baseline = true, Description = "memcpy 64 MiB")]
    public unsafe void MemoryCopy() =>
        Buffer.MemoryCopy((void*)_source.Address, (void*)_destination.Address, Length, Length);

    [Benchmark(Description = "NLB0 copy 64 MiB")]
    public void Nlb0Copy() => Run(_source, _destination);

    [Benchmark(Description = "NLB0 copy 64 MiB, PREALLOCATED")]
    public void Nlb0CopyPreallocated() => Run(_callerSource, _callerDestination);

    private void Run(SharedBuffer source, SharedBuffer destination)
    {
        _accelerator.WriteMmio64(Nlb0Afu.SrcAddr, source.IoAddress >> 6);
        _accelerator.WriteMmio64(Nlb0Afu.DstAddr, destination.IoAddress >> 6);
        _dsm.Write((long)Nlb0Afu.DsmStatusComplete, 0UL);

        // Hold in reset and release before each start, as a program running the test again does:
        // it also waits for the previous run's AFU thread to finish, which a bare CTL=3 would not.
        _accelerator.WriteMmio32(Nlb0Afu.Ctl, 0);
        _accelerator.WriteMmio32(Nlb0Afu.Ctl, 1);
        _accelerator.WriteMmio32(Nlb0Afu.Ctl, 3);
        if (!_dsm.Poll((long)Nlb0Afu.DsmStatusComplete, 1UL, 1UL, TimeSpan.FromSeconds(10)))
        {
            throw new InvalidOperationException("NLB0 did not complete");
        }

        _accelerator.WriteMmio32(Nlb0Afu.Ctl, 7);
    }
}
