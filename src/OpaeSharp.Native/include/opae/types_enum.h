/**
 * @file opae/types_enum.h
 * @brief Result codes, object kinds, states and flag values of the OPAE C API.
 *
 * Every value here is part of the ABI: it equals OPAE's, so binaries built against OPAE's headers
 * and binaries built against these agree on every number.
 */
#ifndef OPAESHARP_OPAE_TYPES_ENUM_H
#define OPAESHARP_OPAE_TYPES_ENUM_H

/**
 * What every API function returns. Anything but FPGA_OK means the call did nothing useful and
 * its output parameters must not be used. fpgaErrStr() gives a short text for each; with the
 * environment variable LIBOPAE_LOG=1 the library also prints why a call failed.
 */
typedef enum {
	FPGA_OK = 0,            /**< Success. */
	FPGA_INVALID_PARAM = 1, /**< A parameter was NULL, out of range, or not a live object. */
	FPGA_BUSY = 2,          /**< The resource is held by someone else (e.g. opened exclusively). */
	FPGA_EXCEPTION = 3,     /**< An unexpected internal failure (always logged). */
	FPGA_NOT_FOUND = 4,     /**< No such object, buffer, or property value. */
	FPGA_NO_MEMORY = 5,     /**< Memory, hugepages, locked-memory limit or IO address space ran out. */
	FPGA_NOT_SUPPORTED = 6, /**< The operation is not available on this backend. */
	FPGA_NO_DRIVER = 7,     /**< The driver the backend needs is not loaded. */
	FPGA_NO_DAEMON = 8,     /**< The FPGA daemon is not running. */
	FPGA_NO_ACCESS = 9,     /**< The process lacks the privileges. */
	FPGA_RECONF_ERROR = 10  /**< Reprogramming the FPGA failed. */
} fpga_result;

/** Kinds of asynchronous event a program can register for (see opae/event.h). */
typedef enum {
	FPGA_EVENT_INTERRUPT = 0, /**< An accelerator raised an interrupt. */
	FPGA_EVENT_ERROR,         /**< The infrastructure reported an error. */
	FPGA_EVENT_POWER_THERMAL  /**< A power or thermal event. */
} fpga_event_type;

/** Whether an accelerator can be opened. */
typedef enum {
	FPGA_ACCELERATOR_ASSIGNED = 0, /**< Another process holds it exclusively. */
	FPGA_ACCELERATOR_UNASSIGNED    /**< Free to open. */
} fpga_accelerator_state;

/** The kind of FPGA object a token or properties object describes. */
typedef enum {
	/** The FPGA device itself (its management engine). */
	FPGA_DEVICE = 0,
	/** An accelerator function behind a port: what programs open for MMIO and buffers. */
	FPGA_ACCELERATOR
} fpga_objtype;

/** The driver interface behind an object (fpgaPropertiesGetInterface()). */
typedef enum {
	FPGA_IFC_DFL = 0,  /**< Linux DFL drivers. */
	FPGA_IFC_VFIO,     /**< vfio-pci. */
	FPGA_IFC_SIM_DFL,  /**< A simulator standing in for DFL. */
	FPGA_IFC_SIM_VFIO, /**< A simulator standing in for vfio-pci. */
	FPGA_IFC_UIO       /**< uio-dfl. */
} fpga_interface;

/** Flags of fpgaPrepareBuffer() (passed as an int, may be OR-ed). */
enum fpga_buffer_flags {
	FPGA_BUF_PREALLOCATED = (1u << 0), /**< Map memory the caller already owns instead of allocating. */
	FPGA_BUF_QUIET = (1u << 1),        /**< Do not log why a preparation failed. */
	FPGA_BUF_READ_ONLY = (1u << 2)     /**< The device may read the buffer but never write it. */
};

/** Flags of fpgaOpen(). */
enum fpga_open_flags {
	/** Let other handles open the same object too. */
	FPGA_OPEN_SHARED = (1u << 0),
	/** Used between OPAE's shell and its plugins; accepted and ignored here. */
	FPGA_OPEN_HAS_PARENT_AFU = (1u << 1)
};

/** Flags of fpgaReconfigureSlot(). */
enum fpga_reconf_flags {
	FPGA_RECONF_FORCE = (1u << 0),      /**< Reprogram even if the slot is in use. */
	FPGA_RECONF_SKIP_USRCLK = (1u << 1) /**< Leave the user clocks alone. */
};

/** Flags of the fpga_object functions of opae/sysobject.h (passed as an int, may be OR-ed). */
enum fpga_sysobject_flags {
	FPGA_OBJECT_SYNC = (1u << 0),        /**< Re-read the value from the driver first. */
	FPGA_OBJECT_GLOB = (1u << 1),        /**< The name is a glob pattern. */
	FPGA_OBJECT_RAW = (1u << 2),         /**< Move the value as raw bytes, not as text. */
	FPGA_OBJECT_RECURSE_ONE = (1u << 3), /**< Also make a container's children. */
	FPGA_OBJECT_RECURSE_ALL = (1u << 4)  /**< Also make every object below a container. */
};

/** What an fpga_object is (fpgaObjectGetType()). */
enum fpga_sysobject_type {
	FPGA_OBJECT_CONTAINER = (1u << 0), /**< A group of objects (a directory). */
	FPGA_OBJECT_ATTRIBUTE = (1u << 1)  /**< A value that can be read, and maybe written. */
};

/** The group a metric belongs to (fpga_metric_info.metric_type). */
enum fpga_metric_type {
	FPGA_METRIC_TYPE_POWER,           /**< Power (rails, consumption). */
	FPGA_METRIC_TYPE_THERMAL,         /**< Temperatures. */
	FPGA_METRIC_TYPE_PERFORMANCE_CTR, /**< Performance counters of the FPGA's fabric. */
	FPGA_METRIC_TYPE_AFU,             /**< Counters the accelerator itself defines. */
	FPGA_METRIC_TYPE_UNKNOWN          /**< None of the above. */
};

/** Which member of metric_value holds a metric's value (fpga_metric_info.metric_datatype). */
enum fpga_metric_datatype {
	FPGA_METRIC_DATATYPE_INT,    /**< metric_value.ivalue. */
	FPGA_METRIC_DATATYPE_FLOAT,  /**< metric_value.fvalue. */
	FPGA_METRIC_DATATYPE_DOUBLE, /**< metric_value.dvalue. */
	FPGA_METRIC_DATATYPE_BOOL,   /**< metric_value.bvalue. */
	FPGA_METRIC_DATATYPE_UNKNOWN /**< Not known. */
};

#endif /* OPAESHARP_OPAE_TYPES_ENUM_H */
