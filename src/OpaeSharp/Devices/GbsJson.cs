using System.Text.Json.Serialization;

namespace OpaeSharp.Devices;

/// <summary>Source-generated JSON for the GBS writer (the library is trimmed and compiled ahead of time).</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class GbsJson : JsonSerializerContext;
