/**
 * @file opae/error.h
 * @brief A resource's error registers: reading, clearing and describing them.
 *
 * An FPGA device or accelerator keeps error registers, numbered from 0 to one less than its
 * fpgaPropertiesGetNumErrors() count. Each holds a 64-bit value, 0 when nothing is wrong.
 */
#ifndef OPAESHARP_OPAE_ERROR_H
#define OPAESHARP_OPAE_ERROR_H

#include <opae/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Reads an error register.
 *
 * @param[in]  token     A live token of the resource.
 * @param[in]  error_num The register's number.
 * @param[out] value     Receives its 64-bit value.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p token is not live, @p value is NULL or
 * the resource has no register @p error_num. FPGA_EXCEPTION if reading it failed.
 */
fpga_result fpgaReadError(fpga_token token, uint32_t error_num, uint64_t *value);

/**
 * Clears an error register.
 *
 * @param[in] token     A live token of the resource.
 * @param[in] error_num The register's number.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p token is not live or the resource has no
 * register @p error_num. FPGA_BUSY if the register could not be cleared (for instance, one that
 * cannot be cleared at all: see fpga_error_info.can_clear). FPGA_EXCEPTION for other failures.
 */
fpga_result fpgaClearError(fpga_token token, uint32_t error_num);

/**
 * Clears every clearable error register of a resource, in the order the hardware requires.
 *
 * @param[in] token A live token of the resource.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p token is not live. FPGA_BUSY if a
 * register could not be cleared. FPGA_EXCEPTION for other failures.
 */
fpga_result fpgaClearAllErrors(fpga_token token);

/**
 * Describes an error register: its name, and whether it can be cleared.
 *
 * @param[in]  token      A live token of the resource.
 * @param[in]  error_num  The register's number.
 * @param[out] error_info Receives the description.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p token is not live, @p error_info is NULL
 * or the resource has no register @p error_num. FPGA_EXCEPTION for other failures.
 */
fpga_result fpgaGetErrorInfo(fpga_token token, uint32_t error_num,
			     struct fpga_error_info *error_info);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OPAESHARP_OPAE_ERROR_H */
