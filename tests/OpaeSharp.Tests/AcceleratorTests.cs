namespace OpaeSharp.Tests;

public sealed class AcceleratorTests
{
    [Fact]
    public void Prepare_returns_a_buffer_with_a_nonzero_wsid_and_an_io_address_that_is_not_the_virtual_address()
    {
        using var acc = TestSim.Open();
        using var buffer = acc.PrepareBuffer(4096);
        Assert.NotEqual(0UL, buffer.WorkspaceId);
        Assert.NotEqual((ulong)buffer.Address, buffer.IoAddress);
        Assert.Equal(buffer.IoAddress, acc.GetIoAddress(buffer.WorkspaceId));
    }
}
