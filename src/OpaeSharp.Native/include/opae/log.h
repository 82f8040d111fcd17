/**
 * @file opae/log.h
 * @brief The library's log, which programs and OPAE's helper code may write to as well.
 *
 * The environment variable LIBOPAE_LOG picks what reaches stderr: unset or 0, errors only;
 * 1, also why each failing call failed; 2, also debugging detail.
 */
#ifndef OPAESHARP_OPAE_LOG_H
#define OPAESHARP_OPAE_LOG_H

/* The C library headers OPAE's log.h brings in: programs that use strerror(), errno or
 * malloc() next to the OPAE_* macros rely on them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include <opae/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Log levels, most severe first. */
enum opae_loglevel {
	OPAE_LOG_ERROR = 0, /**< Always printed. */
	OPAE_LOG_MESSAGE,   /**< Printed with LIBOPAE_LOG=1 or more. */
	OPAE_LOG_DEBUG      /**< Printed with LIBOPAE_LOG=2. */
};

/** The level in effect when LIBOPAE_LOG is not set. */
#define OPAE_DEFAULT_LOGLEVEL OPAE_LOG_ERROR

#if defined(__GNUC__) || defined(__clang__)
#define OPAE_PRINTF_FORMAT(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define OPAE_PRINTF_FORMAT(fmt_index, first_arg)
#endif

/**
 * Writes a printf-style message to the library's log (stderr) if @p loglevel is enabled.
 * A trailing newline is added when the text does not end with one.
 *
 * @param[in] loglevel One of enum opae_loglevel.
 * @param[in] fmt      printf format, followed by its arguments.
 */
void opae_print(int loglevel, const char *fmt, ...) OPAE_PRINTF_FORMAT(2, 3);

/** The file name part of a path: __FILE__ without its directories. */
static inline const char *opae_log_basename(const char *path)
{
	const char *name = path;
	for (; *path; ++path) {
		if (*path == '/' || *path == '\\')
			name = path + 1;
	}
	return name;
}

/* Each macro replaces any earlier definition of the same name, as OPAE's do. */
#undef OPAE_ERR
#undef OPAE_MSG
#undef OPAE_DBG

/** Logs an error with the caller's file, line and function. */
#define OPAE_ERR(format, ...)                                                   \
	opae_print(OPAE_LOG_ERROR, "%s:%d:%s() error: " format,                 \
		   opae_log_basename(__FILE__), __LINE__, __func__, ##__VA_ARGS__)

/** Logs an informational message with the caller's file, line and function. */
#define OPAE_MSG(format, ...)                                                   \
	opae_print(OPAE_LOG_MESSAGE, "%s:%d:%s(): " format,                     \
		   opae_log_basename(__FILE__), __LINE__, __func__, ##__VA_ARGS__)

#ifdef LIBOPAE_DEBUG
/** Logs debugging detail (compiled in only when LIBOPAE_DEBUG is defined). */
#define OPAE_DBG(format, ...)                                                   \
	opae_print(OPAE_LOG_DEBUG, "%s:%d:%s() debug: " format,                 \
		   opae_log_basename(__FILE__), __LINE__, __func__, ##__VA_ARGS__)
#else
#define OPAE_DBG(format, ...) do { } while (0)
#endif

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OPAESHARP_OPAE_LOG_H */
