using OpaeSharp.Interop;

namespace OpaeSharp.Native.Handles;

/// <summary>
/// One <c>fpga_event_handle</c>: the eventfd a C program polls (made blocking, as OPAE's
/// <c>eventfd(0, 0)</c>, so a plain <c>read</c> waits too) and the registrations it is part of, so
/// destroying it unregisters them before the descriptor is closed.
/// </summary>
/// <remarks>
/// Guarded by <see cref="Sync"/>: C programs may share one event handle between threads. The lock
/// is held across a registration, whose ioctls only bind the eventfd and never wait for a device.
/// </remarks>
internal sealed class NativeEventHandle(SafeFileDescriptor eventFd)
{
    private readonly List<(Accelerator Handle, FpgaEventType Type)> _registered = [];

    internal Lock Sync { get; } = new();

    internal SafeFileDescriptor EventFd { get; } = eventFd;

    /// <summary>Registers on <paramref name="handle"/>; the caller holds <see cref="Sync"/>.</summary>
    internal Status Register(Accelerator handle, FpgaEventType type, uint flags)
    {
        var status = handle.Events.Register(type, flags, EventFd);
        if (status.IsOk && !_registered.Contains((handle, type)))
        {
            _registered.Add((handle, type));
        }

        return status;
    }

    /// <summary>Unregisters from <paramref name="handle"/>; the caller holds <see cref="Sync"/>.</summary>
    internal Status Unregister(Accelerator handle, FpgaEventType type)
    {
        _registered.Remove((handle, type));
        return handle.EventsOrNull?.Unregister(type, EventFd)
            ?? Status.Fail(FpgaResult.InvalidParam, $"this event handle is not registered for {Events.EventRegistrations.Name(type)} events on {handle.Token.Name}");
    }

    /// <summary>Ends every registration still live (of handles still open) and closes the eventfd.</summary>
    internal void Destroy()
    {
        lock (Sync)
        {
            foreach (var (handle, type) in _registered)
            {
                handle.EventsOrNull?.Unregister(type, EventFd);
            }

            _registered.Clear();
            EventFd.Dispose();
        }
    }
}
