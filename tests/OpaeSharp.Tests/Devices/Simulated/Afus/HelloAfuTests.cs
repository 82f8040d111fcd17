using OpaeSharp.Devices.Simulated.Afus;

namespace OpaeSharp.Tests.Devices.Simulated.Afus;

/// <summary>The AFU of OPAE's hello_afu sample.</summary>
public sealed class HelloAfuTests
{
    [Fact]
    public void The_header_is_an_afu_at_the_end_of_the_list_with_its_id_and_zero_next()
    {
        using var acc = TestSim.Open(TestSim.Create("hello-afu"), HelloAfu.Id);
        Assert.Equal(0x1000010000000000UL, acc.ReadMmio64(0));
        Assert.Equal(0x9722D43375B61C66UL, acc.ReadMmio64(0x8));
        Assert.Equal(0x850ADCC26CEB4B22UL, acc.ReadMmio64(0x10));
        Assert.Equal(0UL, acc.ReadMmio64(0x18));
        Assert.Equal(0UL, acc.ReadMmio64(0x20));
    }

    [Fact]
    public void The_scratch_register_holds_a_value_until_reset()
    {
        using var acc = TestSim.Open(TestSim.Create("hello-afu"), HelloAfu.Id);
        acc.WriteMmio64(HelloAfu.Scratch, 0x0123456789ABCDEF);
        Assert.Equal(0x0123456789ABCDEFUL, acc.ReadMmio64(HelloAfu.Scratch));
        acc.Reset();
        Assert.Equal(0UL, acc.ReadMmio64(HelloAfu.Scratch));
    }
}
