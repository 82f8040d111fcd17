/**
 * @file opae/manage.h
 * @brief FPGA reconfiguration and port assignment.
 *
 * Declared so programs written for OPAE compile and link; OpaeSharp does not reprogram FPGAs,
 * so each function returns FPGA_NOT_SUPPORTED for a valid handle.
 */
#ifndef OPAESHARP_OPAE_MANAGE_H
#define OPAESHARP_OPAE_MANAGE_H

#include <opae/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Would assign a port to a host interface.
 *
 * @param[in] fpga          An open FPGA_DEVICE handle.
 * @param[in] interface_num Host interface.
 * @param[in] slot_num      Slot.
 * @param[in] flags         Reserved.
 * @returns FPGA_NOT_SUPPORTED; FPGA_INVALID_PARAM if @p fpga is not open.
 */
fpga_result fpgaAssignPortToInterface(fpga_handle fpga, uint32_t interface_num,
				      uint32_t slot_num, int flags);

/**
 * Would assign an accelerator to a host interface.
 *
 * @param[in] fpga           An open FPGA_DEVICE handle.
 * @param[in] accelerator    The accelerator's token.
 * @param[in] host_interface Host interface.
 * @param[in] flags          Reserved.
 * @returns FPGA_NOT_SUPPORTED; FPGA_INVALID_PARAM if @p fpga is not open.
 */
fpga_result fpgaAssignToInterface(fpga_handle fpga, fpga_token accelerator,
				  uint32_t host_interface, int flags);

/**
 * Would undo fpgaAssignToInterface().
 *
 * @param[in] fpga        An open FPGA_DEVICE handle.
 * @param[in] accelerator The accelerator's token.
 * @returns FPGA_NOT_SUPPORTED; FPGA_INVALID_PARAM if @p fpga is not open.
 */
fpga_result fpgaReleaseFromInterface(fpga_handle fpga, fpga_token accelerator);

/**
 * Would program a partial bitstream into a slot.
 *
 * @param[in] fpga          An open FPGA_DEVICE handle.
 * @param[in] slot          Slot to reprogram.
 * @param[in] bitstream     The bitstream.
 * @param[in] bitstream_len Its length in bytes.
 * @param[in] flags         FPGA_RECONF_FORCE, FPGA_RECONF_SKIP_USRCLK.
 * @returns FPGA_NOT_SUPPORTED; FPGA_INVALID_PARAM if @p fpga is not open.
 */
fpga_result fpgaReconfigureSlot(fpga_handle fpga, uint32_t slot, const uint8_t *bitstream,
				size_t bitstream_len, int flags);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OPAESHARP_OPAE_MANAGE_H */
