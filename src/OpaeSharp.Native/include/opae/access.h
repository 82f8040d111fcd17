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
