/**
 * @file opae/buffer.h
 * @brief Shared buffers: host memory the accelerator reaches by DMA.
 *
 * A buffer is prepared on a handle (allocated, or taken from the caller with
 * FPGA_BUF_PREALLOCATED), pinned and mapped for the device. The device addresses it by its IO
 * address (fpgaGetIOAddress()), which is not the virtual address and, behind an IOMMU, not the
 * physical one either. fpgaReleaseBuffer() undoes everything; fpgaClose() releases what is left.
 */
#ifndef OPAESHARP_OPAE_BUFFER_H
#define OPAESHARP_OPAE_BUFFER_H

#include <opae/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Prepares a buffer for DMA and returns its workspace id.
 *
 * Without FPGA_BUF_PREALLOCATED the library allocates at least @p len bytes (rounded up to
 * 4 KiB, zero-filled) and stores the address in *buf_addr. With it, the caller's memory at
 * *buf_addr (4 KiB aligned, @p len a non-zero multiple of 4 KiB) is pinned and mapped as is.
 * Calling with FPGA_BUF_PREALLOCATED, buf_addr NULL and len 0 only asks whether preallocated
 * buffers are supported: FPGA_OK, and nothing happens.
 *
 * The checks run in this order; the first that fails decides the result: handle live; wsid not
 * NULL; no unknown flag; the probe; buf_addr not NULL; for PREALLOCATED *buf_addr not NULL, len
 * a non-zero multiple of 4 KiB, *buf_addr aligned; otherwise len not 0. A failed call leaves
 * nothing allocated, pinned or mapped.
 *
 * @param[in]     handle   An open accelerator handle.
 * @param[in]     len      Length in bytes.
 * @param[in,out] buf_addr In: the caller's memory with FPGA_BUF_PREALLOCATED, otherwise ignored.
 *                         Out: the buffer's virtual address.
 * @param[out]    wsid     The new workspace id: never 0, never reused in the process.
 * @param[in]     flags    FPGA_BUF_PREALLOCATED, FPGA_BUF_QUIET, FPGA_BUF_READ_ONLY, OR-ed.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM for any failed check above, a handle that is not
 * live, or a mapping the device refuses. FPGA_NO_MEMORY when memory, hugepages, the locked-memory
 * limit or the device's IO address space run out (the log says which). FPGA_NOT_SUPPORTED for
 * FPGA_BUF_READ_ONLY on a driver that cannot restrict the device to reads.
 */
fpga_result fpgaPrepareBuffer(fpga_handle handle, uint64_t len, void **buf_addr,
			      uint64_t *wsid, int flags);

/**
 * Releases a buffer: unmaps it from the device, unpins it, and frees it if the library allocated
 * it (preallocated memory stays the caller's, contents intact).
 *
 * @param[in] handle The handle the buffer was prepared on.
 * @param[in] wsid   Its workspace id.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if the handle is not live, if @p wsid is not a
 * live buffer of this handle (never prepared, already released, or another handle's), or if the
 * driver failed to unmap it (the buffer is forgotten anyway).
 */
fpga_result fpgaReleaseBuffer(fpga_handle handle, uint64_t wsid);

/**
 * Gives the IO address of a buffer: the address to program into the accelerator.
 *
 * @param[in]  handle The handle the buffer was prepared on.
 * @param[in]  wsid   Its workspace id.
 * @param[out] ioaddr The device address of the buffer's first byte (page aligned).
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if the handle is not live or @p ioaddr is NULL.
 * FPGA_NOT_FOUND if @p wsid is not a live buffer of this handle.
 */
fpga_result fpgaGetIOAddress(fpga_handle handle, uint64_t wsid, uint64_t *ioaddr);

/**
 * Binds the process's address space to the accelerator through the IOMMU (shared virtual
 * addressing): the device may then use the process's virtual addresses directly, without
 * prepared buffers. Needs a device and platform with PCIe PASID, ATS and PRS enabled.
 *
 * @param[in]  handle An open accelerator handle.
 * @param[out] pasid  Receives the process address space id the device must tag its requests
 *                    with; may be NULL.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p handle is not open. FPGA_NOT_SUPPORTED
 * if the device, driver or platform cannot do it.
 */
fpga_result fpgaBindSVA(fpga_handle handle, uint32_t *pasid);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OPAESHARP_OPAE_BUFFER_H */
