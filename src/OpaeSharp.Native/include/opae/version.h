/**
 * @file opae/version.h
 * @brief Which OPAE API version the library implements, and which build it is.
 */
#ifndef OPAESHARP_OPAE_VERSION_H
#define OPAESHARP_OPAE_VERSION_H

#include <opae/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Room a version string needs, NUL included. */
#define FPGA_VERSION_STR_MAX 10

/** Room a build string needs, NUL included (a 40-digit commit hash). */
#define FPGA_BUILD_STR_MAX 41

/**
 * The OPAE C API version the library implements (its major number is the library's SONAME).
 *
 * @param[out] version Receives major, minor and patch.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p version is NULL.
 */
fpga_result fpgaGetOPAECVersion(fpga_version *version);

/**
 * The same version as text, e.g. "2.0.0".
 *
 * @param[out] version_str Receives the NUL-terminated text.
 * @param[in]  len         Size of @p version_str in bytes (FPGA_VERSION_STR_MAX is enough).
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p version_str is NULL. FPGA_EXCEPTION if the
 * text and its NUL do not fit in @p len bytes.
 */
fpga_result fpgaGetOPAECVersionString(char *version_str, size_t len);

/**
 * The build identifier: the commit the library was built from, or "unknown".
 *
 * @param[out] build_str Receives the NUL-terminated text.
 * @param[in]  len       Size of @p build_str in bytes (FPGA_BUILD_STR_MAX is enough).
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p build_str is NULL. FPGA_EXCEPTION if the
 * text and its NUL do not fit in @p len bytes.
 */
fpga_result fpgaGetOPAECBuildString(char *build_str, size_t len);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OPAESHARP_OPAE_VERSION_H */
