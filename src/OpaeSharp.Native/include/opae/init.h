/**
 * @file opae/init.h
 * @brief Library start-up and shut-down, for programs that call them explicitly.
 */
#ifndef OPAESHARP_OPAE_INIT_H
#define OPAESHARP_OPAE_INIT_H

#include <opae/types_enum.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Initializes the library. Optional: the library initializes itself on first use, so this only
 * exists for programs written for OPAE versions that required it.
 *
 * @param[in] config_file Ignored (OpaeSharp reads no configuration file); may be NULL.
 * @returns FPGA_OK.
 */
fpga_result fpgaInitialize(const char *config_file);

/**
 * Counterpart of fpgaInitialize(). Open handles stay usable; close them with fpgaClose().
 *
 * @returns FPGA_OK.
 */
fpga_result fpgaFinalize(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OPAESHARP_OPAE_INIT_H */
