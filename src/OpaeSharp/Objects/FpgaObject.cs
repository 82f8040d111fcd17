using System.Text;
using OpaeSharp.Enumeration;

namespace OpaeSharp.Objects;

/// <summary>
/// One node of an FPGA object's attribute tree (OPAE's sysobjects): on DFL the driver's sysfs
/// attributes of the FME or port, on the simulator the same names over the simulated card. An
/// attribute reads fresh each time; a group lists its children. Thread-safe.
/// </summary>
/// <example><code>
/// var id = device.GetObject("bitstream_id").Read64();
/// foreach (var counter in device.GetObject("*perf/fabric").Children) { … }
/// </code></example>
public sealed class FpgaObject
{
    private readonly SysfsObject _node;
    private IReadOnlyList<FpgaObject>? _children;

    internal FpgaObject(SysfsObject node) => _node = node;

    /// <summary>The name it was asked for by, or its own name when it is a child.</summary>
    public string Name => _node.Name;

    /// <summary>True for a group (a directory, or the several matches of a pattern); false for an attribute.</summary>
    public bool IsGroup => _node.IsContainer;

    /// <summary>True when <see cref="Write64"/> may write (the object came from an open <see cref="Accelerator"/>).</summary>
    public bool IsWritable => _node.Writable;

    /// <summary>A group's children (one level, natural order); empty for an attribute.</summary>
    public IReadOnlyList<FpgaObject> Children
    {
        get
        {
            if (_children is null)
            {
                var children = new List<FpgaObject>();
                if (_node.IsContainer)
                {
                    var nodes = _node.Children.Count > 0 || !_node.Sysfs.IsDirectory(_node.Path)
                        ? _node.Children
                        : ListChildren();
                    children.AddRange(nodes.Select(n => new FpgaObject(n)));
                }

                Interlocked.CompareExchange(ref _children, children, null);
            }

            return _children;
        }
    }

    internal SysfsObject Node => _node;

    /// <summary>The child (or descendant, "a/b") <paramref name="name"/> of a group; patterns allowed.</summary>
    /// <exception cref="OpaeException">INVALID_PARAM on an attribute or for a name leaving the group; NOT_FOUND when nothing is there.</exception>
    public FpgaObject GetObject(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_node.IsContainer)
        {
            throw new OpaeException(FpgaResult.InvalidParam, $"{Name} is an attribute, not a group");
        }

        SysfsObject.Open(_node.Sysfs, _node.Path, name, ObjectFlags.Glob, _node.Writable, out var child).ThrowIfFailed();
        return new FpgaObject(child!);
    }

    /// <summary>The attribute's text now, without its trailing newline.</summary>
    /// <exception cref="OpaeException">INVALID_PARAM on a group; EXCEPTION when the driver refuses the read.</exception>
    public string ReadText()
    {
        ThrowIfGroup();
        _node.Sync().ThrowIfFailed();
        return Encoding.Latin1.GetString(_node.Content).TrimEnd('\n');
    }

    /// <summary>The attribute's value now, parsed as C's <c>strtoull(text, NULL, 0)</c> does ("0x…" hex, else decimal).</summary>
    /// <exception cref="OpaeException">INVALID_PARAM on a group; EXCEPTION when the driver refuses the read.</exception>
    public ulong Read64()
    {
        _node.Read64(ObjectFlags.Sync, out var value).ThrowIfFailed();
        return value;
    }

    /// <summary>Writes <paramref name="value"/> (as "0x…" text) to the attribute.</summary>
    /// <exception cref="OpaeException">INVALID_PARAM on a group or an object from a token; EXCEPTION when the driver refuses the value.</exception>
    public void Write64(ulong value) => _node.Write64(value, ObjectFlags.None).ThrowIfFailed();

    /// <inheritdoc/>
    public override string ToString() => IsGroup ? $"{Name}/" : Name;

    internal static FpgaObject Open(AcceleratorToken token, string name, bool writable)
    {
        ArgumentNullException.ThrowIfNull(name);
        Find(token, name, ObjectFlags.Glob, writable, out var node).ThrowIfFailed();
        return new FpgaObject(node!);
    }

    /// <summary>The core of <c>fpgaTokenGetObject</c>/<c>fpgaHandleGetObject</c>.</summary>
    internal static Status Find(AcceleratorToken token, string name, ObjectFlags flags, bool writable, out SysfsObject? node)
    {
        if (token.Sysfs is not { } sysfs || token.SysfsPath is not { } path)
        {
            node = null;
            return Status.Fail(FpgaResult.NotSupported, $"{token.Name}: the {token.BackendImpl.Name} backend has no attribute tree (sysobjects are a DFL sysfs view)");
        }

        return SysfsObject.Open(sysfs, path, name, flags, writable, out node);
    }

    private List<SysfsObject> ListChildren()
    {
        var list = new List<SysfsObject>();
        foreach (var child in _node.Sysfs.List(_node.Path))
        {
            if (!child.StartsWith('.') && SysfsObject.Open(_node.Sysfs, _node.Path, child, ObjectFlags.None, _node.Writable, out var made).IsOk)
            {
                list.Add(made!);
            }
        }

        return list;
    }

    private void ThrowIfGroup()
    {
        if (_node.IsContainer)
        {
            throw new OpaeException(FpgaResult.InvalidParam, $"{Name} is a group, not an attribute");
        }
    }
}
