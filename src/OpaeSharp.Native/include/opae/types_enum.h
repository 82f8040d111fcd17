/**
 * @file opae/types_enum.h
 * @brief Result codes, object kinds and flag values of the OPAE C API.
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

/** Kinds of asynchronous event (declared for source compatibility; events are not implemented). */
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

/** The driver interface behind an object. */
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

#endif /* OPAESHARP_OPAE_TYPES_ENUM_H */
