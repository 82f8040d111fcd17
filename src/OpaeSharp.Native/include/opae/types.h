/**
 * @file opae/types.h
 * @brief The opaque object types of the OPAE C API.
 *
 * fpga_properties, fpga_token and fpga_handle are opaque values created by the library
 * (fpgaGetProperties(), fpgaEnumerate(), fpgaOpen() and their clone functions) and given back to
 * it. In OpaeSharp they are ids in tables the library owns, never pointers it follows: a NULL,
 * destroyed, closed or made-up value makes a call return FPGA_INVALID_PARAM instead of crashing.
 */
#ifndef OPAESHARP_OPAE_TYPES_H
#define OPAESHARP_OPAE_TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <opae/types_enum.h>

/** A set of object properties: an enumeration filter, or the description of one object. */
typedef void *fpga_properties;

/** Names one FPGA object found by fpgaEnumerate(); does not own it (see fpgaOpen()). */
typedef void *fpga_token;

/** An open FPGA object: the owner of its MMIO access and shared buffers until fpgaClose(). */
typedef void *fpga_handle;

/** A 128-bit identifier, byte-compatible with libuuid's uuid_t (use uuid_parse() to make one). */
typedef uint8_t fpga_guid[16];

/** A version number: major.minor.patch. */
typedef struct {
	uint8_t major;  /**< Major version. */
	uint8_t minor;  /**< Minor version. */
	uint16_t patch; /**< Patch level. */
} fpga_version;

/** An event registration (declared for source compatibility; events are not implemented). */
typedef void *fpga_event_handle;

#endif /* OPAESHARP_OPAE_TYPES_H */
