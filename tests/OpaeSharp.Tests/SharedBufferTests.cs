using System.Buffers;

namespace OpaeSharp.Tests;

public sealed class SharedBufferTests
{
    [Fact]
    public void Typed_writes_read_back_at_any_offset()
    {
        using var acc = TestSim.Open();
        using var buffer = acc.PrepareBuffer(4096);
        buffer.Write(3, 0x1122334455667788UL);
        buffer.Write<uint>(100, 7);
        Assert.Equal(0x1122334455667788UL, buffer.Read<ulong>(3));
        Assert.Equal(7u, buffer.Read<uint>(100));
        Assert.Equal(0x88, buffer.Span[3]);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(4093L)]
    public void Typed_access_outside_the_buffer_is_refused(long offset)
    {
        using var acc = TestSim.Open();
        using var buffer = acc.PrepareBuffer(4096);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Read<uint>(offset));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Write<uint>(offset, 1));
    }

    [Fact]
    public void Fill_of_a_range_touches_only_that_range()
    {
        using var acc = TestSim.Open();
        using var buffer = acc.PrepareBuffer(8192);
        buffer.Fill(0xAB, 4096, 100);
        Assert.Equal(4096, buffer.Span.IndexOf((byte)0xAB));
        Assert.Equal(4096 + 99, buffer.Span.LastIndexOf((byte)0xAB));
    }

    [Fact]
    public void Compare_returns_the_first_differing_offset_or_minus_one()
    {
        using var acc = TestSim.Open();
        using var a = acc.PrepareBuffer(8192);
        using var b = acc.PrepareBuffer(8192);
        a.Fill(1);
        b.Fill(1);
        Assert.Equal(-1, a.Compare(b, 8192));
        b.Write<byte>(5000, 2);
        Assert.Equal(5000, a.Compare(b, 8192));
        Assert.Equal(-1, a.Compare(b, 5000));
    }

    [Fact]
    public void Poll_sees_a_value_another_thread_writes()
    {
        using var acc = TestSim.Open();
        using var buffer = acc.PrepareBuffer(4096);
        var writer = new Thread(() =>
        {
            Thread.Sleep(20);
            buffer.Write<ulong>(0x40, 0x3);
        });
        writer.Start();
        Assert.True(buffer.Poll<ulong>(0x40, 1, 1, TimeSpan.FromSeconds(30)));
        writer.Join();
    }

    [Fact]
    public void Poll_gives_up_when_the_value_never_comes()
    {
        using var acc = TestSim.Open();
        using var buffer = acc.PrepareBuffer(4096);
        Assert.False(buffer.Poll<uint>(0, 1, 1, TimeSpan.FromMilliseconds(10)));
    }

    [Fact]
    public void Memory_and_span_view_the_same_bytes()
    {
        using var acc = TestSim.Open();
        using var buffer = acc.PrepareBuffer(4096);
        buffer.Memory.Span[10] = 99;
        Assert.Equal(99, buffer.Span[10]);
        Assert.Equal(4096, buffer.Memory.Length);
        using var pin = buffer.Memory.Pin();
        unsafe
        {
            Assert.Equal(buffer.Address, (nint)pin.Pointer);
        }
    }

    [Fact]
    public void GetSpan_windows_into_the_buffer_and_checks_its_bounds()
    {
        using var acc = TestSim.Open();
        using var buffer = acc.PrepareBuffer(8192);
        buffer.GetSpan(4096, 16).Fill(5);
        Assert.Equal(5, buffer.Span[4096]);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.GetSpan(8190, 16).Length);
    }

    [Fact]
    public void The_buffer_describes_itself()
    {
        using var acc = TestSim.Open();
        using var buffer = acc.PrepareBuffer(4096, BufferFlags.ReadOnly);
        var text = buffer.ToString();
        Assert.Contains($"buffer {buffer.WorkspaceId}", text, StringComparison.Ordinal);
        Assert.Contains("device read-only", text, StringComparison.Ordinal);
        Assert.Same(acc, buffer.Accelerator);
        Assert.True(acc.TryGetBuffer(buffer.WorkspaceId, out var found));
        Assert.Same(buffer, found);
    }
}
