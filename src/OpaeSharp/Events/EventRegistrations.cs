using OpaeSharp.Devices;
using OpaeSharp.Interop;

namespace OpaeSharp.Events;

/// <summary>
/// The events registered on one handle (<c>fpgaRegisterEvent</c>): which eventfd each interrupt
/// line signals. Resolves an event kind to the backend's lines — the accelerator's vectors, the
/// port's error interrupt, or for an FPGA_DEVICE handle the FME's error interrupt (opened on first
/// use, closed with the handle) — and detaches everything still registered when the handle closes.
/// </summary>
/// <remarks>
/// Thread-safe. The lock guards the list only; attaching and detaching (ioctls that bind an eventfd
/// and never wait for the device) run outside it.
/// </remarks>
internal sealed class EventRegistrations(Accelerator owner)
{
    private readonly Lock _lock = new();
    private readonly List<Registration> _live = [];
    private IDeviceInterrupts? _fme;
    private bool _closed;

    /// <summary>Registrations still live (for tests and diagnostics).</summary>
    internal int Count
    {
        get
        {
            lock (_lock)
            {
                return _live.Count;
            }
        }
    }

    /// <summary>
    /// Makes <paramref name="eventFd"/> signal <paramref name="type"/> events of the handle;
    /// <paramref name="flags"/> is the vector for interrupts and ignored otherwise, as OPAE ignores it.
    /// </summary>
    internal Status Register(FpgaEventType type, uint flags, SafeFileDescriptor eventFd)
    {
        var status = Resolve(type, flags, out var lines, out var vector, out var what);
        if (!status.IsOk)
        {
            return status;
        }

        lock (_lock)
        {
            if (_closed)
            {
                return Status.Fail(FpgaResult.InvalidParam, "the handle is closed");
            }

            if (_live.Exists(r => r.Type == type && r.Vector == vector && ReferenceEquals(r.EventFd, eventFd)))
            {
                return Status.Fail(FpgaResult.InvalidParam, $"this event handle is already registered for {what}");
            }
        }

        status = lines!.Attach(vector, eventFd);
        if (!status.IsOk)
        {
            // OPAE answers a vector that is taken with INVALID_PARAM ("IRQ index already in use").
            return status.Result == FpgaResult.Busy ? Status.Fail(FpgaResult.InvalidParam, $"{status.Reason}; unregister it first") : status;
        }

        lock (_lock)
        {
            if (!_closed)
            {
                _live.Add(new Registration(type, vector, lines, eventFd));
                return Status.Ok;
            }
        }

        // The handle closed while the line was being attached: leave nothing bound.
        lines.Detach(vector);
        return Status.Fail(FpgaResult.InvalidParam, "the handle is closed");
    }

    /// <summary>Ends every registration of <paramref name="eventFd"/> for <paramref name="type"/> on this handle.</summary>
    internal Status Unregister(FpgaEventType type, SafeFileDescriptor eventFd)
    {
        List<Registration> ending;
        lock (_lock)
        {
            ending = _live.FindAll(r => r.Type == type && ReferenceEquals(r.EventFd, eventFd));
            _live.RemoveAll(ending.Contains);
        }

        if (ending.Count == 0)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"this event handle is not registered for {Name(type)} events on {owner.Token.Name}");
        }

        var result = Status.Ok;
        foreach (var registration in ending)
        {
            var status = registration.Lines.Detach(registration.Vector);
            if (result.IsOk && !status.IsOk)
            {
                result = status;
            }
        }

        return result;
    }

    /// <summary>Detaches everything still registered and closes the FME; further registrations fail.</summary>
    internal void Close()
    {
        List<Registration> ending;
        IDeviceInterrupts? fme;
        lock (_lock)
        {
            _closed = true;
            ending = [.. _live];
            _live.Clear();
            fme = _fme;
            _fme = null;
        }

        foreach (var registration in ending)
        {
            registration.Lines.Detach(registration.Vector);
        }

        fme?.Dispose();
    }

    internal static string Name(FpgaEventType type) => type switch
    {
        FpgaEventType.Interrupt => "FPGA_EVENT_INTERRUPT",
        FpgaEventType.Error => "FPGA_EVENT_ERROR",
        FpgaEventType.PowerThermal => "FPGA_EVENT_POWER_THERMAL",
        _ => $"event type {(int)type}",
    };

    /// <summary>The lines and vector an event of <paramref name="type"/> is attached to on this handle.</summary>
    private Status Resolve(FpgaEventType type, uint flags, out IInterruptLines? lines, out int vector, out string what)
    {
        lines = null;
        vector = 0;
        what = Name(type);
        if (owner.IsClosed)
        {
            return Status.Fail(FpgaResult.InvalidParam, "the handle is closed");
        }

        var token = owner.Token;
        var isAccelerator = token.ObjectType == FpgaObjectType.Accelerator;
        switch (type)
        {
            case FpgaEventType.Interrupt:
                if (!isAccelerator)
                {
                    return Status.Fail(FpgaResult.InvalidParam, $"{what} needs an accelerator handle; {token.Name} is an FPGA device");
                }

                if (flags > int.MaxValue)
                {
                    return Status.Fail(FpgaResult.InvalidParam, $"interrupt vector {flags} does not exist");
                }

                vector = (int)flags;
                what = $"{what} vector {vector}";
                lines = owner.Device?.Interrupts;
                return lines is { Count: > 0 } ? Status.Ok : Unroutable(what, $"{token.Name} has no interrupt vectors its driver can signal an eventfd with");

            case FpgaEventType.Error:
                if (isAccelerator)
                {
                    lines = owner.Device?.ErrorInterrupts;
                    return lines is { Count: > 0 } ? Status.Ok : Unroutable(what, $"the port {token.Name} has no error interrupt its driver can signal an eventfd with");
                }

                var opened = OpenFme(out var fme);
                if (!opened.IsOk)
                {
                    return opened;
                }

                lines = fme?.Errors;
                return lines is { Count: > 0 } ? Status.Ok : Unroutable(what, $"the FPGA device {token.Name} has no FME error interrupt its driver can signal an eventfd with");

            case FpgaEventType.PowerThermal:
                return Unroutable(what, "no backend of this library has a power or thermal interrupt");

            default:
                return Status.Fail(FpgaResult.InvalidParam, $"{what} is not an OPAE event type (FPGA_EVENT_INTERRUPT, _ERROR or _POWER_THERMAL)");
        }
    }

    /// <summary>
    /// OPAE's DFL plugin hands an event its driver cannot raise to the FPGA daemon (fpgad) and
    /// answers NO_DAEMON when none runs; this library does not use fpgad. OPAE's vfio plugin answers
    /// NOT_SUPPORTED, and so does the simulator.
    /// </summary>
    private Status Unroutable(string what, string why) =>
        owner.Token.Backend == BackendKind.Dfl
            ? Status.Fail(FpgaResult.NoDaemon, $"{why}: OPAE would ask the FPGA daemon (fpgad) for {what}, which this library does not use")
            : Status.Fail(FpgaResult.NotSupported, $"{why}, so it cannot signal {what}");

    private Status OpenFme(out IDeviceInterrupts? fme)
    {
        lock (_lock)
        {
            fme = _fme;
        }

        if (fme is not null)
        {
            return Status.Ok;
        }

        IDeviceInterrupts? opened;
        try
        {
            opened = owner.Token.BackendImpl.OpenDeviceInterrupts(owner.Token);
        }
        catch (OpaeException e)
        {
            return Status.Fail(e.Result, e.Message);
        }

        if (opened is null)
        {
            return Status.Ok;
        }

        lock (_lock)
        {
            if (!_closed && _fme is null)
            {
                _fme = fme = opened;
                return Status.Ok;
            }

            fme = _fme;
        }

        // Another thread opened it first, or the handle closed meanwhile.
        opened.Dispose();
        return fme is null ? Status.Fail(FpgaResult.InvalidParam, "the handle is closed") : Status.Ok;
    }

    private sealed record Registration(FpgaEventType Type, int Vector, IInterruptLines Lines, SafeFileDescriptor EventFd);
}
