using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Devices.Dfl;

/// <summary>Builds the sysfs tree and device node of a card under the DFL or the legacy intel-fpga driver.</summary>
internal static class FakeDflCards
{
    internal static readonly Guid Nlb0 = new("D8424DC4-A4A3-C413-F89E-433683F9040B");
    internal static readonly Guid InterfaceId = new("58656F6E-4650-4741-B747-425376303031");

    /// <summary>Adds card <paramref name="index"/> at PCI address <paramref name="pci"/>; returns its port's driver.</summary>
    internal static FakeDflPort Add(FakeKernel kernel, bool legacy, int index = 0, string pci = "0000:3b:00.0", Guid? afuId = null)
    {
        var function = $"/sys/devices/pci0000:3a/0000:3a:00.0/{pci}";
        kernel.WriteFile($"{function}/vendor", "0x8086");
        kernel.WriteFile($"{function}/device", "0x0b30");
        var afu = (afuId ?? Nlb0).ToString("N");
        var port = new FakeDflPort(kernel, legacy);
        if (legacy)
        {
            var card = $"{function}/fpga/intel-fpga-dev.{index}";
            kernel.WriteFile($"{card}/intel-fpga-fme.{index}/pr/interface_id", InterfaceId.ToString("N"));
            kernel.WriteFile($"{card}/intel-fpga-fme.{index}/socket_id", "1");
            kernel.WriteFile($"{card}/intel-fpga-port.{index}/afu_id", afu);
            kernel.Link($"/sys/class/fpga/intel-fpga-dev.{index}", card);
            kernel.AddNode($"/dev/intel-fpga-port.{index}", port);
        }
        else
        {
            var region = $"{function}/fpga_region/region{index}";
            var prRegion = $"{region}/dfl-fme.{index}/dfl-fme-region.{index}/fpga_region/region{index + 10}";
            kernel.WriteFile($"{region}/dfl-fme.{index}/socket_id", "1");
            kernel.WriteFile($"{prRegion}/compat_id", InterfaceId.ToString("N"));
            kernel.WriteFile($"{region}/dfl-port.{index}/afu_id", afu);
            kernel.Link($"/sys/class/fpga_region/region{index}", region);

            // The FME's PR region is in the class too; it holds no port and must not become a card.
            kernel.Link($"/sys/class/fpga_region/region{index + 10}", prRegion);
            kernel.Link($"/sys/bus/dfl/devices/dfl-port.{index}", $"{region}/dfl-port.{index}");
            kernel.AddNode($"/dev/dfl-port.{index}", port);
            kernel.AddNode($"/dev/dfl-fme.{index}", port.Fme);
        }

        return port;
    }
}
