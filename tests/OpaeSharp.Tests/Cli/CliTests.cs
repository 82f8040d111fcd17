using System.Text.Json.Nodes;
using OpaeSharp.Tests.Devices.Dfl;
using OpaeSharp.Tests.Devices.Vfio;

namespace OpaeSharp.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed class CliTests
{
    [Fact]
    public void List_json_shows_the_simulated_device_and_its_nlb0_accelerator()
    {
        var (code, output, _) = CliRunner.Run("--backend", "sim", "list", "--json");

        Assert.Equal(0, code);
        var objects = JsonNode.Parse(output)!.AsArray();
        var accelerator = Assert.Single(objects, o => (string?)o!["type"] == "accelerator");
        Assert.Equal("d8424dc4-a4a3-c413-f89e-433683f9040b", (string?)accelerator!["guid"]);
        Assert.Equal("sim", (string?)accelerator["backend"]);
        Assert.Equal("0000:3b:00.0", (string?)accelerator["pciAddress"]);
        Assert.Equal("available", (string?)accelerator["state"]);
        Assert.Single(objects, o => (string?)o!["type"] == "device");
    }

    [Fact]
    public void List_reports_an_accelerator_held_exclusively_as_in_use()
    {
        var token = Accelerator.Enumerate(Enumeration.AcceleratorFilter.ForAfu(OpaeSharp.Cli.Commands.Nlb0Loopback.AfuId), BackendKind.Simulated)[0];
        using var held = Accelerator.Open(token, shared: false);

        var (_, output, _) = CliRunner.Run("--backend", "sim", "list", "--json");

        Assert.Equal("in use", (string?)JsonNode.Parse(output)!.AsArray().Single(o => (string?)o!["type"] == "accelerator")!["state"]);
    }

    [Fact]
    public void Redirected_tables_keep_each_row_on_one_line_past_80_columns()
    {
        var (code, output, _) = CliRunner.Run("--backend", "sim", "list");

        Assert.Equal(0, code);
        var row = Assert.Single(output.Split('\n'), l => l.Contains("sim:0/port0", StringComparison.Ordinal));
        Assert.Contains("d8424dc4-a4a3-c413-f89e-433683f9040b", row, StringComparison.Ordinal);
        Assert.Contains("available", row, StringComparison.Ordinal);
        Assert.True(row.Length > 80);
    }

    [Fact]
    public void List_with_a_backend_that_finds_nothing_says_so_and_points_to_info()
    {
        using var system = new FakeSystem();

        var (code, output, _) = CliRunner.RunOn(system, "--backend", "vfio", "list");

        Assert.Equal(0, code);
        Assert.Contains("No FPGA objects found with backend vfio", output, StringComparison.Ordinal);
        Assert.Contains("opae info", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Info_json_reports_free_and_reserved_hugepages_per_size_from_sysfs()
    {
        using var system = new FakeSystem().HugePages(2048, free: 3, total: 5).HugePages(1048576, free: 0, total: 1);

        var (code, output, _) = CliRunner.RunOn(system, "info", "--json");

        Assert.Equal(0, code);
        var pages = JsonNode.Parse(output)!["hugePages"]!.AsArray();
        Assert.Equal([2097152L, 1073741824L], pages.Select(p => (long)p!["pageSize"]!));
        Assert.Equal(3, (long)pages[0]!["free"]!);
        Assert.Equal(5, (long)pages[0]!["total"]!);
        Assert.Equal(1, (long)pages[1]!["total"]!);
    }

    [Fact]
    public void Info_explains_that_auto_picks_the_simulator_when_no_driver_is_present()
    {
        using var system = new FakeSystem();

        var (_, output, _) = CliRunner.RunOn(system, "--backend", "auto", "info", "--json");

        var backend = JsonNode.Parse(output)!["backend"]!;
        Assert.Equal("sim", (string?)backend["auto"]);
        Assert.Contains("no FPGA driver or card is present", (string?)backend["autoReason"], StringComparison.Ordinal);
        Assert.Contains("modprobe dfl-pci", (string?)backend["backends"]!.AsArray().Single(b => (string?)b!["name"] == "dfl")!["reason"], StringComparison.Ordinal);
    }

    [Fact]
    public void Info_says_auto_will_not_use_the_simulator_when_a_card_has_no_driver()
    {
        using var system = new FakeSystem();
        system.Kernel.WriteFile("/sys/bus/pci/devices/0000:3b:00.0/vendor", "0x8086");
        system.Kernel.WriteFile("/sys/bus/pci/devices/0000:3b:00.0/device", "0x0b30");

        var (_, output, _) = CliRunner.RunOn(system, "info", "--json");

        var backend = JsonNode.Parse(output)!["backend"]!;
        Assert.Equal("hw", (string?)backend["auto"]);
        Assert.Contains("0000:3b:00.0", (string?)backend["autoReason"], StringComparison.Ordinal);
        Assert.Contains("no FPGA driver exposes it", (string?)backend["autoReason"], StringComparison.Ordinal);
    }

    [Fact]
    public void List_marks_simulated_objects_as_simulated()
    {
        using var system = new FakeSystem();

        var (_, output, _) = CliRunner.RunOn(system, "list", "--json");

        var objects = JsonNode.Parse(output)!.AsArray();
        Assert.NotEmpty(objects);
        Assert.All(objects, o => Assert.True((bool)o!["simulated"]!));
    }

    [Fact]
    public void Info_sees_dfl_port_nodes_iommu_groups_and_vfio()
    {
        using var system = new FakeSystem().Dir("/sys/kernel/iommu_groups/7").Dir("/sys/class/iommu/dmar0").Dir("/sys/bus/pci/drivers/vfio-pci/0000:00:04.0");
        FakeDflCards.Add(system.Kernel, legacy: false);
        _ = new FakeVfio(system.Kernel);

        var (_, output, _) = CliRunner.RunOn(system, "info", "--json");

        var info = JsonNode.Parse(output)!;
        var backends = info["backend"]!["backends"]!.AsArray();
        Assert.True((bool)backends.Single(b => (string?)b!["name"] == "dfl")!["usable"]!);
        Assert.True((bool)backends.Single(b => (string?)b!["name"] == "vfio")!["usable"]!);
        Assert.Equal(1, (int)info["iommu"]!["groups"]!);
        Assert.Equal(1, (int)info["iommu"]!["units"]!);
        Assert.Equal(["/dev/vfio/7", "/dev/vfio/vfio"], info["iommu"]!["vfioNodes"]!.AsArray().Select(n => (string?)n).Where(n => n is "/dev/vfio/7" or "/dev/vfio/vfio"));
        Assert.Equal("dfl", (string?)info["backend"]!["auto"]);
        Assert.Equal(["/dev/dfl-port.0"], info["fpgaPortNodes"]!.AsArray().Select(n => (string?)n));
        Assert.Contains("dfl bus", info["drivers"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public void Info_for_dfl_says_buffers_need_hugepages_and_how_many_are_free()
    {
        using var system = new FakeSystem().HugePages(2048, free: 4, total: 4);

        var (_, output, _) = CliRunner.RunOn(system, "--backend", "dfl", "info", "--json");

        var capabilities = JsonNode.Parse(output)!["capabilities"]!.AsArray().Select(c => (string)c!).ToList();
        Assert.Contains(capabilities, c => c.Contains("physically contiguous", StringComparison.Ordinal) && c.Contains("2 MiB hugepage (4 free)", StringComparison.Ordinal));
    }

    [Fact]
    public void Info_on_this_machine_lists_every_backend_with_the_libraries_own_verdict()
    {
        var (code, output, _) = CliRunner.Run("info", "--json");

        Assert.Equal(0, code);
        var backends = JsonNode.Parse(output)!["backend"]!["backends"]!.AsArray();
        Assert.Equal(["sim", "dfl", "intel-fpga", "vfio"], backends.Select(b => (string?)b!["name"]));
        Assert.All(backends, b => Assert.False(string.IsNullOrWhiteSpace((string?)b!["reason"])));
    }

    [Fact]
    public void Info_prints_the_locked_memory_limit_and_what_this_process_has_locked()
    {
        var (code, output, _) = CliRunner.Run("info");

        Assert.Equal(0, code);
        Assert.Contains("RLIMIT_MEMLOCK:", output, StringComparison.Ordinal);
        Assert.Contains("(VmLck):", output, StringComparison.Ordinal);
        Assert.Contains("auto picks:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Hello_runs_the_nlb0_loopback_on_the_simulator_and_exits_0()
    {
        var (code, output, _) = CliRunner.Run("--backend", "sim", "hello", "--shared");

        Assert.Equal(0, code);
        Assert.Contains("Done Running Test", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Hello_json_reports_a_pass_with_its_steps()
    {
        var (code, output, _) = CliRunner.Run("--backend", "sim", "hello", "--shared", "--json");

        Assert.Equal(0, code);
        var result = JsonNode.Parse(output)!;
        Assert.True((bool)result["passed"]!);
        Assert.Empty(result["faults"]!.AsArray());
        Assert.Contains(result["steps"]!.AsArray(), s => ((string?)s)!.StartsWith("output matches input", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_backend_is_a_usage_error_with_exit_code_2()
    {
        var (code, output, error) = CliRunner.Run("--backend", "fpga9000", "list");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains("unknown backend 'fpga9000'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_command_is_a_usage_error_that_points_to_help()
    {
        var (code, _, error) = CliRunner.Run("frobnicate");

        Assert.Equal(2, code);
        Assert.Contains("opae --help", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_library_failure_exits_with_10_plus_the_opae_result_code_and_says_why()
    {
        // No vfio function on this machine: opening an NLB0 on that backend finds nothing.
        using var system = new FakeSystem();
        var (code, _, error) = CliRunner.RunOn(system, "--backend", "vfio", "hello");

        Assert.Equal(10 + (int)FpgaResult.NotFound, code);
        Assert.StartsWith("opae: not found:", error, StringComparison.Ordinal);
    }
}
