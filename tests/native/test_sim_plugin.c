/*
 * A simulated AFU modelled in C (tests/native/plugins/fill_afu.c, an opae/sim-afu.h plugin),
 * loaded by libopae-c from the JSON file OPAESHARP_SIM_CONFIG names, driven through OPAE's API:
 * its header, DMA by IO address on its worker, its interrupt through fpgaRegisterEvent and poll(),
 * a refused DMA, reset; and a configuration of two
 * cards with two ports each. SIM_PLUGIN is the plugin's path (CMake passes it).
 */
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include "fixture.h"

#define FILL_AFU_ID "3c4f8d2e-7b1a-4c55-9e0f-1d2c3b4a5968"

/* Writes a configuration naming the plugin and points OPAESHARP_SIM_CONFIG at it (before any OPAE call). */
static void configure(const char *cards)
{
	static char path[] = "/tmp/opaesharp-sim-plugin-XXXXXX";
	int fd = mkstemp(path);
	FILE *file;

	if (fd < 0 || !(file = fdopen(fd, "w"))) {
		fprintf(stderr, "cannot write a configuration file\n");
		exit(1);
	}
	fprintf(file, "{ \"models\": [ { \"name\": \"fill-c\", \"plugin\": \"%s\" } ], \"cards\": [ %s ] }\n",
		SIM_PLUGIN, cards);
	fclose(file);
	setenv("OPAESHARP_SIM_CONFIG", path, 1);
	setenv("OPAESHARP_BACKEND", "sim", 1);
}

static void cleanup(void)
{
	const char *path = getenv("OPAESHARP_SIM_CONFIG");
	if (path)
		unlink(path);
}

static fpga_handle open_fill(void)
{
	fpga_token token = fixture_token(FPGA_ACCELERATOR, FILL_AFU_ID);
	fpga_handle handle = NULL;
	REQUIRE_OK(fpgaOpen(token, &handle, 0));
	REQUIRE_OK(fpgaDestroyToken(&token));
	return handle;
}

static uint64_t wait_status(fpga_handle h)
{
	uint64_t status = 1;
	for (int i = 0; i < 10000 && status == 1; ++i) {
		REQUIRE_OK(fpgaReadMMIO64(h, 0, 0x118, &status));
		if (status == 1)
			usleep(100);
	}
	return status;
}

static void the_plugin_afu_enumerates_by_its_id_with_the_header_the_simulator_writes(void)
{
	configure("{ \"ports\": [ \"nlb0\", \"fill-c\" ] }");
	fpga_handle h = open_fill();
	uint64_t dfh = 0, low = 0, high = 0;
	REQUIRE_OK(fpgaReadMMIO64(h, 0, 0x0, &dfh));
	REQUIRE_OK(fpgaReadMMIO64(h, 0, 0x8, &low));
	REQUIRE_OK(fpgaReadMMIO64(h, 0, 0x10, &high));
	CHECK_U64(1, dfh >> 60);
	CHECK_U64(UINT64_C(0x9e0f1d2c3b4a5968), low);
	CHECK_U64(UINT64_C(0x3c4f8d2e7b1a4c55), high);
	REQUIRE_OK(fpgaClose(h));
	cleanup();
}

static void the_plugin_afu_fills_a_shared_buffer_by_io_address(void)
{
	configure("{ \"ports\": [ \"fill-c\" ] }");
	fpga_handle h = open_fill();
	uint64_t wsid = 0, io = 0;
	volatile uint8_t *buffer = NULL;
	REQUIRE_OK(fpgaPrepareBuffer(h, 8192, (void **)&buffer, &wsid, 0));
	REQUIRE_OK(fpgaGetIOAddress(h, wsid, &io));
	REQUIRE_OK(fpgaWriteMMIO64(h, 0, 0x100, io));
	REQUIRE_OK(fpgaWriteMMIO64(h, 0, 0x108, 8192));
	REQUIRE_OK(fpgaWriteMMIO64(h, 0, 0x110, 0x5a));
	CHECK_U64(2, wait_status(h));
	for (int i = 0; i < 8192; ++i) {
		if (buffer[i] != 0x5a) {
			fprintf(stderr, "byte %d is 0x%x\n", i, buffer[i]);
			CHECK(buffer[i] == 0x5a);
			break;
		}
	}
	REQUIRE_OK(fpgaReleaseBuffer(h, wsid));
	REQUIRE_OK(fpgaClose(h));
	cleanup();
}

static void the_plugin_afu_interrupt_fires_the_registered_event(void)
{
	configure("{ \"ports\": [ \"fill-c\" ] }");
	fpga_handle h = open_fill();
	fpga_event_handle event = NULL;
	struct pollfd pfd = { .events = POLLIN };
	uint64_t wsid = 0, io = 0, count = 0;
	void *buffer = NULL;

	REQUIRE_OK(fpgaCreateEventHandle(&event));
	REQUIRE_OK(fpgaRegisterEvent(h, FPGA_EVENT_INTERRUPT, event, 0));
	REQUIRE_OK(fpgaGetOSObjectFromEventHandle(event, &pfd.fd));
	REQUIRE_OK(fpgaPrepareBuffer(h, 4096, &buffer, &wsid, 0));
	REQUIRE_OK(fpgaGetIOAddress(h, wsid, &io));
	REQUIRE_OK(fpgaWriteMMIO64(h, 0, 0x100, io));
	REQUIRE_OK(fpgaWriteMMIO64(h, 0, 0x108, 4096));
	REQUIRE_OK(fpgaWriteMMIO64(h, 0, 0x110, 7));

	CHECK(poll(&pfd, 1, 10000) == 1);
	CHECK(read(pfd.fd, &count, sizeof(count)) == (ssize_t)sizeof(count));
	CHECK_U64(1, count);
	CHECK_U64(2, wait_status(h));
	REQUIRE_OK(fpgaUnregisterEvent(h, FPGA_EVENT_INTERRUPT, event));
	REQUIRE_OK(fpgaDestroyEventHandle(&event));
	REQUIRE_OK(fpgaReleaseBuffer(h, wsid));
	REQUIRE_OK(fpgaClose(h));
	cleanup();
}

static void a_plugin_dma_past_its_buffer_is_refused_and_reported(void)
{
	configure("{ \"ports\": [ \"fill-c\" ] }");
	fpga_handle h = open_fill();
	uint64_t wsid = 0, io = 0;
	void *buffer = NULL;
	REQUIRE_OK(fpgaPrepareBuffer(h, 4096, &buffer, &wsid, 0));
	REQUIRE_OK(fpgaGetIOAddress(h, wsid, &io));
	REQUIRE_OK(fpgaWriteMMIO64(h, 0, 0x100, io));
	REQUIRE_OK(fpgaWriteMMIO64(h, 0, 0x108, 8192));
	REQUIRE_OK(fpgaWriteMMIO64(h, 0, 0x110, 1));
	CHECK_U64(3, wait_status(h));
	REQUIRE_OK(fpgaReleaseBuffer(h, wsid));
	REQUIRE_OK(fpgaClose(h));
	cleanup();
}

static void reset_clears_the_plugin_afu_registers(void)
{
	configure("{ \"ports\": [ \"fill-c\" ] }");
	fpga_handle h = open_fill();
	uint64_t value = 0;
	REQUIRE_OK(fpgaWriteMMIO64(h, 0, 0x120, 0x1234));
	REQUIRE_OK(fpgaReadMMIO64(h, 0, 0x120, &value));
	CHECK_U64(0x1234, value);
	REQUIRE_OK(fpgaReset(h));
	REQUIRE_OK(fpgaReadMMIO64(h, 0, 0x120, &value));
	CHECK_U64(0, value);
	REQUIRE_OK(fpgaClose(h));
	cleanup();
}

static void two_cards_of_two_ports_enumerate_as_two_devices_and_four_accelerators(void)
{
	configure("{ \"pci\": \"0000:5e:00.0\", \"ports\": [ \"nlb0\", \"he-lpbk\" ] },"
		  " { \"pci\": \"0000:af:00.0\", \"ports\": [ \"dummy-afu\", \"fill-c\" ] }");
	fpga_properties filter = NULL;
	uint32_t devices = 0, accelerators = 0;
	fpga_token token = NULL;
	uint8_t bus = 0, function = 0;

	REQUIRE_OK(fpgaGetProperties(NULL, &filter));
	REQUIRE_OK(fpgaPropertiesSetObjectType(filter, FPGA_DEVICE));
	REQUIRE_OK(fpgaEnumerate(&filter, 1, NULL, 0, &devices));
	REQUIRE_OK(fpgaPropertiesSetObjectType(filter, FPGA_ACCELERATOR));
	REQUIRE_OK(fpgaEnumerate(&filter, 1, NULL, 0, &accelerators));
	REQUIRE_OK(fpgaDestroyProperties(&filter));
	CHECK(devices == 2);
	CHECK(accelerators == 4);

	token = fixture_token(FPGA_ACCELERATOR, FILL_AFU_ID);
	REQUIRE_OK(fpgaGetProperties(token, &filter));
	REQUIRE_OK(fpgaPropertiesGetBus(filter, &bus));
	REQUIRE_OK(fpgaPropertiesGetFunction(filter, &function));
	CHECK_U64(0xaf, bus);
	CHECK_U64(1, function);
	REQUIRE_OK(fpgaDestroyProperties(&filter));
	REQUIRE_OK(fpgaDestroyToken(&token));
	cleanup();
}

CHECK_CASES("sim_plugin",
	    CASE(the_plugin_afu_enumerates_by_its_id_with_the_header_the_simulator_writes),
	    CASE(the_plugin_afu_fills_a_shared_buffer_by_io_address),
	    CASE(the_plugin_afu_interrupt_fires_the_registered_event),
	    CASE(a_plugin_dma_past_its_buffer_is_refused_and_reported),
	    CASE(reset_clears_the_plugin_afu_registers),
	    CASE(two_cards_of_two_ports_enumerate_as_two_devices_and_four_accelerators))
