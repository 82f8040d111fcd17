using System.Runtime.InteropServices;
using OpaeSharp.Interop;
using OpaeSharp.Native.Handles;

namespace OpaeSharp.Native.Exports;

/// <summary>
/// <c>opae/event.h</c>: event handles (an eventfd each, made when the handle is, as OPAE documents)
/// and their registration for an accelerator's interrupts or an object's errors.
/// </summary>
internal static unsafe class EventExports
{
    [UnmanagedCallersOnly(EntryPoint = "fpgaCreateEventHandle")]
    internal static FpgaResult CreateEventHandle(nint* eventHandle)
    {
        const string Function = "fpgaCreateEventHandle";
        try
        {
            if (eventHandle == null)
            {
                return Abi.Invalid(Function, "event_handle is NULL");
            }

            // Blocking, as OPAE's eventfd(0, 0): a program may read() it to wait.
            var errno = LinuxKernel.Instance.EventFd(0, 0, out var fd);
            if (errno != Errno.None || fd is null)
            {
                return Abi.Refuse(
                    Function,
                    errno is Errno.ENOMEM ? FpgaResult.NoMemory : FpgaResult.Exception,
                    $"eventfd: {Libc.StrError(errno)} ({errno}){(errno is Errno.EMFILE or Errno.ENFILE ? ": too many open files (raise ulimit -n)" : "")}");
            }

            *eventHandle = NativeObjects.EventHandles.Add(new NativeEventHandle(fd));
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaDestroyEventHandle")]
    internal static FpgaResult DestroyEventHandle(nint* eventHandle)
    {
        const string Function = "fpgaDestroyEventHandle";
        try
        {
            if (eventHandle == null)
            {
                return Abi.Invalid(Function, "event_handle is NULL");
            }

            if (!NativeObjects.EventHandles.TryRemove(*eventHandle, out var found))
            {
                return BadEventHandle(Function, *eventHandle);
            }

            // Unregisters what is still registered first: nothing is left signalling a closed descriptor.
            found.Destroy();
            *eventHandle = 0;
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaGetOSObjectFromEventHandle")]
    internal static FpgaResult GetOSObjectFromEventHandle(nint eventHandle, int* fd)
    {
        const string Function = "fpgaGetOSObjectFromEventHandle";
        try
        {
            if (!NativeObjects.EventHandles.TryGet(eventHandle, out var found))
            {
                return BadEventHandle(Function, eventHandle);
            }

            if (fd == null)
            {
                return Abi.Invalid(Function, "fd is NULL");
            }

            *fd = found.EventFd.Value;
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaRegisterEvent")]
    internal static FpgaResult RegisterEvent(nint handle, int eventType, nint eventHandle, uint flags) =>
        OnEventHandle("fpgaRegisterEvent", handle, eventHandle, (accelerator, found) => found.Register(accelerator, (FpgaEventType)eventType, flags));

    [UnmanagedCallersOnly(EntryPoint = "fpgaUnregisterEvent")]
    internal static FpgaResult UnregisterEvent(nint handle, int eventType, nint eventHandle) =>
        OnEventHandle("fpgaUnregisterEvent", handle, eventHandle, (accelerator, found) => found.Unregister(accelerator, (FpgaEventType)eventType));

    /// <summary>
    /// Runs <paramref name="change"/> on a live event handle under its lock, so a registration
    /// never races <c>fpgaDestroyEventHandle</c>: the handle is looked up again once the lock is held.
    /// </summary>
    private static FpgaResult OnEventHandle(string function, nint handle, nint eventHandle, Func<Accelerator, NativeEventHandle, Status> change)
    {
        try
        {
            if (!Abi.TryGetHandle(handle, out var accelerator))
            {
                return Abi.BadHandle(function, handle);
            }

            if (!NativeObjects.EventHandles.TryGet(eventHandle, out var found))
            {
                return BadEventHandle(function, eventHandle);
            }

            Status status;
            lock (found.Sync)
            {
                if (!NativeObjects.EventHandles.TryGet(eventHandle, out _))
                {
                    return BadEventHandle(function, eventHandle);
                }

                status = change(accelerator, found);
            }

            return status.IsOk ? FpgaResult.Ok : Abi.Refuse(function, status.Result, status.Reason!);
        }
        catch (Exception e)
        {
            return Abi.Fail(function, e);
        }
    }

    private static FpgaResult BadEventHandle(string function, nint eventHandle) =>
        Abi.Invalid(function, $"0x{eventHandle:x} is not a live event handle of this library (NULL, destroyed, or never returned by fpgaCreateEventHandle)");
}
