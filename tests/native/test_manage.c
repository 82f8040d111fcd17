/*
 * Reconfiguration (fpgaReconfigureSlot with a GBS for the simulated FME), the user clock and the
 * metrics API on the simulator, with their result codes.
 */
#include "fixture.h"

#define SIM_INTERFACE_ID "5c3b1f6e-6d1a-4f8b-9a7e-0b5e5f0a5e51"

/* A GBS: format GUID, metadata length (LE), JSON metadata, then @payload bytes of bitstream. */
static size_t make_gbs(uint8_t *out, size_t room, const char *interface_id, const char *afu_id)
{
	static const char *format = "58656F6E-4650-4741-B747-425376303031";
	char json[512];
	int length = snprintf(json, sizeof(json),
			      "{\"version\": 1, \"afu-image\": {\"magic-no\": 488605312, "
			      "\"interface-uuid\": \"%s\", \"clock-frequency-high\": 400, "
			      "\"clock-frequency-low\": 200, \"accelerator-clusters\": "
			      "[{\"name\": \"nlb0\", \"total-contexts\": 1, "
			      "\"accelerator-type-uuid\": \"%s\"}]}}",
			      interface_id, afu_id);
	size_t total = 20 + (size_t)length + 64;
	if (total > room)
		exit(1);
	fixture_parse_guid(format, out);
	out[16] = (uint8_t)length;
	out[17] = (uint8_t)(length >> 8);
	out[18] = 0;
	out[19] = 0;
	memcpy(out + 20, json, (size_t)length);
	memset(out + 20 + length, 0xa5, 64);
	return total;
}

static fpga_handle open_fme(void)
{
	fpga_token token = fixture_token(FPGA_DEVICE, NULL);
	fpga_handle h = NULL;
	REQUIRE_OK(fpgaOpen(token, &h, FPGA_OPEN_SHARED));
	REQUIRE_OK(fpgaDestroyToken(&token));
	return h;
}

static void a_gbs_for_the_simulated_interface_loads_and_sets_the_clock(void)
{
	uint8_t gbs[1024];
	size_t length = make_gbs(gbs, sizeof(gbs), SIM_INTERFACE_ID, NLB0_AFU_ID);
	fpga_handle fme = open_fme();
	fpga_handle port = NULL;
	uint64_t high = 0, low = 0;
	CHECK_RESULT(FPGA_OK, fpgaReconfigureSlot(fme, 0, gbs, length, 0));
	port = fixture_open(0);
	CHECK_RESULT(FPGA_OK, fpgaGetUserClock(port, &high, &low, 0));
	CHECK_U64(400000000, high);
	CHECK_U64(200000000, low);
	REQUIRE_OK(fpgaClose(port));
	REQUIRE_OK(fpgaClose(fme));
}

static void reconfiguration_refuses_mismatches_busy_slots_and_non_gbs_data(void)
{
	uint8_t gbs[1024];
	size_t length = make_gbs(gbs, sizeof(gbs), "00000000-1111-2222-3333-444444444444", NLB0_AFU_ID);
	fpga_handle fme = open_fme();
	fpga_handle port = NULL;
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReconfigureSlot(fme, 0, gbs, length, 0));
	length = make_gbs(gbs, sizeof(gbs), SIM_INTERFACE_ID, NLB0_AFU_ID);
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReconfigureSlot(fme, 1, gbs, length, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReconfigureSlot(fme, 0, gbs, 10, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReconfigureSlot(fme, 0, NULL, length, 0));
	gbs[0] ^= 0xff;
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReconfigureSlot(fme, 0, gbs, length, 0));
	gbs[0] ^= 0xff;
	port = fixture_open(0);
	CHECK_RESULT(FPGA_BUSY, fpgaReconfigureSlot(fme, 0, gbs, length, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReconfigureSlot(port, 0, gbs, length, 0));
	REQUIRE_OK(fpgaClose(port));
	length = make_gbs(gbs, sizeof(gbs), SIM_INTERFACE_ID, "01234567-89ab-cdef-0123-456789abcdef");
	CHECK_RESULT(FPGA_RECONF_ERROR, fpgaReconfigureSlot(fme, 0, gbs, length, 0));
	REQUIRE_OK(fpgaClose(fme));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaReconfigureSlot(fme, 0, gbs, length, 0));
}

static void the_user_clock_checks_its_range_and_its_handle(void)
{
	fpga_handle port = fixture_open(0);
	fpga_handle fme = open_fme();
	uint64_t high = 0, low = 0;
	CHECK_RESULT(FPGA_OK, fpgaSetUserClock(port, 300, 0, 0));
	CHECK_RESULT(FPGA_OK, fpgaGetUserClock(port, &high, &low, 0));
	CHECK_U64(300000000, high);
	CHECK_U64(150000000, low);
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaSetUserClock(port, 1201, 0, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaSetUserClock(port, 10, 0, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaSetUserClock(port, 300, 400, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaGetUserClock(port, NULL, &low, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaGetUserClock(fme, &high, &low, 0));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaSetUserClock(NULL, 300, 0, 0));
	REQUIRE_OK(fpgaClose(fme));
	REQUIRE_OK(fpgaClose(port));
}

static void the_fme_has_thermal_power_and_fabric_metrics(void)
{
	fpga_handle fme = open_fme();
	fpga_metric_info info[16];
	fpga_metric metric[16];
	uint64_t count = 0, got = 16, index[16], i;
	uint32_t thresholds = 0;
	metric_threshold threshold[4];
	char *names[1] = { (char *)"power_mgmt:power1" };
	int thermal = 0, power = 0;
	CHECK_RESULT(FPGA_OK, fpgaGetNumMetrics(fme, &count));
	CHECK(count >= 3 && count <= 16);
	CHECK_RESULT(FPGA_OK, fpgaGetMetricsInfo(fme, info, &got));
	CHECK_U64(count, got);
	for (i = 0; i < got; ++i) {
		index[i] = i;
		thermal |= info[i].metric_type == FPGA_METRIC_TYPE_THERMAL && !strcmp(info[i].metric_units, "Celsius");
		power |= info[i].metric_type == FPGA_METRIC_TYPE_POWER && !strcmp(info[i].metric_units, "Watts");
	}
	CHECK(thermal && power);
	CHECK_RESULT(FPGA_OK, fpgaGetMetricsByIndex(fme, index, got, metric));
	for (i = 0; i < got; ++i)
		CHECK(metric[i].isvalid);
	CHECK_RESULT(FPGA_OK, fpgaGetMetricsByName(fme, names, 1, metric));
	CHECK(metric[0].isvalid && metric[0].value.dvalue > 1.0);
	index[0] = count;
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaGetMetricsByIndex(fme, index, 1, metric));
	CHECK_RESULT(FPGA_OK, fpgaGetMetricsThresholdInfo(fme, NULL, &thresholds));
	CHECK_U64(2, thresholds);
	CHECK_RESULT(FPGA_OK, fpgaGetMetricsThresholdInfo(fme, threshold, &thresholds));
	CHECK(threshold[0].upper_c_threshold.is_valid && threshold[0].upper_c_threshold.value == 100.0);
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaGetNumMetrics(fme, NULL));
	REQUIRE_OK(fpgaClose(fme));
}

static void an_accelerator_has_no_fme_metrics(void)
{
	fpga_handle port = fixture_open(0);
	uint64_t count = 0;
	CHECK_RESULT(FPGA_NOT_FOUND, fpgaGetNumMetrics(port, &count));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaGetNumMetrics(NULL, &count));
	REQUIRE_OK(fpgaClose(port));
}

CHECK_CASES("manage",
	    CASE(a_gbs_for_the_simulated_interface_loads_and_sets_the_clock),
	    CASE(reconfiguration_refuses_mismatches_busy_slots_and_non_gbs_data),
	    CASE(the_user_clock_checks_its_range_and_its_handle),
	    CASE(the_fme_has_thermal_power_and_fabric_metrics),
	    CASE(an_accelerator_has_no_fme_metrics))
