using System.Collections.Concurrent;
using OpaeSharp.Dma;

namespace OpaeSharp.Tests.Dma;

public sealed class WorkspaceIdsTests
{
    [Fact]
    public void Ids_issued_from_several_threads_are_unique_and_never_zero()
    {
        var ids = new ConcurrentBag<ulong>();
        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                ids.Add(WorkspaceIds.Next());
            }
        });
        Assert.Equal(40_000, ids.Distinct().Count());
        Assert.DoesNotContain(0UL, ids);
    }
}
