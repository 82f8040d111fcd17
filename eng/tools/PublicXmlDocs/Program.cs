using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace OpaeSharp.Tools.PublicXmlDocs;

/// <summary>
/// <c>PublicXmlDocs ASSEMBLY XMLDOC</c>: removes from XMLDOC (in place) every member whose
/// documentation id does not name a type or member visible outside ASSEMBLY.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: PublicXmlDocs ASSEMBLY XMLDOC");
            return 2;
        }

        var visible = VisibleApi.DocumentationIds(args[0]);
        var document = XDocument.Load(args[1], LoadOptions.PreserveWhitespace);
        var members = document.Root?.Element("members")?.Elements("member").ToList() ?? [];
        var removed = 0;
        foreach (var member in members)
        {
            if (member.Attribute("name")?.Value is not { } id || !visible.Contains(id))
            {
                // The member's own line: drop the whitespace before it too.
                if (member.PreviousNode is XText { Value: var space } text && string.IsNullOrWhiteSpace(space))
                {
                    text.Remove();
                }

                member.Remove();
                removed++;
            }
        }

        document.Save(args[1]);
        Console.WriteLine($"PublicXmlDocs: {Path.GetFileName(args[1])}: kept {members.Count - removed} public members, removed {removed} internal ones");
        return 0;
    }
}

/// <summary>The documentation comment ids (C# spec, annex D) of an assembly's externally visible API.</summary>
internal static partial class VisibleApi
{
    internal static HashSet<string> DocumentationIds(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var names = new DocNameProvider(reader);
        var ids = new HashSet<string>(StringComparer.Ordinal);

        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            if (!IsVisible(reader, type))
            {
                continue;
            }

            var typeName = names.DefinitionName(handle);
            ids.Add("T:" + typeName);

            foreach (var fieldHandle in type.GetFields())
            {
                var field = reader.GetFieldDefinition(fieldHandle);
                if (IsVisible(field.Attributes & FieldAttributes.FieldAccessMask))
                {
                    ids.Add($"F:{typeName}.{reader.GetString(field.Name)}");
                }
            }

            foreach (var methodHandle in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(methodHandle);
                if (IsVisible(method))
                {
                    ids.Add($"M:{typeName}.{MethodId(reader, names, method)}");
                }
            }

            foreach (var propertyHandle in type.GetProperties())
            {
                var property = reader.GetPropertyDefinition(propertyHandle);
                var accessors = property.GetAccessors();
                if (IsVisible(reader, accessors.Getter) || IsVisible(reader, accessors.Setter))
                {
                    var signature = property.DecodeSignature(names, null);
                    ids.Add($"P:{typeName}.{reader.GetString(property.Name)}{Parameters(signature.ParameterTypes)}");
                }
            }

            foreach (var eventHandle in type.GetEvents())
            {
                var @event = reader.GetEventDefinition(eventHandle);
                if (IsVisible(reader, @event.GetAccessors().Adder))
                {
                    ids.Add($"E:{typeName}.{reader.GetString(@event.Name)}");
                }
            }
        }

        return ids;
    }

    private static string MethodId(MetadataReader reader, DocNameProvider names, MethodDefinition method)
    {
        // ".ctor" is "#ctor"; an explicit implementation "System.IDisposable.Dispose" is "System#IDisposable#Dispose".
        var name = reader.GetString(method.Name).Replace('.', '#');
        var signature = method.DecodeSignature(names, null);
        if (signature.GenericParameterCount > 0)
        {
            name += "``" + signature.GenericParameterCount;
        }

        name += Parameters(signature.ParameterTypes);
        if (name.StartsWith("op_Implicit", StringComparison.Ordinal) || name.StartsWith("op_Explicit", StringComparison.Ordinal))
        {
            name += "~" + signature.ReturnType;
        }

        return name;
    }

    private static string Parameters(ImmutableArray<string> types) =>
        types.IsEmpty ? "" : "(" + string.Join(",", types) + ")";

    private static bool IsVisible(MetadataReader reader, TypeDefinition type)
    {
        var visibility = type.Attributes & TypeAttributes.VisibilityMask;
        if (!type.GetDeclaringType().IsNil)
        {
            return visibility is TypeAttributes.NestedPublic or TypeAttributes.NestedFamily or TypeAttributes.NestedFamORAssem
                && IsVisible(reader, reader.GetTypeDefinition(type.GetDeclaringType()));
        }

        return visibility == TypeAttributes.Public;
    }

    private static bool IsVisible(MethodDefinition method) => IsVisible((FieldAttributes)(method.Attributes & MethodAttributes.MemberAccessMask));

    private static bool IsVisible(MetadataReader reader, MethodDefinitionHandle handle) =>
        !handle.IsNil && IsVisible(reader.GetMethodDefinition(handle));

    // Field and method access masks share their values: Public, Family (protected), FamORAssem (protected internal).
    private static bool IsVisible(FieldAttributes access) =>
        access is FieldAttributes.Public or FieldAttributes.Family or FieldAttributes.FamORAssem;

    /// <summary>Spells types the way documentation ids do: System.Int32, List{System.String}, ``0, T[], T@, T*.</summary>
    private sealed partial class DocNameProvider(MetadataReader reader) : ISignatureTypeProvider<string, object?>
    {
        /// <summary>A definition's name with its generic arity (Namespace.Outer`1.Inner), as T: ids and member ids spell it.</summary>
        internal string DefinitionName(TypeDefinitionHandle handle)
        {
            var type = reader.GetTypeDefinition(handle);
            var name = reader.GetString(type.Name);
            if (!type.GetDeclaringType().IsNil)
            {
                return DefinitionName(type.GetDeclaringType()) + "." + name;
            }

            var ns = reader.GetString(type.Namespace);
            return ns.Length == 0 ? name : ns + "." + name;
        }

        private string ReferenceName(TypeReferenceHandle handle)
        {
            var type = reader.GetTypeReference(handle);
            var name = reader.GetString(type.Name);
            if (type.ResolutionScope.Kind == HandleKind.TypeReference)
            {
                return ReferenceName((TypeReferenceHandle)type.ResolutionScope) + "." + name;
            }

            var ns = reader.GetString(type.Namespace);
            return ns.Length == 0 ? name : ns + "." + name;
        }

        // The enum's names are the System types' names (Int32, IntPtr, String, ...).
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "System." + typeCode;

        public string GetTypeFromDefinition(MetadataReader metadata, TypeDefinitionHandle handle, byte rawTypeKind) => DefinitionName(handle);

        public string GetTypeFromReference(MetadataReader metadata, TypeReferenceHandle handle, byte rawTypeKind) => ReferenceName(handle);

        public string GetTypeFromSpecification(MetadataReader metadata, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            metadata.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        // Outer`1.Inner`1 with arguments (A, B) is Outer{A}.Inner{B}.
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments)
        {
            var next = 0;
            return Arity().Replace(genericType, match =>
            {
                var count = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                var arguments = typeArguments.Skip(next).Take(count);
                next += count;
                return "{" + string.Join(",", arguments) + "}";
            });
        }

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetArrayType(string elementType, ArrayShape shape) =>
            elementType + "[" + string.Join(",", Enumerable.Range(0, shape.Rank).Select(i =>
                (i < shape.LowerBounds.Length ? shape.LowerBounds[i] : 0) + ":" + (i < shape.Sizes.Length ? (shape.Sizes[i] - 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : ""))) + "]";

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetByReferenceType(string elementType) => elementType + "@";

        public string GetPinnedType(string elementType) => elementType;

        // Custom modifiers (in, volatile, unmanaged constraints) are not part of C# documentation ids.
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetGenericTypeParameter(object? genericContext, int index) => "`" + index;

        public string GetGenericMethodParameter(object? genericContext, int index) => "``" + index;

        public string GetFunctionPointerType(MethodSignature<string> signature) =>
            "=FUNC:" + signature.ReturnType + Parameters(signature.ParameterTypes);

        [GeneratedRegex("`([0-9]+)")]
        private static partial Regex Arity();
    }
}
