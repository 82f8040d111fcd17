using OpaeSharp.Devices.Simulated.Afus;

namespace OpaeSharp.Tests.Devices.Simulated;

public sealed class AfuWorkerTests
{
    [Fact]
    public void Work_queued_while_the_port_is_closed_is_dropped_and_makes_no_thread()
    {
        var simulator = TestSim.Create("nlb0");
        var port = simulator.Backend.Cards[0].Ports[0];
        Assert.False(port.Afu.Context.Run(_ => { }));
        Assert.False(port.Worker.HasThread);

        // An MMIO write that raced the last close: the start is dropped, no thread outlives the close.
        var acc = TestSim.Open(simulator, Nlb0Afu.Id);
        acc.Dispose();
        Assert.False(port.Afu.Context.Run(_ => { }));
        Assert.False(port.Worker.HasThread);
    }

    [Fact]
    public void Work_runs_in_order_on_one_thread_while_the_port_is_open()
    {
        var simulator = TestSim.Create("nlb0");
        using var acc = TestSim.Open(simulator, Nlb0Afu.Id);
        var port = TestSim.PortOf(acc);
        var order = new List<int>();
        var threads = new HashSet<int>();
        using var done = new ManualResetEventSlim();
        for (var i = 0; i < 5; i++)
        {
            var n = i;
            Assert.True(port.Afu.Context.Run(_ =>
            {
                order.Add(n);
                threads.Add(Environment.CurrentManagedThreadId);
                if (n == 4)
                {
                    done.Set();
                }
            }));
        }

        Assert.True(done.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Equal([0, 1, 2, 3, 4], order);
        Assert.Single(threads);
    }

    [Fact]
    public void Work_that_throws_is_logged_and_the_worker_goes_on()
    {
        var simulator = TestSim.Create("nlb0");
        using var acc = TestSim.Open(simulator, Nlb0Afu.Id);
        var port = TestSim.PortOf(acc);
        using var done = new ManualResetEventSlim();
        port.Afu.Context.Run(_ => throw new InvalidOperationException("model bug"));
        port.Afu.Context.Run(_ => done.Set());
        Assert.True(done.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Equal(1, port.Worker.Failures);
    }
}
