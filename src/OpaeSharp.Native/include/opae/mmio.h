/**
 * @file opae/mmio.h
 * @brief The accelerator's registers (MMIO regions).
 *
 * Offsets are in bytes from the start of region @p mmio_num, aligned to the access width, and
 * inside the region. Every read and write below works on every backend, including the simulator.
 */
#ifndef OPAESHARP_OPAE_MMIO_H
#define OPAESHARP_OPAE_MMIO_H

#include <opae/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Reads a 32-bit register.
 *
 * @param[in]  handle   An open accelerator handle.
 * @param[in]  mmio_num MMIO region (0 for the AFU's registers).
 * @param[in]  offset   Byte offset, 4-byte aligned.
 * @param[out] value    Receives the value.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if the handle is not open, @p value is NULL, the
 * region does not exist, or @p offset is unaligned or outside it.
 */
fpga_result fpgaReadMMIO32(fpga_handle handle, uint32_t mmio_num, uint64_t offset,
			   uint32_t *value);

/**
 * Writes a 32-bit register.
 *
 * @param[in] handle   An open accelerator handle.
 * @param[in] mmio_num MMIO region.
 * @param[in] offset   Byte offset, 4-byte aligned.
 * @param[in] value    The value.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if the handle is not open, the region does not
 * exist, or @p offset is unaligned or outside it.
 */
fpga_result fpgaWriteMMIO32(fpga_handle handle, uint32_t mmio_num, uint64_t offset,
			    uint32_t value);

/**
 * Reads a 64-bit register.
 *
 * @param[in]  handle   An open accelerator handle.
 * @param[in]  mmio_num MMIO region.
 * @param[in]  offset   Byte offset, 8-byte aligned.
 * @param[out] value    Receives the value.
 * @returns As fpgaReadMMIO32().
 */
fpga_result fpgaReadMMIO64(fpga_handle handle, uint32_t mmio_num, uint64_t offset,
			   uint64_t *value);

/**
 * Writes a 64-bit register.
 *
 * @param[in] handle   An open accelerator handle.
 * @param[in] mmio_num MMIO region.
 * @param[in] offset   Byte offset, 8-byte aligned.
 * @param[in] value    The value.
 * @returns As fpgaWriteMMIO32().
 */
fpga_result fpgaWriteMMIO64(fpga_handle handle, uint32_t mmio_num, uint64_t offset,
			    uint64_t value);

/**
 * Writes 512 bits (64 bytes) to the registers at @p offset in one access, on CPUs and platforms
 * that can (x86-64 with AVX-512 and a mapped region).
 *
 * @param[in] handle   An open accelerator handle.
 * @param[in] mmio_num MMIO region.
 * @param[in] offset   Byte offset, 64-byte aligned.
 * @param[in] value    The 64 bytes to write.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if the handle is not open, @p value is NULL,
 * the region does not exist, or @p offset is unaligned or outside it. FPGA_NOT_SUPPORTED if the
 * CPU or backend cannot make 512-bit writes.
 */
fpga_result fpgaWriteMMIO512(fpga_handle handle, uint32_t mmio_num, uint64_t offset,
			     const void *value);

/**
 * Gives a pointer to an MMIO region mapped into the process, where the backend has one.
 *
 * With @p mmio_ptr NULL nothing is mapped and FPGA_OK is returned for an existing region: the
 * program uses the read/write functions, which work everywhere. The simulated accelerator has no
 * mappable registers (they have side effects, like starting the AFU), so asking it for a pointer
 * returns FPGA_NOT_SUPPORTED and leaves *mmio_ptr untouched, as OPAE's simulator (ASE) does.
 *
 * @param[in]  handle   An open accelerator handle.
 * @param[in]  mmio_num MMIO region.
 * @param[out] mmio_ptr Receives the region's address; may be NULL.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if the handle is not open or the region does not
 * exist. FPGA_NOT_SUPPORTED if @p mmio_ptr is not NULL and the backend cannot map the region.
 */
fpga_result fpgaMapMMIO(fpga_handle handle, uint32_t mmio_num, uint64_t **mmio_ptr);

/**
 * Ends the use of a region mapped with fpgaMapMMIO(). The mapping itself lives until fpgaClose().
 *
 * @param[in] handle   An open accelerator handle.
 * @param[in] mmio_num MMIO region.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if the handle is not open or the region does not
 * exist.
 */
fpga_result fpgaUnmapMMIO(fpga_handle handle, uint32_t mmio_num);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OPAESHARP_OPAE_MMIO_H */
