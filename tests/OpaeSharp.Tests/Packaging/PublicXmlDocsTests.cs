using System.Reflection;
using System.Xml.Linq;

namespace OpaeSharp.Tests.Packaging;

/// <summary>
/// The XML documentation file that ships in the OpaeSharp package (eng/PublicXmlDocs.targets
/// filters it after each compile) documents the public API and nothing internal.
/// </summary>
public sealed class PublicXmlDocsTests
{
    private static readonly Assembly s_library = typeof(Accelerator).Assembly;

    private static readonly List<string> s_ids =
    [
        .. XDocument.Load(Path.Combine(AppContext.BaseDirectory, "OpaeSharp.xml"))
            .Descendants("member")
            .Select(m => (string)m.Attribute("name")!),
    ];

    [Fact]
    public void Every_public_type_is_documented()
    {
        var documented = s_ids.Where(id => id.StartsWith("T:", StringComparison.Ordinal)).Select(id => id[2..]).ToHashSet();

        Assert.All(s_library.GetExportedTypes(), t => Assert.Contains(t.FullName!.Replace('+', '.'), documented));
    }

    [Fact]
    public void No_internal_type_is_documented()
    {
        var exported = s_library.GetExportedTypes().Select(t => t.FullName!.Replace('+', '.')).ToHashSet();
        var internalTypes = s_ids.Where(id => id.StartsWith("T:", StringComparison.Ordinal) && !exported.Contains(id[2..])).ToList();

        Assert.Empty(internalTypes);
    }

    [Fact]
    public void Every_documented_member_is_visible_to_consumers()
    {
        var flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var types = s_library.GetExportedTypes().ToDictionary(t => t.FullName!.Replace('+', '.'));
        var members = s_ids.Where(id => !id.StartsWith("T:", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(members);
        Assert.All(members, id =>
        {
            var path = id[2..].Split('(')[0];
            var dot = path.LastIndexOf('.');
            var (typeName, name) = (path[..dot], path[(dot + 1)..].Split('`')[0].Replace('#', '.'));
            Assert.True(types.TryGetValue(typeName, out var type), $"{id}: {typeName} is not a public type");
            var candidates = type!.GetMember(name, flags);
            Assert.True(candidates.Any(IsVisible), $"{id}: no public or protected member {name} on {typeName}");
        });
    }

    [Fact]
    public void Public_api_members_are_documented()
    {
        // Spot checks that the filter keeps members, not only types.
        Assert.Contains("P:OpaeSharp.SharedBuffer.IoAddress", s_ids);
        Assert.Contains(s_ids, id => id.StartsWith("M:OpaeSharp.Accelerator.PrepareBuffer(", StringComparison.Ordinal));
        Assert.Contains(s_ids, id => id.StartsWith("F:OpaeSharp.FpgaResult.", StringComparison.Ordinal));
    }

    private static bool IsVisible(MemberInfo member) => member switch
    {
        MethodBase m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly,
        FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
        PropertyInfo p => p.GetAccessors(nonPublic: true).Any(IsVisible),
        EventInfo e => e.AddMethod is { } add && IsVisible(add),
        Type t => t.IsVisible,
        _ => false,
    };
}
