/**
 * @file opae/umsg.h
 * @brief UMsgs: low-latency notifications from the host to an accelerator.
 *
 * Some accelerators (Intel's integrated FPGA platforms) watch a region of host memory, the UMsg
 * area, and learn of every write to it. The area holds one page per UMsg.
 */
#ifndef OPAESHARP_OPAE_UMSG_H
#define OPAESHARP_OPAE_UMSG_H

#include <opae/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Counts the UMsgs an accelerator offers.
 *
 * @param[in]  handle An open accelerator handle.
 * @param[out] value  Receives the count.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p handle is not open or @p value is NULL.
 * FPGA_NOT_SUPPORTED if the platform has no UMsgs. FPGA_EXCEPTION if the driver failed.
 */
fpga_result fpgaGetNumUmsg(fpga_handle handle, uint64_t *value);

/**
 * Sets the UMsg hint bits: bit n set makes UMsg n a hint, a notice of the write sent without
 * its data.
 *
 * @param[in] handle An open accelerator handle.
 * @param[in] value  One bit per UMsg.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p handle is not open. FPGA_NOT_SUPPORTED
 * if the platform has no UMsgs. FPGA_EXCEPTION if the driver refused the bits.
 */
fpga_result fpgaSetUmsgAttributes(fpga_handle handle, uint64_t value);

/**
 * Sends a UMsg by writing a 64-bit value into the UMsg area.
 *
 * @param[in] handle An open accelerator handle.
 * @param[in] value  The value to write.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p handle is not open. FPGA_NOT_SUPPORTED
 * if the platform has no UMsgs. FPGA_NO_MEMORY if the UMsg area could not be set up.
 */
fpga_result fpgaTriggerUmsg(fpga_handle handle, uint64_t value);

/**
 * Gives the address of the UMsg area, mapped into the process, so the program can write UMsgs
 * itself. The area belongs to the handle and goes away with fpgaClose().
 *
 * @param[in]  handle   An open accelerator handle.
 * @param[out] umsg_ptr Receives the area's address.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p handle is not open or @p umsg_ptr is
 * NULL. FPGA_NO_MEMORY if the area could not be allocated.
 * FPGA_NOT_SUPPORTED if the platform has no UMsgs. FPGA_EXCEPTION if the driver failed.
 */
fpga_result fpgaGetUmsgPtr(fpga_handle handle, uint64_t **umsg_ptr);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OPAESHARP_OPAE_UMSG_H */
