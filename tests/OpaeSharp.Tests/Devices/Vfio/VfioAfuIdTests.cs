using OpaeSharp.Devices.Simulated.Afus;
using OpaeSharp.Devices.Simulated;
using OpaeSharp.Devices.Vfio;
using OpaeSharp.Enumeration;
using OpaeSharp.Interop;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Devices.Vfio;

/// <summary>The AFU id of a function bound to vfio-pci, read from BAR 0's feature list at enumeration.</summary>
public sealed class VfioAfuIdTests : IDisposable
{
    private const uint MapDma = 0x3b71;

    private readonly FakeKernel _kernel = new();
    private readonly FakeVfio _vfio;
    private readonly VfioBackend _backend;

    public VfioAfuIdTests()
    {
        _vfio = new FakeVfio(_kernel);
        _backend = new VfioBackend(_kernel, new VfioOptions());
    }

    [Fact]
    public void An_afu_header_in_bar_0_gives_the_accelerator_its_guid()
    {
        _vfio.LoadAfu(Nlb0Afu.Id);
        Assert.Equal(Nlb0Afu.Id, Accelerator().Guid);
    }

    [Fact]
    public void A_filter_for_the_afu_guid_finds_the_function()
    {
        _vfio.LoadAfu(Nlb0Afu.Id);
        var filter = AcceleratorFilter.ForAfu(Nlb0Afu.Id);
        Assert.Single(_backend.Enumerate(), filter.Matches);
    }

    [Fact]
    public void The_afu_is_found_behind_other_features_of_the_list()
    {
        _vfio.WriteBar0(0, FakeVfio.Dfh(4, 0x100, last: false));
        _vfio.WriteBar0(0x100, FakeVfio.Dfh(3, 0x100, last: false));
        _vfio.LoadAfu(Nlb0Afu.Id, at: 0x200);
        Assert.Equal(Nlb0Afu.Id, Accelerator().Guid);
    }

    [Fact]
    public void A_bar_0_without_an_afu_header_like_qemu_s_edu_gives_an_empty_guid_and_the_token_says_why()
    {
        _vfio.WriteBar0(0, 0x0100_00ed);

        var token = Accelerator();
        Assert.Equal(Guid.Empty, token.Guid);
        Assert.Contains("AFU id unknown: BAR 0 holds no device feature list", token.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_group_another_process_holds_gives_an_empty_guid_and_the_token_says_it_is_busy()
    {
        _vfio.LoadAfu(Nlb0Afu.Id);
        Assert.Equal(Errno.None, _kernel.Open("/dev/vfio/7", Libc.O_RDWR, out var other));
        using (other)
        {
            var token = Accelerator();
            Assert.Equal(Guid.Empty, token.Guid);
            Assert.Contains("AFU id unknown", token.ToString(), StringComparison.Ordinal);
            Assert.Contains("EBUSY", token.ToString(), StringComparison.Ordinal);
        }

        Assert.Equal(Nlb0Afu.Id, Accelerator().Guid);
    }

    [Fact]
    public void A_group_without_permission_gives_an_empty_guid_and_says_so()
    {
        _vfio.LoadAfu(Nlb0Afu.Id);
        _kernel.FailOpen("/dev/vfio/7", Errno.EACCES);
        Assert.Equal(Guid.Empty, Accelerator().Guid);
    }

    [Fact]
    public void Reading_the_afu_id_reads_bar_0_with_pread_then_closes_the_device_and_maps_nothing()
    {
        _vfio.LoadAfu(Nlb0Afu.Id);
        Assert.Equal(Nlb0Afu.Id, Accelerator().Guid);

        Assert.True(_vfio.Bar0Reads >= 3);
        Assert.Equal(0, _kernel.OpenDescriptors);
        Assert.Equal(0, _kernel.LiveMappings);
        Assert.False(_vfio.GroupOpen);
        Assert.DoesNotContain(_kernel.Ioctls, c => c.Request == MapDma);
        Assert.Equal(0, _vfio.Command & OpaeSharp.Interop.Vfio.PCI_COMMAND_MASTER);
    }

    [Fact]
    public void An_accelerator_open_in_this_process_keeps_its_guid_without_a_second_open_of_the_group()
    {
        _vfio.LoadAfu(Nlb0Afu.Id);
        using var acc = OpaeSharp.Accelerator.Open(Accelerator());
        var reads = _vfio.Bar0Reads;

        Assert.Equal(Nlb0Afu.Id, Accelerator().Guid);
        Assert.Equal(reads, _vfio.Bar0Reads);
    }

    [Fact]
    public async Task Probing_from_one_thread_never_makes_an_open_from_another_busy()
    {
        _vfio.LoadAfu(Nlb0Afu.Id);
        var token = Accelerator();
        var failures = 0;
        var enumerator = Task.Run(() =>
        {
            for (var i = 0; i < 30; i++)
            {
                _ = _backend.Enumerate().Select(t => t.Guid).ToList();
            }
        }, TestContext.Current.CancellationToken);
        for (var i = 0; i < 30; i++)
        {
            try
            {
                using var acc = OpaeSharp.Accelerator.Open(token);
            }
            catch (OpaeException)
            {
                failures++;
            }
        }

        await enumerator;
        Assert.Equal(0, failures);
    }

    public void Dispose() => _kernel.Dispose();

    private AcceleratorToken Accelerator() => _backend.Enumerate().Single(t => t.ObjectType == FpgaObjectType.Accelerator);
}
