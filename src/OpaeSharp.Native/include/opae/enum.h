/**
 * @file opae/enum.h
 * @brief Finding FPGA objects, and the tokens that name them.
 */
#ifndef OPAESHARP_OPAE_ENUM_H
#define OPAESHARP_OPAE_ENUM_H

#include <opae/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Finds the FPGA objects that match any of @p filters (all objects when there are none).
 * Within one filter every property that is set must match; unset properties match anything.
 *
 * @param[in]  filters     Array of @p num_filters properties objects, or NULL when 0.
 * @param[in]  num_filters Number of filters.
 * @param[out] tokens      Array receiving up to @p max_tokens new tokens; may be NULL when
 *                         @p max_tokens is 0. Each token must be destroyed with fpgaDestroyToken().
 * @param[in]  max_tokens  Capacity of @p tokens.
 * @param[out] num_matches Number of matching objects; may exceed @p max_tokens.
 * @returns FPGA_OK on success (also when nothing matches). FPGA_INVALID_PARAM if @p num_matches is
 * NULL, @p tokens is NULL with @p max_tokens > 0, @p filters and @p num_filters disagree, or a
 * filter is not a live properties object.
 */
fpga_result fpgaEnumerate(const fpga_properties *filters, uint32_t num_filters,
			  fpga_token *tokens, uint32_t max_tokens,
			  uint32_t *num_matches);

/**
 * Makes a second token for the object @p src names.
 *
 * @param[in]  src A live token.
 * @param[out] dst Receives the new token (destroy it with fpgaDestroyToken()).
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p src is not live or @p dst is NULL.
 */
fpga_result fpgaCloneToken(fpga_token src, fpga_token *dst);

/**
 * Destroys a token and sets *token to NULL. Handles opened from it stay open.
 *
 * @param[in,out] token Address of the token.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p token is NULL or *token is not live
 * (e.g. destroyed twice).
 */
fpga_result fpgaDestroyToken(fpga_token *token);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OPAESHARP_OPAE_ENUM_H */
