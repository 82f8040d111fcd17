/**
 * @file opae/utils.h
 * @brief Helpers: the text of a result code.
 */
#ifndef OPAESHARP_OPAE_UTILS_H
#define OPAESHARP_OPAE_UTILS_H

#include <opae/types.h>
/* OPAE's utils.h brings in stdio.h, and programs that print fpgaErrStr() rely on it. */
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A short, constant description of a result code, e.g. "invalid parameter" or "no memory"
 * (the same texts as OPAE, since programs print them). Values outside the enumeration give
 * "unknown error".
 *
 * @param[in] e A result code.
 * @returns A NUL-terminated string owned by the library, valid for the life of the process.
 */
const char *fpgaErrStr(fpga_result e);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OPAESHARP_OPAE_UTILS_H */
