/**
 * @file opae/access.h
 * @brief Opening, closing and resetting FPGA objects.
 */
#ifndef OPAESHARP_OPAE_ACCESS_H
#define OPAESHARP_OPAE_ACCESS_H

#include <opae/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Opens the object @p token names and returns a handle that owns access to it.
 *
 * @param[in]  token  A live token.
 * @param[out] handle Receives the handle.
 * @param[in]  flags  0 for exclusive access, or FPGA_OPEN_SHARED.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p token is not live, @p handle is NULL or
 * @p flags has an unknown bit. FPGA_BUSY if the object is held exclusively, or held at all and
 * FPGA_OPEN_SHARED is not given. FPGA_NOT_FOUND if the object has gone.
 */
fpga_result fpgaOpen(fpga_token token, fpga_handle *handle, int flags);

/**
 * Lists the child handles of an open accelerator. An AFU whose feature parameters name child
 * AFUs opens them along with itself; each child has its own MMIO regions and interrupts, but
 * shares the parent's buffers (a child handle cannot be passed to fpgaPrepareBuffer()). Children
 * are closed with their parent: never pass a child to fpgaClose(). Other handles have none.
 *
 * @param[in]  handle       An open handle.
 * @param[in]  max_children Capacity of @p children.
 * @param[out] children     Array receiving up to @p max_children handles; may be NULL when
 *                          @p max_children is 0.
 * @param[out] num_children Number of children; may exceed @p max_children.
 * @returns FPGA_OK on success (also when there are none). FPGA_INVALID_PARAM if @p handle is not
 * open, @p num_children is NULL, or @p children is NULL with @p max_children > 0.
 */
fpga_result fpgaGetChildren(fpga_handle handle, uint32_t max_children, fpga_handle *children,
			    uint32_t *num_children);

/**
 * Closes a handle. Buffers still prepared on it are released (their memory unmapped from the
 * device and, if the library allocated it, freed); the log says how many. The handle value is
 * dead afterwards: using it again returns FPGA_INVALID_PARAM.
 *
 * @param[in] handle An open handle.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p handle is not open (NULL, closed, made up).
 */
fpga_result fpgaClose(fpga_handle handle);

/**
 * Resets the accelerator behind @p handle. Prepared buffers stay prepared.
 *
 * @param[in] handle An open handle.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p handle is not open.
 */
fpga_result fpgaReset(fpga_handle handle);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OPAESHARP_OPAE_ACCESS_H */
