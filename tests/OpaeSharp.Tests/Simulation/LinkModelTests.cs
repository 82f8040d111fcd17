using Microsoft.Extensions.Time.Testing;
using OpaeSharp.Simulation;
using OpaeSharp.Tests.Devices.Simulated.Afus;
using HE = OpaeSharp.Devices.Simulated.Afus.HostExerciserAfu;

namespace OpaeSharp.Tests.Simulation;

/// <summary>DMA paced by the card's link, on a fake clock so the figures are exact.</summary>
public sealed class LinkModelTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void The_tick_count_follows_the_configured_bandwidth_and_latency()
    {
        var time = new FakeTimeProvider();
        var simulator = Simulator.Create(Card(time, new LinkModel(16, TimeSpan.FromMicroseconds(0.8))));
        using var acc = TestSim.Open(simulator, HE.LoopbackId);
        const int Bytes = 1 << 20;

        var ticks = RunLoopback(acc, Bytes, time);

        // Reads and writes overlap (full duplex): the copy takes one direction's time, plus the latency
        // (within the 100 ns a fake clock resolves).
        var expected = ((Bytes / 16e9) + 0.8e-6) * HE.ClockMHz * 1e6;
        Assert.InRange(ticks, expected - 40, expected + 40);
        var bandwidth = Bytes * HE.ClockMHz * 1e6 / ticks / 1e9;
        Assert.InRange(bandwidth, 15.5, 16.0);
    }

    [Fact]
    public void Halving_the_bandwidth_doubles_the_transfer_time()
    {
        var fast = new FakeTimeProvider();
        var slow = new FakeTimeProvider();
        using var a = TestSim.Open(Simulator.Create(Card(fast, new LinkModel(8, TimeSpan.Zero))), HE.LoopbackId);
        using var b = TestSim.Open(Simulator.Create(Card(slow, new LinkModel(4, TimeSpan.Zero))), HE.LoopbackId);
        var ticksFast = RunLoopback(a, 1 << 20, fast);
        var ticksSlow = RunLoopback(b, 1 << 20, slow);
        Assert.InRange(ticksSlow / ticksFast, 1.995, 2.005);
    }

    [Fact]
    public void A_transfer_longer_than_the_pacing_quantum_waits_for_the_clock_to_reach_its_end()
    {
        var time = new FakeTimeProvider();
        var simulator = Simulator.Create(Card(time, new LinkModel(1, TimeSpan.Zero)));
        using var acc = TestSim.Open(simulator, HE.LoopbackId);

        // 4 MiB at 1 GB/s: 4.2 ms of link time, more than the 1 ms the clock may run ahead.
        using var buffers = new HostExerciserBuffers(acc, 4 << 20);
        buffers.Start();
        Assert.True(SpinWait.SpinUntil(() => TestSim.PortOf(acc).Worker.IsBusy, Timeout));
        Thread.Sleep(20);
        Assert.Equal(0u, buffers.Dsm.Read<uint>(0));
        Assert.Equal(0UL, acc.ReadMmio64(HE.Status0) >> 32);

        while (buffers.Dsm.Read<uint>(0) == 0)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            Thread.Sleep(1);
        }

        // 4.2 ms of link time, less the 1 ms the clock may run ahead: it cannot have finished sooner.
        Assert.True(time.GetUtcNow() - time.Start >= TimeSpan.FromMilliseconds(3));
    }

    [Fact]
    public void Without_a_link_model_dma_needs_no_time_to_pass()
    {
        var time = new FakeTimeProvider();
        var simulator = Simulator.Create(Card(time, link: null));
        using var acc = TestSim.Open(simulator, HE.LoopbackId);
        using var buffers = new HostExerciserBuffers(acc, 4 << 20);
        buffers.Start();
        Assert.True(buffers.Dsm.Poll<uint>(0, 1, 1, Timeout));
        Assert.Equal(1UL, buffers.Dsm.Read<ulong>((long)HE.DsmNumTicks));
    }

    [Fact]
    public void A_reset_ends_a_paced_transfer_that_waits_for_the_clock()
    {
        var time = new FakeTimeProvider();
        var simulator = Simulator.Create(Card(time, new LinkModel(0.001, TimeSpan.Zero)));
        using var acc = TestSim.Open(simulator, HE.LoopbackId);
        using var buffers = new HostExerciserBuffers(acc, 1 << 20);
        buffers.Start();
        Assert.True(SpinWait.SpinUntil(() => TestSim.PortOf(acc).Worker.IsBusy, Timeout));
        acc.Reset();
        Assert.False(TestSim.PortOf(acc).Worker.IsBusy);
        Assert.Equal(0u, buffers.Dsm.Read<uint>(0));
    }

    /// <summary>
    /// One copy short enough that the clock never runs a pacing quantum ahead, so the AFU never
    /// waits: the fake clock stays put and the ticks are the link model's alone.
    /// </summary>
    private static double RunLoopback(Accelerator acc, int bytes, FakeTimeProvider time)
    {
        using var buffers = new HostExerciserBuffers(acc, bytes);
        var before = time.GetUtcNow();
        buffers.Start();
        Assert.True(buffers.Dsm.Poll<uint>(0, 1, 1, Timeout));
        Assert.Equal(before, time.GetUtcNow());
        return buffers.Dsm.Read<ulong>((long)HE.DsmNumTicks);
    }

    private static SimulatorConfiguration Card(TimeProvider time, LinkModel? link)
    {
        var configuration = new SimulatorConfiguration { Time = time };
        configuration.Cards.Add(new SimulatedCardConfiguration { Link = link, Ports = { "he-lpbk" } });
        return configuration;
    }
}
