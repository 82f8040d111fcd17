// A console app of the kind a user writes, built by tests/packaging/run.sh from the packed
// OpaeSharp package (copied into a fresh `dotnet new console` project, outside the repository).
//   consumer                 prepares a buffer on the simulator and prints its IO address
//   consumer sourcelink PDB  prints the PDB's SourceLink map and, per source document, its
//                            checksum and whether its text is embedded: what a debugger uses to
//                            fetch the source it steps into
using System.Reflection.Metadata;
using System.Text;
using OpaeSharp;

if (args is ["sourcelink", var pdb])
{
    return PrintSourceLink(pdb);
}

if (!OperatingSystem.IsLinux())
{
    Console.Error.WriteLine("OpaeSharp runs on Linux only");
    return 2;
}

using var accelerator = Accelerator.Open();   // the test sets OPAESHARP_BACKEND=sim
using var buffer = accelerator.PrepareBuffer(4096);
buffer.Span.Fill(0x5A);
Console.WriteLine($"prepared {buffer.Length} bytes at IO address 0x{buffer.IoAddress:x}, first byte 0x{buffer.Span[0]:X2}");
return 0;

static int PrintSourceLink(string path)
{
    var sourceLinkKind = new Guid("CC110556-A091-4D38-9FEC-25AB9A351A6A");
    var embeddedSourceKind = new Guid("0E8A571B-6926-466E-B4AD-8AB04611F5FE");
    var sha256 = new Guid("8829d00f-11b8-4213-878b-770e8597ac16");

    using var stream = File.OpenRead(path);
    using var provider = MetadataReaderProvider.FromPortablePdbStream(stream);
    var reader = provider.GetMetadataReader();

    foreach (var handle in reader.GetCustomDebugInformation(EntityHandle.ModuleDefinition))
    {
        var info = reader.GetCustomDebugInformation(handle);
        if (reader.GetGuid(info.Kind) == sourceLinkKind)
        {
            Console.WriteLine("sourcelink " + Encoding.UTF8.GetString(reader.GetBlobBytes(info.Value)));
        }
    }

    foreach (var handle in reader.Documents)
    {
        var document = reader.GetDocument(handle);
        var embedded = reader.GetCustomDebugInformation(handle).Any(h => reader.GetGuid(reader.GetCustomDebugInformation(h).Kind) == embeddedSourceKind);
        var algorithm = reader.GetGuid(document.HashAlgorithm) == sha256 ? "sha256" : "other";
        Console.WriteLine($"document {reader.GetString(document.Name)} {algorithm} {Convert.ToHexStringLower(reader.GetBlobBytes(document.Hash))} {(embedded ? "embedded" : "linked")}");
    }

    return 0;
}
