/**
 * @file opae/userclk.h
 * @brief The accelerator's user clocks: the two clock frequencies the AFU's logic may run on.
 *
 * An AFU can run on a high and a low user clock, the low one typically at half the high one's
 * frequency. Frequencies are in MHz; which values a platform accepts depends on its clock
 * generator.
 */
#ifndef OPAESHARP_OPAE_USERCLK_H
#define OPAESHARP_OPAE_USERCLK_H

#include <opae/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Sets the user clock frequencies.
 *
 * @param[in] handle   An open accelerator handle.
 * @param[in] high_clk The high clock's frequency in MHz.
 * @param[in] low_clk  The low clock's frequency in MHz; not above @p high_clk.
 * @param[in] flags    Reserved: 0.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p handle is not open or the frequencies
 * are out of range. FPGA_NOT_SUPPORTED if the platform's clocks cannot be set or programming
 * them failed. FPGA_NO_ACCESS if the process may not program them.
 */
fpga_result fpgaSetUserClock(fpga_handle handle, uint64_t high_clk, uint64_t low_clk,
			     int flags);

/**
 * Reads the user clock frequencies.
 *
 * @param[in]  handle   An open accelerator handle.
 * @param[out] high_clk Receives the high clock's frequency in MHz.
 * @param[out] low_clk  Receives the low clock's frequency in MHz.
 * @param[in]  flags    Reserved: 0.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p handle is not open or a pointer is NULL.
 * FPGA_NOT_SUPPORTED if the platform's clocks cannot be read. FPGA_EXCEPTION if reading failed.
 */
fpga_result fpgaGetUserClock(fpga_handle handle, uint64_t *high_clk, uint64_t *low_clk,
			     int flags);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OPAESHARP_OPAE_USERCLK_H */
