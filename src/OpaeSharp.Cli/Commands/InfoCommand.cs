using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using OpaeSharp.Cli.Output;
using OpaeSharp.Cli.Inspection;
using OpaeSharp.Memory;
using Spectre.Console;

namespace OpaeSharp.Cli.Commands;

/// <summary>
/// <c>opae info</c>: what buffer preparation will be able to do here — hugepages, locked-memory
/// limits, IOMMU, drivers, and which backend <c>auto</c> picks and why.
/// </summary>
internal static class InfoCommand
{
    internal static Command Create(CliContext context, Option<string?> backendOption)
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON object instead of tables" };
        var command = new Command("info", "Show what buffer preparation can do here: hugepages, RLIMIT_MEMLOCK, IOMMU, drivers, backend choice") { json };
        command.SetAction(parse => Run(context, CliApp.EffectiveBackend(parse, backendOption), parse.GetValue(json)));
        return command;
    }

    internal static int Run(CliContext context, BackendKind requested, bool json)
    {
        var report = new SystemInspector(context.Backends).Inspect(requested);
        if (json)
        {
            CliApp.WriteJson(context, ToJson(report));
        }
        else
        {
            Print(context, report);
        }

        return ExitCodes.Success;
    }

    /// <summary>The backend whose rules apply: the requested one, or what auto resolves to.</summary>
    internal static BackendKind Effective(SystemReport report) =>
        report.Requested == BackendKind.Auto ? report.AutoChoice : report.Requested;

    /// <summary>Plain sentences on what preparing buffers will do with these facts.</summary>
    internal static List<string> Capabilities(SystemReport report)
    {
        var lines = new List<string>();
        var effective = Effective(report);
        var free2M = report.HugePages.FirstOrDefault(p => p.PageSize == PageSizes.Huge2M)?.Free ?? 0;
        var free1G = report.HugePages.FirstOrDefault(p => p.PageSize == PageSizes.Huge1G)?.Free ?? 0;

        if (report.HasIpcLock)
        {
            lines.Add("Pinning is not limited by RLIMIT_MEMLOCK: the process has CAP_IPC_LOCK.");
        }
        else if (report.MemlockLimit is null)
        {
            lines.Add("Pinning is not limited: RLIMIT_MEMLOCK is unlimited.");
        }
        else
        {
            var left = Math.Max(0, (long)report.MemlockLimit.Value - report.LockedBytes);
            lines.Add($"About {CliApp.Bytes(left)} more can be pinned (RLIMIT_MEMLOCK {CliApp.Bytes(report.MemlockLimit.Value)}); " +
                "larger buffers fail with NO_MEMORY. Raise it with 'ulimit -l' or memlock in /etc/security/limits.conf.");
        }

        if (effective == BackendKind.Dfl)
        {
            lines.Add("The DFL driver maps each buffer as one physically contiguous range: buffers up to 4 KiB use one 4 KiB page, " +
                $"up to 2 MiB one 2 MiB hugepage ({free2M} free), larger ones 1 GiB hugepages ({free1G} free); " +
                "without free hugepages of that size they fail with NO_MEMORY.");
        }
        else
        {
            lines.Add($"Buffers of 2 MiB or more use 2 MiB hugepages when enough are free ({free2M} now) and 1 GiB hugepages for 1 GiB or more ({free1G} now); " +
                "otherwise 4 KiB pages (no failure, more IOTLB entries).");
        }

        if (effective == BackendKind.Vfio && report.IommuGroups == 0)
        {
            lines.Add("VFIO needs an IOMMU: the kernel reports no IOMMU groups (enable intel_iommu=on / amd_iommu=on).");
        }

        if (effective == BackendKind.Simulated)
        {
            lines.Add("The simulator translates every device access through its own IOMMU; hardware IOMMU presence does not matter.");
        }

        return lines;
    }

    // Prose goes through WriteWrapped and tables through CliTable: at 80 columns neither splits a command to copy.
    private static void Print(CliContext context, SystemReport report)
    {
        var console = context.Console;
        console.MarkupLine("[bold]Backend[/]");
        context.WriteWrapped($"requested: {CliApp.Name(report.Requested)}", 2, 4);
        context.WriteWrapped($"auto picks: {CliApp.Name(report.AutoChoice)} because {report.AutoReason}", 2, 4);
        var backends = new CliTable("Backend", "Usable", "Why");
        foreach (var status in report.Backends)
        {
            backends.AddRow(status.Name, status.Available ? new CliCell("yes", "green") : new CliCell("no", "yellow"), status.Detail);
        }

        backends.Write(context);

        console.MarkupLine("[bold]Hugepages[/]");
        if (report.HugePages.Count == 0)
        {
            context.WriteWrapped("the kernel offers no hugepage sizes (/sys/kernel/mm/hugepages is missing)", 2, 4);
        }
        else
        {
            var pages = new CliTable("Page size", "Free", "Reserved", "Reserve with");
            foreach (var pool in report.HugePages)
            {
                pages.AddRow(
                    PageSizes.Name(pool.PageSize),
                    pool.Free.ToString(CultureInfo.InvariantCulture),
                    pool.Total.ToString(CultureInfo.InvariantCulture),
                    $"echo N | sudo tee {HugePages.ReservePath(pool.PageSize)}");
            }

            pages.Write(context);
        }

        console.MarkupLine("[bold]Locked memory[/]");
        context.WriteWrapped($"RLIMIT_MEMLOCK: {Limit(report.MemlockLimit)} (hard {Limit(report.MemlockHardLimit)}){(report.HasIpcLock ? "; not enforced: CAP_IPC_LOCK" : "")}", 2, 4);
        context.WriteWrapped($"locked by this process (VmLck): {CliApp.Bytes(report.LockedBytes)}", 2, 4);

        console.MarkupLine("[bold]IOMMU and drivers[/]");
        context.WriteWrapped($"IOMMU units (/sys/class/iommu): {report.IommuUnits}; IOMMU groups (/sys/kernel/iommu_groups): {report.IommuGroups}", 2, 4);
        context.WriteWrapped($"/dev/vfio: {(report.VfioNodes.Count == 0 ? "absent" : string.Join(", ", report.VfioNodes))}; iommufd (/dev/iommu): {(report.Iommufd ? "present" : "absent")}", 2, 4);
        context.WriteWrapped($"FPGA drivers: {(report.Drivers.Count == 0 ? "none loaded" : string.Join(", ", report.Drivers))}", 2, 4);
        context.WriteWrapped($"FPGA port nodes: {(report.FpgaPortNodes.Count == 0 ? "none" : string.Join(", ", report.FpgaPortNodes))}", 2, 4);

        console.MarkupLineInterpolated($"[bold]Buffer preparation here ({CliApp.Name(Effective(report))})[/]");
        foreach (var line in Capabilities(report))
        {
            context.WriteWrapped($"- {line}", 2, 4);
        }
    }

    private static string Limit(ulong? bytes) => bytes is null ? "unlimited" : CliApp.Bytes(bytes.Value);

    private static JsonObject ToJson(SystemReport report) => new()
    {
        ["backend"] = new JsonObject
        {
            ["requested"] = CliApp.Name(report.Requested),
            ["auto"] = CliApp.Name(report.AutoChoice),
            ["autoReason"] = report.AutoReason,
            ["effective"] = CliApp.Name(Effective(report)),
            ["backends"] = new JsonArray([.. report.Backends.Select(b => (JsonNode?)new JsonObject
            {
                ["name"] = b.Name,
                ["kind"] = CliApp.Name(b.Kind),
                ["usable"] = b.Available,
                ["reason"] = b.Detail,
            })]),
        },
        ["hugePages"] = new JsonArray([.. report.HugePages.Select(p => (JsonNode?)new JsonObject
        {
            ["pageSize"] = p.PageSize,
            ["free"] = p.Free,
            ["total"] = p.Total,
        })]),
        ["lockedMemory"] = new JsonObject
        {
            ["memlockLimit"] = report.MemlockLimit,
            ["memlockHardLimit"] = report.MemlockHardLimit,
            ["lockedBytes"] = report.LockedBytes,
            ["capIpcLock"] = report.HasIpcLock,
        },
        ["iommu"] = new JsonObject
        {
            ["units"] = report.IommuUnits,
            ["groups"] = report.IommuGroups,
            ["vfioNodes"] = new JsonArray([.. report.VfioNodes.Select(n => (JsonNode?)n)]),
            ["iommufd"] = report.Iommufd,
            ["vfioPciDevices"] = new JsonArray([.. report.VfioPciDevices.Select(n => (JsonNode?)n)]),
        },
        ["drivers"] = new JsonArray([.. report.Drivers.Select(n => (JsonNode?)n)]),
        ["fpgaPortNodes"] = new JsonArray([.. report.FpgaPortNodes.Select(n => (JsonNode?)n)]),
        ["capabilities"] = new JsonArray([.. Capabilities(report).Select(n => (JsonNode?)n)]),
    };
}
