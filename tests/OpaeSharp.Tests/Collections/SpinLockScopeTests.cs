using OpaeSharp.Collections;

namespace OpaeSharp.Tests.Collections;

public sealed class SpinLockScopeTests
{
    private SpinLock _lock = new(enableThreadOwnerTracking: false);
    private long _counter;

    [Fact]
    public void Two_threads_incrementing_under_the_scope_lose_no_increment()
    {
        const int PerThread = 200_000;
        var threads = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                using (new SpinLockScope(ref _lock))
                {
                    // A read and a write apart: without mutual exclusion increments are lost.
                    var seen = _counter;
                    Thread.SpinWait(1);
                    _counter = seen + 1;
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(2L * PerThread, _counter);
        Assert.False(_lock.IsHeld);
    }

    [Fact]
    public void An_exception_inside_the_scope_leaves_the_lock_free()
    {
        Assert.Throws<InvalidOperationException>(ThrowInside);
        Assert.False(_lock.IsHeld);
    }

    private void ThrowInside()
    {
        using (new SpinLockScope(ref _lock))
        {
            throw new InvalidOperationException("inside");
        }
    }
}
