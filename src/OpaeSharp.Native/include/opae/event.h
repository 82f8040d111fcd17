/**
 * @file opae/event.h
 * @brief Asynchronous events: accelerator interrupts, errors, power and thermal alarms.
 *
 * A program creates an event handle, registers it for one kind of event on an open resource, and
 * waits on the handle's file descriptor (fpgaGetOSObjectFromEventHandle()) with poll(), select()
 * or epoll; the descriptor becomes readable when the event happens. On Linux it is an eventfd.
 */
#ifndef OPAESHARP_OPAE_EVENT_H
#define OPAESHARP_OPAE_EVENT_H

#include <opae/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Creates an event handle, not yet registered for anything.
 *
 * @param[out] event_handle Receives the new handle (free it with fpgaDestroyEventHandle()).
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p event_handle is NULL. FPGA_NO_MEMORY if
 * it could not be allocated. FPGA_NOT_SUPPORTED if the platform has no events.
 */
fpga_result fpgaCreateEventHandle(fpga_event_handle *event_handle);

/**
 * Destroys an event handle and closes its file descriptor. Unregister it first
 * (fpgaUnregisterEvent()) if it is still registered. The value must not be used afterwards.
 *
 * @param[in,out] event_handle Address of a handle made by fpgaCreateEventHandle().
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p event_handle is NULL or *event_handle
 * is not a live event handle.
 */
fpga_result fpgaDestroyEventHandle(fpga_event_handle *event_handle);

/**
 * Gives the file descriptor to wait on for the events registered with an event handle. The
 * descriptor stays owned by the handle: do not close it.
 *
 * @param[in]  eh A live event handle.
 * @param[out] fd Receives the descriptor.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p eh is not a live event handle or @p fd
 * is NULL.
 */
fpga_result fpgaGetOSObjectFromEventHandle(const fpga_event_handle eh, int *fd);

/**
 * Registers an event handle for one kind of event of an open resource. A handle serves a
 * single registration.
 *
 * @param[in] handle       An open handle of the resource.
 * @param[in] event_type   The kind of event.
 * @param[in] event_handle A live event handle.
 * @param[in] flags        For FPGA_EVENT_INTERRUPT, the interrupt vector number (a plain
 *                         number, not a bit mask); otherwise 0.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p handle is not open, @p event_handle is
 * not live, or the resource does not raise @p event_type (or has no such vector).
 * FPGA_NO_DAEMON if only the FPGA daemon could deliver this event and it is not running.
 * FPGA_EXCEPTION for other failures.
 */
fpga_result fpgaRegisterEvent(fpga_handle handle, fpga_event_type event_type,
			      fpga_event_handle event_handle, uint32_t flags);

/**
 * Ends a registration made by fpgaRegisterEvent().
 *
 * @param[in] handle       The handle the event was registered on.
 * @param[in] event_type   The kind of event it was registered for.
 * @param[in] event_handle The registered event handle.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p handle is not open, @p event_handle is
 * not live, or the resource does not raise @p event_type. FPGA_EXCEPTION for other failures.
 */
fpga_result fpgaUnregisterEvent(fpga_handle handle, fpga_event_type event_type,
				fpga_event_handle event_handle);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OPAESHARP_OPAE_EVENT_H */
