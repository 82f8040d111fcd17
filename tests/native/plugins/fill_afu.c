/*
 * fill_afu: a simulated AFU written in C as a plugin of OpaeSharp's simulator (opae/sim-afu.h).
 * It is docs/simulator.md's worked example and what tests/native/test_sim_plugin.c drives.
 *
 * Registers (64-bit): 0x100 ADDRESS (IO address of a host buffer), 0x108 LENGTH (bytes),
 * 0x110 GO (writing a byte value starts filling the buffer with it on the AFU's worker),
 * 0x118 STATUS (0 idle, 1 running, 2 done, 3 the DMA was refused), 0x120 SCRATCH. When a fill
 * ends the AFU raises interrupt vector 0. Reads and every other register come from the register
 * file the simulator keeps (mmio_read64 is NULL); the AFU header at 0 is the simulator's.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <opae/sim-afu.h>

#define FILL_AFU_ID "3c4f8d2e-7b1a-4c55-9e0f-1d2c3b4a5968"
#define REG_ADDRESS 0x100
#define REG_LENGTH 0x108
#define REG_GO 0x110
#define REG_STATUS 0x118
#define STATUS_RUNNING 1
#define STATUS_DONE 2
#define STATUS_REFUSED 3

/* The ABI's layout, as OpaeSharp's Interop/SimAfuAbi.cs declares it. */
_Static_assert(sizeof(opae_sim_afu) == 144, "opae_sim_afu is 144 bytes");
_Static_assert(offsetof(opae_sim_afu, afu_id) == 16, "afu_id at 16");
_Static_assert(offsetof(opae_sim_afu, state) == 88, "state at 88");
_Static_assert(offsetof(opae_sim_afu, destroy) == 136, "destroy at 136");
_Static_assert(sizeof(opae_sim_afu_host) == 88, "opae_sim_afu_host is 88 bytes");
_Static_assert(offsetof(opae_sim_afu_host, log) == 80, "log at 80");

struct fill_afu {
	const opae_sim_afu_host *host;
	opae_sim_afu_context *ctx;
};

static volatile uint64_t *reg(struct fill_afu *afu, uint64_t offset)
{
	return (volatile uint64_t *)(afu->host->registers(afu->ctx) + offset);
}

/* Runs on the AFU's worker thread: one DMA write of the whole buffer, then the interrupt. */
static void fill(opae_sim_afu_context *ctx, void *arg)
{
	struct fill_afu *afu = arg;
	uint64_t address = *reg(afu, REG_ADDRESS);
	uint64_t length = *reg(afu, REG_LENGTH);
	uint8_t value = (uint8_t)*reg(afu, REG_GO);
	uint8_t *bytes = malloc(length ? length : 1);
	int ok;

	if (!bytes) {
		*reg(afu, REG_STATUS) = STATUS_REFUSED;
		return;
	}
	memset(bytes, value, length);
	ok = afu->host->dma_write(ctx, address, bytes, length) == 0;
	free(bytes);
	if (afu->host->stopping(ctx))
		return; /* reset meanwhile: report nothing */
	*reg(afu, REG_STATUS) = ok ? STATUS_DONE : STATUS_REFUSED;
	afu->host->raise_interrupt(ctx, 0);
}

static void mmio_write64(void *state, uint64_t offset, uint64_t value)
{
	struct fill_afu *afu = state;

	if (offset < 0x18 || offset == REG_STATUS)
		return; /* the header and STATUS are read-only */
	*reg(afu, offset) = value;
	if (offset == REG_GO) {
		*reg(afu, REG_STATUS) = STATUS_RUNNING;
		afu->host->run(afu->ctx, fill, afu);
	}
}

static void destroy(void *state)
{
	free(state);
}

int opae_sim_afu_create(const opae_sim_afu_host *host, opae_sim_afu_context *ctx,
			const char *args, opae_sim_afu *afu)
{
	struct fill_afu *state;

	(void)args;
	if (host->abi_version != OPAE_SIM_AFU_ABI_VERSION)
		return 1;
	state = calloc(1, sizeof(*state));
	if (!state)
		return 2;
	state->host = host;
	state->ctx = ctx;

	afu->abi_version = OPAE_SIM_AFU_ABI_VERSION;
	afu->num_interrupts = 1;
	afu->mmio_size = 0x1000;
	strncpy(afu->afu_id, FILL_AFU_ID, sizeof(afu->afu_id) - 1);
	strncpy(afu->name, "fill-c", sizeof(afu->name) - 1);
	afu->state = state;
	afu->mmio_write64 = mmio_write64;
	afu->destroy = destroy;
	return 0;
}
