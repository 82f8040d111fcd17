using OpaeSharp.Devices.Dfl;
using OpaeSharp.Enumeration;
using OpaeSharp.Events;
using OpaeSharp.Interop;
using OpaeSharp.Tests.Devices.Dfl;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Events;

/// <summary>
/// Waiting for events: no thread per wait, no spinning, nothing lost between waits. Driven through a
/// fake DFL port so the interrupts come when the test says and the kernel seam counts the waits.
/// </summary>
public sealed class AcceleratorEventTests : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private readonly FakeKernel _kernel = new();
    private readonly FakeDflPort _port;

    public AcceleratorEventTests()
    {
        _port = FakeDflCards.Add(_kernel, legacy: false);
        _port.UserIrqs.Count = 4;
    }

    private static CancellationToken Test => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Interrupts_raised_before_the_wait_are_counted_not_lost()
    {
        using var acc = Open();
        using var ev = acc.RegisterEvent(FpgaEventType.Interrupt, 0);
        _port.UserIrqs.Raise(0);
        _port.UserIrqs.Raise(0);
        _port.UserIrqs.Raise(0);

        var wait = ev.WaitAsync(Test);

        Assert.True(wait.IsCompletedSuccessfully);
        Assert.Equal(3UL, await wait);
        Assert.Equal(0, _kernel.Calls(Syscall.EpollWait));
    }

    [Fact]
    public async Task A_pending_wait_blocks_in_one_epoll_wait_instead_of_spinning()
    {
        using var acc = Open();
        using var ev = acc.RegisterEvent(FpgaEventType.Interrupt, 1);
        var wait = ev.WaitAsync(Test).AsTask();

        // Long enough for a polling loop to have gone round many times.
        await Task.Delay(300, Test);
        Assert.False(wait.IsCompleted);
        var whileWaiting = _kernel.Calls(Syscall.EpollWait);
        _port.UserIrqs.Raise(1);

        Assert.Equal(1UL, await wait.WaitAsync(s_wait, Test));
        Assert.Equal(1, whileWaiting);
    }

    [Fact]
    public async Task Cancelling_a_wait_ends_it_and_the_poller_thread_goes_away()
    {
        using var acc = Open();
        using var ev = acc.RegisterEvent(FpgaEventType.Interrupt, 0);
        using var cancel = new CancellationTokenSource();
        var wait = ev.WaitAsync(cancel.Token).AsTask();
        var poller = EventPoller.For(_kernel);
        Assert.True(poller.IsRunning);

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(s_wait, Test));
        Assert.Equal(0, poller.Pending);
        await WaitUntil(() => !poller.IsRunning);

        // The event still works, and a new wait starts the poller again.
        var next = ev.WaitAsync(Test).AsTask();
        _port.UserIrqs.Raise(0);
        Assert.Equal(1UL, await next.WaitAsync(s_wait, Test));
    }

    [Fact]
    public async Task Disposing_the_event_during_a_wait_ends_the_wait_with_object_disposed()
    {
        using var acc = Open();
        var ev = acc.RegisterEvent(FpgaEventType.Interrupt, 0);
        var wait = ev.WaitAsync(Test).AsTask();

        ev.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => wait.WaitAsync(s_wait, Test));
        Assert.Empty(_port.UserIrqs.Bound);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await ev.WaitAsync(Test));
    }

    [Fact]
    public async Task A_second_concurrent_wait_on_one_event_is_refused()
    {
        using var acc = Open();
        using var ev = acc.RegisterEvent(FpgaEventType.Interrupt, 0);
        var first = ev.WaitAsync(Test).AsTask();

        // Refused synchronously, before any task exists.
        Assert.Throws<InvalidOperationException>(() => { _ = ev.WaitAsync(Test).AsTask(); });

        _port.UserIrqs.Raise(0);
        Assert.Equal(1UL, await first.WaitAsync(s_wait, Test));
    }

    [Fact]
    public async Task Waits_on_several_events_are_served_by_one_poller_and_each_gets_its_own_interrupt()
    {
        using var acc = Open();
        var events = Enumerable.Range(0, 4).Select(v => acc.RegisterEvent(FpgaEventType.Interrupt, v)).ToList();
        try
        {
            var waits = events.Select(e => e.WaitAsync(Test).AsTask()).ToList();
            _port.UserIrqs.Raise(2);

            Assert.Equal(1UL, await waits[2].WaitAsync(s_wait, Test));
            Assert.False(waits[0].IsCompleted || waits[1].IsCompleted || waits[3].IsCompleted);
            foreach (var v in (int[])[0, 1, 3])
            {
                _port.UserIrqs.Raise(v);
            }

            var rest = await Task.WhenAll(waits[0], waits[1], waits[3]).WaitAsync(s_wait, Test);
            Assert.Equal(new[] { 1UL, 1UL, 1UL }, rest);
        }
        finally
        {
            events.ForEach(e => e.Dispose());
        }
    }

    [Theory]
    [InlineData(FpgaEventType.Interrupt, -1)]
    [InlineData(FpgaEventType.Error, 1)]
    [InlineData((FpgaEventType)7, 0)]
    public void A_negative_vector_a_vector_for_an_event_without_vectors_or_an_unknown_type_is_invalid_param(FpgaEventType type, int vector)
    {
        using var acc = Open();
        Assert.False(acc.TryRegisterEvent(type, vector, out var registration, out var result));
        Assert.Null(registration);
        Assert.Equal(FpgaResult.InvalidParam, result);
    }

    [Fact]
    public void A_refused_registration_leaves_no_eventfd_open()
    {
        using var acc = Open();
        var open = _kernel.OpenDescriptors;

        Assert.False(acc.TryRegisterEvent(FpgaEventType.PowerThermal, 0, out _, out _));

        Assert.Equal(open, _kernel.OpenDescriptors);
        Assert.Equal(0, acc.Events.Count);
    }

    [Fact]
    public void An_eventfd_that_cannot_be_made_fails_the_registration_cleanly()
    {
        using var acc = Open();
        _kernel.Fail(Syscall.EventFd, Errno.EMFILE);

        TestSim.Fails(FpgaResult.Exception, () => acc.RegisterEvent(FpgaEventType.Interrupt, 0));
        Assert.Empty(_port.UserIrqs.Bound);
    }

    [Fact]
    public void Registering_on_a_closed_handle_is_invalid_param()
    {
        var acc = Open();
        acc.Dispose();
        TestSim.Fails(FpgaResult.InvalidParam, () => acc.RegisterEvent(FpgaEventType.Interrupt, 0));
    }

    public void Dispose() => _kernel.Dispose();

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10, Test);
        }

        Assert.True(condition());
    }

    private Accelerator Open() =>
        Accelerator.Open(new DflBackend(_kernel, DflDriver.Upstream).Enumerate().First(t => t.ObjectType == FpgaObjectType.Accelerator));
}
