/**
 * @file opae/types.h
 * @brief The object types and data structures of the OPAE C API.
 *
 * fpga_properties, fpga_token, fpga_handle, fpga_event_handle and fpga_object are opaque values
 * created by the library (fpgaGetProperties(), fpgaEnumerate(), fpgaOpen(),
 * fpgaCreateEventHandle(), fpgaTokenGetObject() and their clone functions) and given back to it.
 * In OpaeSharp, properties, tokens and handles are ids in tables the library owns, never pointers
 * it follows: a NULL, destroyed, closed or made-up value makes a call return FPGA_INVALID_PARAM
 * instead of crashing.
 *
 * The structures below are filled by the library or by the program and cross the ABI by
 * pointer; their layouts are OPAE's, so programs built against OPAE's headers can pass them.
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

/**
 * Something a program waits on for events (opae/event.h): made by fpgaCreateEventHandle(),
 * armed by fpgaRegisterEvent(), waited on through its file descriptor
 * (fpgaGetOSObjectFromEventHandle()), freed by fpgaDestroyEventHandle().
 */
typedef void *fpga_event_handle;

/** Room for an error register's name in fpga_error_info, NUL included. */
#define FPGA_ERROR_NAME_MAX 64

/** Describes one error register of a resource (fpgaGetErrorInfo()). */
struct fpga_error_info {
	char name[FPGA_ERROR_NAME_MAX]; /**< The register's name, NUL-terminated. */
	bool can_clear;                 /**< Whether fpgaClearError() can reset it. */
};

/**
 * One named item of a resource's system view (opae/sysobject.h): an attribute holding a value,
 * or a container of further objects, addressed by '/'-separated names. Objects made from a token
 * can only be read; objects made from a handle, or from an object made from one, can be written.
 * Freed by fpgaDestroyObject().
 */
typedef void *fpga_object;

/** Room for each name and unit string of the metric structures, NUL included. */
#define FPGA_METRIC_STR_SIZE 256

/** A metric's value; fpga_metric_info.metric_datatype says which member is meant. */
typedef union {
	uint64_t ivalue; /**< FPGA_METRIC_DATATYPE_INT. */
	double dvalue;   /**< FPGA_METRIC_DATATYPE_DOUBLE. */
	float fvalue;    /**< FPGA_METRIC_DATATYPE_FLOAT. */
	bool bvalue;     /**< FPGA_METRIC_DATATYPE_BOOL. */
} metric_value;

/** Describes one metric a resource offers (fpgaGetMetricsInfo()). */
typedef struct fpga_metric_info {
	/** Its index, for fpgaGetMetricsByIndex(). */
	uint64_t metric_num;
	/** A GUID tied to the metric; all zero if none. */
	fpga_guid metric_guid;
	/** Where the metric lives; fpgaGetMetricsByName() names it "qualifier_name:metric_name". */
	char qualifier_name[FPGA_METRIC_STR_SIZE];
	/** The group it belongs to. */
	char group_name[FPGA_METRIC_STR_SIZE];
	/** Its own name. */
	char metric_name[FPGA_METRIC_STR_SIZE];
	/** The unit of its value, e.g. "Volts". */
	char metric_units[FPGA_METRIC_STR_SIZE];
	/** Which metric_value member holds its value. */
	enum fpga_metric_datatype metric_datatype;
	/** Its kind. */
	enum fpga_metric_type metric_type;
} fpga_metric_info;

/** One metric reading (fpgaGetMetricsByIndex(), fpgaGetMetricsByName()). */
typedef struct fpga_metric {
	uint64_t metric_num; /**< The metric's index (fpga_metric_info.metric_num). */
	metric_value value;  /**< The value read. */
	bool isvalid;        /**< Whether @c value holds a reading. */
} fpga_metric;

/** One threshold of a sensor. */
typedef struct threshold {
	char threshold_name[FPGA_METRIC_STR_SIZE]; /**< Its name, NUL-terminated. */
	uint32_t is_valid;                         /**< Non-zero when the sensor has it. */
	double value;                              /**< The threshold, in the sensor's unit. */
} threshold;

/** The thresholds of one sensor (fpgaGetMetricsThresholdInfo()). */
typedef struct metric_threshold {
	char metric_name[FPGA_METRIC_STR_SIZE]; /**< The sensor's name, NUL-terminated. */
	threshold upper_nr_threshold;           /**< Upper non-recoverable threshold. */
	threshold upper_c_threshold;            /**< Upper critical threshold. */
	threshold upper_nc_threshold;           /**< Upper non-critical threshold. */
	threshold lower_nr_threshold;           /**< Lower non-recoverable threshold. */
	threshold lower_c_threshold;            /**< Lower critical threshold. */
	threshold lower_nc_threshold;           /**< Lower non-critical threshold. */
	threshold hysteresis;                   /**< Hysteresis of the thresholds. */
} metric_threshold;

/**
 * The fields OPAE's plugins put first in their own token structures, so that code inside OPAE
 * can compare tokens from different plugins. Declared for source compatibility only:
 * OpaeSharp's fpga_token values are ids, not pointers to this structure, so a program must
 * not cast a token to it.
 */
typedef struct _fpga_token_header {
	uint64_t magic;               /**< A plugin's marker for its own tokens. */
	uint16_t vendor_id;           /**< PCI vendor id. */
	uint16_t device_id;           /**< PCI device id. */
	uint16_t segment;             /**< PCI segment (domain). */
	uint8_t bus;                  /**< PCI bus. */
	uint8_t device;               /**< PCI device. */
	uint8_t function;             /**< PCI function. */
	fpga_interface interface;     /**< The driver interface behind the object. */
	fpga_objtype objtype;         /**< FPGA_DEVICE or FPGA_ACCELERATOR. */
	uint64_t object_id;           /**< The object id (fpgaPropertiesGetObjectID()). */
	fpga_guid guid;               /**< The GUID (fpgaPropertiesGetGUID()). */
	uint16_t subsystem_vendor_id; /**< PCI subsystem vendor id. */
	uint16_t subsystem_device_id; /**< PCI subsystem device id. */
} fpga_token_header;

/**
 * True when the fpga_token_header @p parent points to is an FPGA_DEVICE and the one @p child
 * points to is an FPGA_ACCELERATOR at the same PCI segment, bus and device (any function).
 */
#define fpga_is_parent_child(parent, child)              \
	(((parent)->objtype == FPGA_DEVICE) &&            \
	 ((child)->objtype == FPGA_ACCELERATOR) &&        \
	 ((parent)->segment == (child)->segment) &&       \
	 ((parent)->bus == (child)->bus) &&               \
	 ((parent)->device == (child)->device))

#endif /* OPAESHARP_OPAE_TYPES_H */
