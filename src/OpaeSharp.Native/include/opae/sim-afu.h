/*
 * opae/sim-afu.h -- model an accelerator function (AFU) for OpaeSharp's simulator in C or C++.
 *
 * OpaeSharp's simulated FPGA card runs AFU models beside the program under test. Built-in models
 * cover OPAE's samples (nlb0, nlb3, he-lpbk, he-mem, dummy-afu, hello-afu); this header lets a C or
 * C++ developer add their own, or wrap an RTL model compiled with Verilator, as a shared library
 * (a "plugin") that exports one function, opae_sim_afu_create(). The simulator loads it by the
 * path a configuration file gives (OPAESHARP_SIM_CONFIG, see docs/simulator.md):
 *
 *   { "models": [ { "name": "my-afu", "plugin": "./libmy_afu.so", "args": "depth=4" } ],
 *     "cards":  [ { "ports": [ "my-afu" ] } ] }
 *
 * The plugin describes the AFU (id, MMIO size, interrupt vectors) and gives callbacks for MMIO
 * reads, writes and reset. It reaches host memory only by IO address, through the host functions
 * (the simulated IOMMU checks and records every access), raises interrupts and reports port errors
 * the same way, and queues long work on the AFU's own worker thread.
 *
 * Threading: MMIO callbacks run on the program's threads, possibly several at once; work queued
 * with host->run() runs on one worker thread per open port, one item at a time. A reset
 * (fpgaReset, or the last close) makes host->stopping() return nonzero and host DMA and delay
 * calls return -1 until the running work item returns; then reset() is called.
 *
 * Every host function takes the context passed to opae_sim_afu_create() and works once that call
 * has returned 0. The .NET library and the C library (libopae-c) both load plugins; .NET models
 * (OpaeSharp.Simulation.AfuModel) cannot be loaded by the C library, which is NativeAOT.
 */
#ifndef __OPAE_SIM_AFU_H__
#define __OPAE_SIM_AFU_H__

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The ABI version this header describes; opae_sim_afu.abi_version must be set to it. */
#define OPAE_SIM_AFU_ABI_VERSION 1

/** The name of the function a plugin exports. */
#define OPAE_SIM_AFU_CREATE "opae_sim_afu_create"

/** The simulator's side of one AFU instance (one port); opaque. */
typedef struct opae_sim_afu_context opae_sim_afu_context;

/** Work run on the AFU's worker thread by opae_sim_afu_host.run(). */
typedef void (*opae_sim_afu_work)(opae_sim_afu_context *ctx, void *arg);

/** Functions the simulator offers a plugin; valid as long as the plugin is loaded. */
typedef struct opae_sim_afu_host {
	/** OPAE_SIM_AFU_ABI_VERSION of the simulator. */
	uint32_t abi_version;
	uint32_t reserved;
	/**
	 * Reads length bytes of host memory at IO address io_address into dst.
	 * @returns 0, or -1 when the IOMMU refused (recorded as a DMA fault), a fault was injected,
	 *          or the port was reset meanwhile; nothing is read then.
	 */
	int (*dma_read)(opae_sim_afu_context *ctx, uint64_t io_address, void *dst, uint64_t length);
	/** Writes length bytes from src to host memory at io_address. @returns 0 or -1 (see dma_read). */
	int (*dma_write)(opae_sim_afu_context *ctx, uint64_t io_address, const void *src, uint64_t length);
	/**
	 * Raises interrupt vector (below num_interrupts): the event a program registered with
	 * fpgaRegisterEvent(FPGA_EVENT_INTERRUPT) fires.
	 * @returns 0 when an event was signalled, -1 when none was (none registered, bad vector, dropped).
	 */
	int (*raise_interrupt)(opae_sim_afu_context *ctx, uint32_t vector);
	/** Sets bits in the port's errors register (an FPGA_EVENT_ERROR fires). */
	void (*set_port_error)(opae_sim_afu_context *ctx, uint64_t bits);
	/** Queues work(ctx, arg) on the AFU's worker thread. @returns 0, or -1 for a NULL work or while no handle has the port open. */
	int (*run)(opae_sim_afu_context *ctx, opae_sim_afu_work work, void *arg);
	/** @returns nonzero once a reset asked the running work to end. */
	int (*stopping)(opae_sim_afu_context *ctx);
	/** Lets nanoseconds pass on the AFU's clock. @returns 0, or -1 when the port was reset meanwhile. */
	int (*delay)(opae_sim_afu_context *ctx, uint64_t nanoseconds);
	/** @returns the AFU's clock: nanoseconds since the card was made (follows the link model). */
	uint64_t (*now_ns)(opae_sim_afu_context *ctx);
	/**
	 * @returns the register file: mmio_size bytes, what MMIO reads return when mmio_read64 is NULL,
	 *          where writes land when mmio_write64 is NULL, and what fpgaMapMMIO gives programs.
	 */
	volatile uint8_t *(*registers)(opae_sim_afu_context *ctx);
	/** Logs message through the library's logger (LIBOPAE_LOG=1 shows it from C programs). */
	void (*log)(opae_sim_afu_context *ctx, const char *message);
} opae_sim_afu_host;

/** The AFU a plugin describes; opae_sim_afu_create() fills it in (it arrives zeroed). */
typedef struct opae_sim_afu {
	/** Must be OPAE_SIM_AFU_ABI_VERSION. */
	uint32_t abi_version;
	/** Interrupt vectors the AFU raises (0 for none). */
	uint32_t num_interrupts;
	/** Size of MMIO region 0 in bytes: a multiple of 4096; 0 means 256 KiB. */
	uint64_t mmio_size;
	/** The AFU id, "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", NUL-terminated. */
	char afu_id[40];
	/** A short name for logs and DMA faults, NUL-terminated (may be empty: the model's registered name). */
	char name[32];
	/** The plugin's own state, passed to every callback. */
	void *state;
	/**
	 * Reads the 64-bit register at offset (8-byte aligned). NULL: the register file is read, with
	 * the AFU header (DFH at 0: feature type AFU, end of list; afu_id at 0x8 and 0x10) written there
	 * by the simulator at reset.
	 */
	uint64_t (*mmio_read64)(void *state, uint64_t offset);
	/** Writes the 64-bit register at offset. NULL: the value is stored in the register file. */
	void (*mmio_write64)(void *state, uint64_t offset, uint64_t value);
	/** Reads a 32-bit register (4-byte aligned). NULL: the half of the 64-bit read. */
	uint32_t (*mmio_read32)(void *state, uint64_t offset);
	/** Writes a 32-bit register. NULL: mmio_write64 with the register's other half unchanged. */
	void (*mmio_write32)(void *state, uint64_t offset, uint32_t value);
	/** Port reset: the register file was cleared and the AFU header rewritten. May be NULL. */
	void (*reset)(void *state);
	/** The instance leaves its port (another AFU was loaded); free state. May be NULL. */
	void (*destroy)(void *state);
} opae_sim_afu;

/**
 * Creates one AFU instance (the simulator calls it once per port holding the model, and once when
 * the model is registered, to learn its id).
 *
 * @param[in]  host  The simulator's functions; keep the pointer.
 * @param[in]  ctx   This instance's context, for the host functions; keep it in state.
 * @param[in]  args  The configuration's "args" string ("" when none).
 * @param[out] afu   Zeroed; fill in abi_version, afu_id, the sizes and the callbacks.
 * @returns 0 on success; anything else refuses (the configuration fails to load, naming the plugin).
 */
int opae_sim_afu_create(const opae_sim_afu_host *host, opae_sim_afu_context *ctx,
			const char *args, opae_sim_afu *afu);

#ifdef __cplusplus
}
#endif

#endif /* __OPAE_SIM_AFU_H__ */
