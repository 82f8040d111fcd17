using OpaeSharp.Interop;

namespace OpaeSharp.Objects;

/// <summary>One error register of a resource: its attribute, and where a clear is written (null when it cannot be cleared).</summary>
internal sealed record ErrorRegister(string Name, string Path, string? ClearPath);

/// <summary>
/// The error registers of an FME or port, as OPAE counts them: every attribute below the resource's
/// <c>errors</c> directory (subdirectories included, links, hidden files, <c>revision</c>,
/// <c>uevent</c>, <c>power</c> and <c>clear</c> left out), numbered in natural order. The DFL driver clears a
/// register when the value read is written back; the legacy intel-fpga driver clears a port's
/// <c>errors</c> through a <c>clear</c> attribute beside it.
/// </summary>
internal static class ErrorRegisterList
{
    private static readonly HashSet<string> s_excluded = ["revision", "uevent", "power", "clear"];

    // The attributes OPAE clears by writing the value they hold (inject_error: by writing 0).
    private static readonly HashSet<string> s_clearable = ["pcie0_errors", "pcie1_errors", "warning_errors", "inject_error", "fme_errors", "errors"];

    internal static IReadOnlyList<ErrorRegister> Read(ISysfs sysfs, string resourcePath)
    {
        var list = new List<ErrorRegister>();
        Walk(sysfs, $"{resourcePath}/errors", list);
        return list;
    }

    /// <summary>Clears one register: writes back the value it holds (0 for <c>inject_error</c>).</summary>
    internal static Status Clear(ISysfs sysfs, ErrorRegister register)
    {
        if (register.ClearPath is null)
        {
            return Status.Fail(FpgaResult.NotSupported, $"error register {register.Name} cannot be cleared");
        }

        ulong value = 0;
        if (register.Name != "inject_error")
        {
            var text = sysfs.ReadAttribute(register.Path);
            if (text is null)
            {
                return Status.Fail(FpgaResult.Exception, $"{register.Path} could not be read");
            }

            value = SysfsObject.ParseUnsigned(text);
        }

        var errno = sysfs.WriteAttribute(register.ClearPath, $"0x{value:x}");
        return errno == Errno.None
            ? Status.Ok
            : Status.Fail(FpgaResult.Exception, $"clearing {register.Name} ({register.ClearPath}) failed: {Libc.StrError(errno)}");
    }

    internal static Status ReadValue(ISysfs sysfs, ErrorRegister register, out ulong value)
    {
        var text = sysfs.ReadAttribute(register.Path);
        value = text is null ? 0 : SysfsObject.ParseUnsigned(text);
        return text is null ? Status.Fail(FpgaResult.Exception, $"{register.Path} could not be read") : Status.Ok;
    }

    private static void Walk(ISysfs sysfs, string directory, List<ErrorRegister> list)
    {
        foreach (var name in sysfs.List(directory))
        {
            if (name.StartsWith('.') || s_excluded.Contains(name))
            {
                continue;
            }

            var path = $"{directory}/{name}";
            if (sysfs.ReadLink(path) is not null)
            {
                continue;
            }

            if (sysfs.IsDirectory(path))
            {
                Walk(sysfs, path, list);
                continue;
            }

            string? clear = null;
            if (name == "errors" && sysfs.Exists($"{directory}/clear"))
            {
                clear = $"{directory}/clear";
            }
            else if (s_clearable.Contains(name))
            {
                clear = path;
            }

            list.Add(new ErrorRegister(name, path, clear));
        }
    }
}
