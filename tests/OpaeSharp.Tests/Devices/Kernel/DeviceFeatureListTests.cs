using OpaeSharp.Devices.Simulated.Afus;
using OpaeSharp.Devices.Kernel;
using OpaeSharp.Devices.Simulated;
using OpaeSharp.Tests.Devices.Vfio;

namespace OpaeSharp.Tests.Devices.Kernel;

public sealed class DeviceFeatureListTests
{
    private const ulong Size = 0x10000;

    private readonly Dictionary<ulong, ulong> _bar = [];

    [Fact]
    public void The_two_guid_halves_read_high_then_low_give_opae_s_guid_string()
    {
        Assert.Equal(Nlb0Afu.Id, DeviceFeatureList.ToGuid(0xF89E433683F9040B, 0xD8424DC4A4A3C413));
    }

    [Fact]
    public void A_dfh_v1_afu_with_a_child_guid_parameter_names_its_children_in_order()
    {
        PutMultiPortAfu(children: 2);
        Assert.Equal(
            [DeviceFeatureList.ToGuid(0xA0, 0xB0), DeviceFeatureList.ToGuid(0xA1, 0xB1)],
            DeviceFeatureList.ChildAfus(o => _bar.GetValueOrDefault(o), Size));
    }

    [Fact]
    public void A_dfh_v0_afu_has_no_children_even_with_the_same_words_after_it()
    {
        PutMultiPortAfu(children: 1);
        _bar[0] &= ~(0xffUL << 52);
        Assert.Empty(DeviceFeatureList.ChildAfus(o => _bar.GetValueOrDefault(o), Size));
    }

    [Fact]
    public void Parameters_other_than_the_child_list_are_skipped_to_the_end_of_parameters()
    {
        PutMultiPortAfu(children: 1);

        // A parameter id 1 of 2 u64s first, then the child list.
        _bar[0x28] = (2UL << 35) | 1;
        _bar[0x38] = (1UL << 32) | (2UL << 35) | 2;
        _bar[0x40] = 0xC0;
        _bar[0x48] = 0xD0;
        Assert.Equal([DeviceFeatureList.ToGuid(0xC0, 0xD0)], DeviceFeatureList.ChildAfus(o => _bar.GetValueOrDefault(o), Size));
    }

    [Fact]
    public void An_afu_without_a_parameter_block_has_no_children()
    {
        PutMultiPortAfu(children: 1);
        _bar[0x20] = 0;
        Assert.Empty(DeviceFeatureList.ChildAfus(o => _bar.GetValueOrDefault(o), Size));
    }

    /// <summary>OFS's multi-port AFU: DFH v1 (version 1 in bits 59:52), parameters present (bit 31 at 0x20), parameter id 2 at 0x28 listing child GUIDs.</summary>
    private void PutMultiPortAfu(int children)
    {
        _bar[0] = (1UL << 60) | (1UL << 52) | (1UL << 40);
        _bar[0x20] = 1UL << 31;

        // Next offset in u64s (bits 63:35): the header plus two u64 per child; end of parameters in bit 32.
        _bar[0x28] = (1UL << 32) | ((ulong)(1 + (2 * children)) << 35) | 2;
        for (var i = 0; i < children; i++)
        {
            _bar[0x30 + (ulong)(16 * i)] = 0xA0 + (ulong)i;
            _bar[0x38 + (ulong)(16 * i)] = 0xB0 + (ulong)i;
        }
    }

    [Fact]
    public void An_afu_header_at_offset_0_is_found_with_the_guid_that_follows_it()
    {
        PutAfu(0, 0x1111_2222_3333_4444, 0x5555_6666_7777_8888);
        Assert.Equal(DeviceFeatureList.ToGuid(0x1111_2222_3333_4444, 0x5555_6666_7777_8888), Find(out _));
    }

    [Fact]
    public void Fiu_and_private_features_are_followed_by_their_next_offsets_to_the_afu()
    {
        _bar[0] = FakeVfio.Dfh(4, 0x1000, last: false);
        _bar[0x1000] = FakeVfio.Dfh(3, 0x40, last: false);
        PutAfu(0x1040, 7, 9);

        Assert.Equal(DeviceFeatureList.ToGuid(7, 9), Find(out _));
    }

    [Fact]
    public void A_list_that_ends_without_an_afu_has_none_and_says_how_many_headers_it_read()
    {
        _bar[0] = FakeVfio.Dfh(4, 0x1000, last: false);
        _bar[0x1000] = FakeVfio.Dfh(3, 0x40, last: true);

        Assert.Null(Find(out var reason));
        Assert.Contains("2 headers", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bar_whose_first_word_is_no_feature_header_like_qemu_edu_s_id_register_has_no_list()
    {
        // edu: identification 0x010000ed at 0x0; an 8-byte read there returns all ones.
        _bar[0] = ulong.MaxValue;
        Assert.Null(Find(out var reason));
        Assert.Contains("no device feature list", reason, StringComparison.Ordinal);

        _bar[0] = 0x0000_0000_0100_00ed;
        Assert.Null(Find(out reason));
        Assert.Contains("no device feature list", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_next_offset_past_the_end_of_the_bar_stops_the_walk()
    {
        _bar[0] = FakeVfio.Dfh(4, Size, last: false);
        Assert.Null(Find(out var reason));
        Assert.Contains("past the end", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_next_offset_without_end_of_list_stops_instead_of_looping()
    {
        _bar[0] = FakeVfio.Dfh(4, 0, last: false);
        Assert.Null(Find(out var reason));
        Assert.Contains("no AFU", reason, StringComparison.Ordinal);
    }

    private void PutAfu(ulong at, ulong low, ulong high)
    {
        _bar[at] = FakeVfio.Dfh(1, 0, last: true);
        _bar[at + 8] = low;
        _bar[at + 0x10] = high;
    }

    private Guid? Find(out string reason) => DeviceFeatureList.FindAfu(o => _bar.GetValueOrDefault(o), Size, out reason);
}
