using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace OpaeSharp.Devices;

/// <summary>
/// A partial bitstream in OPAE's GBS container: a 16-byte GUID marking the format
/// (58656F6E-4650-4741-B747-425376303031), the length of the JSON metadata (32-bit little-endian),
/// the metadata, then the bitstream proper. The metadata's <c>afu-image</c> holds the
/// <c>interface-uuid</c> of the FPGA interface it was built for, a <c>magic-no</c>, optional
/// <c>clock-frequency-high</c>/<c>-low</c> (MHz), and <c>accelerator-clusters</c>, each with an
/// <c>accelerator-type-uuid</c>: the AFU the image contains.
/// </summary>
internal sealed class GreenBitstream
{
    internal static readonly Guid FormatGuid = new("58656F6E-4650-4741-B747-425376303031");

    /// <summary>What OPAE's loaders put in <c>magic-no</c>.</summary>
    internal const int MagicNumber = 488605312;

    private const int HeaderBytes = 20;
    private const int MaxMetadataBytes = 8192;

    private GreenBitstream(Guid interfaceId, Guid afuId, string afuName, int clockHighMhz, int clockLowMhz, int payloadOffset, int length)
    {
        InterfaceId = interfaceId;
        AfuId = afuId;
        AfuName = afuName;
        ClockHighMhz = clockHighMhz;
        ClockLowMhz = clockLowMhz;
        PayloadOffset = payloadOffset;
        Length = length;
    }

    internal Guid InterfaceId { get; }

    internal Guid AfuId { get; }

    internal string AfuName { get; }

    internal int ClockHighMhz { get; }

    internal int ClockLowMhz { get; }

    internal int PayloadOffset { get; }

    internal int Length { get; }

    /// <summary>Reads the header and metadata; INVALID_PARAM (as OPAE) for anything that is not a GBS of this form.</summary>
    internal static Status TryParse(ReadOnlySpan<byte> data, out GreenBitstream? image)
    {
        image = null;
        if (data.Length <= HeaderBytes)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"{data.Length} bytes is too short for a GBS (its header alone is {HeaderBytes})");
        }

        if (new Guid(data[..16], bigEndian: true) != FormatGuid)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"not a GBS file: it does not start with {FormatGuid}");
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(data[16..20]);
        if (length == 0 || length >= MaxMetadataBytes || length > (uint)(data.Length - HeaderBytes))
        {
            return Status.Fail(FpgaResult.InvalidParam, $"GBS metadata length {length} is not within 1..{Math.Min(MaxMetadataBytes - 1, data.Length - HeaderBytes)}");
        }

        try
        {
            using var json = JsonDocument.Parse(data.Slice(HeaderBytes, (int)length).ToArray());
            if (!json.RootElement.TryGetProperty("afu-image", out var afu)
                || !afu.TryGetProperty("interface-uuid", out var ifc) || ifc.ValueKind != JsonValueKind.String
                || !Guid.TryParse(ifc.GetString(), out var interfaceId)
                || !afu.TryGetProperty("magic-no", out _))
            {
                return Status.Fail(FpgaResult.InvalidParam, "GBS metadata has no afu-image with an interface-uuid and a magic-no");
            }

            var afuId = Guid.Empty;
            var name = "";
            if (afu.TryGetProperty("accelerator-clusters", out var clusters) && clusters.ValueKind == JsonValueKind.Array && clusters.GetArrayLength() > 0)
            {
                var first = clusters[0];
                if (first.TryGetProperty("accelerator-type-uuid", out var type) && type.ValueKind == JsonValueKind.String
                    && !Guid.TryParse(type.GetString(), out afuId))
                {
                    return Status.Fail(FpgaResult.InvalidParam, $"GBS metadata's accelerator-type-uuid '{type.GetString()}' is not a GUID");
                }

                if (first.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String)
                {
                    name = n.GetString() ?? "";
                }
            }

            image = new GreenBitstream(interfaceId, afuId, name, Mhz(afu, "clock-frequency-high"), Mhz(afu, "clock-frequency-low"), HeaderBytes + (int)length, data.Length);
            return Status.Ok;
        }
        catch (JsonException e)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"GBS metadata is not JSON: {e.Message}");
        }
    }

    /// <summary>A GBS for <paramref name="interfaceId"/> holding AFU <paramref name="afuId"/> (and <paramref name="payload"/> as its bitstream).</summary>
    internal static byte[] Create(Guid interfaceId, Guid afuId, string afuName, ReadOnlySpan<byte> payload, int clockHighMhz = 0, int clockLowMhz = 0)
    {
        var afuImage = new StringBuilder();
        afuImage.Append("{\"version\": 1, \"platform-name\": \"opaesharp-sim\", \"afu-image\": {");
        afuImage.Append($"\"magic-no\": {MagicNumber}, \"interface-uuid\": \"{interfaceId}\", ");
        if (clockHighMhz > 0)
        {
            afuImage.Append($"\"clock-frequency-high\": {clockHighMhz}, \"clock-frequency-low\": {clockLowMhz}, ");
        }

        afuImage.Append($"\"power\": 0, \"accelerator-clusters\": [{{\"name\": {JsonSerializer.Serialize(afuName, GbsJson.Default.String)}, \"total-contexts\": 1, \"accelerator-type-uuid\": \"{afuId}\"}}]}}}}");
        var metadata = Encoding.UTF8.GetBytes(afuImage.ToString());
        var bytes = new byte[HeaderBytes + metadata.Length + payload.Length];
        FormatGuid.TryWriteBytes(bytes.AsSpan(0, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16, 4), (uint)metadata.Length);
        metadata.CopyTo(bytes.AsSpan(HeaderBytes));
        payload.CopyTo(bytes.AsSpan(HeaderBytes + metadata.Length));
        return bytes;
    }

    private static int Mhz(JsonElement afu, string name) =>
        afu.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var mhz) && mhz > 0 ? (int)mhz : 0;
}
