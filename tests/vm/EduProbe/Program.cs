using OpaeSharp.VmTests;

// Runs inside the emulated machine (tests/vm/run.sh): drives QEMU's edu device through
// OpaeSharp's VFIO backend and prints one RESULT line per check.
//   EduProbe --pci 0000:00:01.0             DMA, IOMMU permission, release, close and interrupt checks
//   EduProbe --pci 0000:00:01.0 --memlock   the locked-memory checks (run under a small ulimit -l)
//   EduProbe --pci 0000:00:01.0 --address-width   the IO address width checks (run with a small OPAESHARP_VFIO_DMA_BITS)
// Exit status: 0 all passed, 1 some check failed, anything else: it did not get to the end.
string? pci = null;
string? mode = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--pci" when i + 1 < args.Length:
            pci = args[++i];
            break;
        case "--memlock" or "--address-width":
            mode = args[i];
            break;
        default:
            Console.Error.WriteLine($"usage: EduProbe --pci ssss:bb:dd.f [--memlock | --address-width] (unknown argument {args[i]})");
            return 2;
    }
}

if (pci is null)
{
    Console.Error.WriteLine("usage: EduProbe --pci ssss:bb:dd.f [--memlock | --address-width]");
    return 2;
}

var target = new EduTarget(pci);
var report = new Report();
switch (mode)
{
    case "--memlock":
        new MemlockChecks(target, report).Run();
        break;
    case "--address-width":
        new AddressWidthChecks(target, report).Run();
        break;
    default:
        new DmaChecks(target, report).Run();
        new LifetimeChecks(target, report).Run();
        new InterruptChecks(target, report).Run();
        break;
}

Console.Out.WriteLine($"probe: {report.Passed} checks passed, {report.Failed} failed");
return report.Failed == 0 ? 0 : 1;
