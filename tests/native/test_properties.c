/*
 * Properties objects and enumeration: unset fields are FPGA_NOT_FOUND, setters narrow filters,
 * tokens describe their object, and parents link accelerators to their device.
 */
#include "fixture.h"

static void empty_properties_have_no_fields(void)
{
	fpga_properties prop = NULL;
	fpga_objtype type;
	fpga_guid guid;
	uint16_t u16;
	uint8_t u8;
	fpga_token parent = NULL;
	REQUIRE_OK(fpgaGetProperties(NULL, &prop));
	CHECK_RESULT(FPGA_NOT_FOUND, fpgaPropertiesGetObjectType(prop, &type));
	CHECK_RESULT(FPGA_NOT_FOUND, fpgaPropertiesGetGUID(prop, &guid));
	CHECK_RESULT(FPGA_NOT_FOUND, fpgaPropertiesGetSegment(prop, &u16));
	CHECK_RESULT(FPGA_NOT_FOUND, fpgaPropertiesGetBus(prop, &u8));
	CHECK_RESULT(FPGA_NOT_FOUND, fpgaPropertiesGetDevice(prop, &u8));
	CHECK_RESULT(FPGA_NOT_FOUND, fpgaPropertiesGetFunction(prop, &u8));
	CHECK_RESULT(FPGA_NOT_FOUND, fpgaPropertiesGetSocketID(prop, &u8));
	CHECK_RESULT(FPGA_NOT_FOUND, fpgaPropertiesGetDeviceID(prop, &u16));
	CHECK_RESULT(FPGA_NOT_FOUND, fpgaPropertiesGetVendorID(prop, &u16));
	CHECK_RESULT(FPGA_NOT_FOUND, fpgaPropertiesGetParent(prop, &parent));
	REQUIRE_OK(fpgaDestroyProperties(&prop));
}

static void setters_round_trip_and_clear_unsets(void)
{
	fpga_properties prop = NULL, copy = NULL;
	fpga_guid in, out;
	fpga_objtype type = FPGA_DEVICE;
	uint16_t u16 = 0;
	uint8_t u8 = 0;
	fixture_parse_guid(NLB0_AFU_ID, in);
	REQUIRE_OK(fpgaGetProperties(NULL, &prop));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesSetObjectType(prop, FPGA_ACCELERATOR));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesSetGUID(prop, in));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesSetSegment(prop, 0x1234));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesSetBus(prop, 0x3b));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesSetDevice(prop, 31));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesSetFunction(prop, 7));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesSetSocketID(prop, 1));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesSetDeviceID(prop, 0x09c4));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesSetVendorID(prop, 0x8086));
	REQUIRE_OK(fpgaCloneProperties(prop, &copy));
	CHECK_RESULT(FPGA_OK, fpgaClearProperties(prop));
	CHECK_RESULT(FPGA_NOT_FOUND, fpgaPropertiesGetBus(prop, &u8));

	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetObjectType(copy, &type));
	CHECK(type == FPGA_ACCELERATOR);
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetGUID(copy, &out));
	CHECK(memcmp(in, out, sizeof(in)) == 0);
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetSegment(copy, &u16));
	CHECK_U64(0x1234, u16);
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetBus(copy, &u8));
	CHECK_U64(0x3b, u8);
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetDevice(copy, &u8));
	CHECK_U64(31, u8);
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetFunction(copy, &u8));
	CHECK_U64(7, u8);
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetSocketID(copy, &u8));
	CHECK_U64(1, u8);
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetDeviceID(copy, &u16));
	CHECK_U64(0x09c4, u16);
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetVendorID(copy, &u16));
	CHECK_U64(0x8086, u16);
	REQUIRE_OK(fpgaDestroyProperties(&prop));
	REQUIRE_OK(fpgaDestroyProperties(&copy));
}

static void setters_reject_out_of_range_values(void)
{
	fpga_properties prop = NULL;
	REQUIRE_OK(fpgaGetProperties(NULL, &prop));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaPropertiesSetObjectType(prop, (fpga_objtype)7));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaPropertiesSetDevice(prop, 32));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaPropertiesSetFunction(prop, 8));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaPropertiesGetBus(prop, NULL));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaPropertiesSetGUID(prop, NULL));
	REQUIRE_OK(fpgaDestroyProperties(&prop));
}

/* A token's properties are the object's: NLB0's GUID, the simulator's PCI ids, a parent device. */
static void token_properties_describe_the_accelerator(void)
{
	fpga_token token = fixture_token(FPGA_ACCELERATOR, NLB0_AFU_ID);
	fpga_properties prop = NULL, parent_prop = NULL;
	fpga_token parent = NULL;
	fpga_guid expected, guid;
	fpga_objtype type;
	uint16_t vendor = 0;
	fixture_parse_guid(NLB0_AFU_ID, expected);
	REQUIRE_OK(fpgaGetProperties(token, &prop));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetGUID(prop, &guid));
	CHECK(memcmp(expected, guid, sizeof(guid)) == 0);
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetVendorID(prop, &vendor));
	CHECK_U64(0x8086, vendor);
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetParent(prop, &parent));
	REQUIRE_OK(fpgaGetProperties(parent, &parent_prop));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetObjectType(parent_prop, &type));
	CHECK(type == FPGA_DEVICE);
	CHECK_RESULT(FPGA_NOT_FOUND, fpgaPropertiesGetParent(parent_prop, &token));
	REQUIRE_OK(fpgaDestroyProperties(&parent_prop));
	REQUIRE_OK(fpgaDestroyToken(&parent));
	REQUIRE_OK(fpgaDestroyProperties(&prop));
	REQUIRE_OK(fpgaDestroyToken(&token));
}

static void enumerate_filters_and_counts(void)
{
	fpga_properties filter = NULL;
	fpga_token tokens[8];
	uint32_t all = 0, accelerators = 0, none = 0, counted = 0;
	REQUIRE_OK(fpgaEnumerate(NULL, 0, NULL, 0, &all));
	CHECK(all >= 2); /* a device and its accelerator */
	REQUIRE_OK(fpgaGetProperties(NULL, &filter));
	REQUIRE_OK(fpgaPropertiesSetObjectType(filter, FPGA_ACCELERATOR));
	REQUIRE_OK(fpgaEnumerate(&filter, 1, NULL, 0, &accelerators));
	CHECK(accelerators >= 1 && accelerators < all);
	REQUIRE_OK(fpgaPropertiesSetBus(filter, 0xff));
	REQUIRE_OK(fpgaEnumerate(&filter, 1, tokens, 8, &none));
	CHECK(none == 0);
	/* Only max_tokens are returned, but all matches are counted. */
	REQUIRE_OK(fpgaEnumerate(NULL, 0, tokens, 1, &counted));
	CHECK(counted == all);
	REQUIRE_OK(fpgaDestroyToken(&tokens[0]));
	REQUIRE_OK(fpgaDestroyProperties(&filter));
}

static void enumerate_by_parent_finds_the_devices_accelerators(void)
{
	fpga_token device = fixture_token(FPGA_DEVICE, NULL), found = NULL;
	fpga_properties filter = NULL, prop = NULL;
	fpga_objtype type;
	uint32_t matches = 0;
	REQUIRE_OK(fpgaGetProperties(NULL, &filter));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesSetParent(filter, device));
	REQUIRE_OK(fpgaEnumerate(&filter, 1, &found, 1, &matches));
	CHECK(matches == 1);
	REQUIRE_OK(fpgaGetProperties(found, &prop));
	REQUIRE_OK(fpgaPropertiesGetObjectType(prop, &type));
	CHECK(type == FPGA_ACCELERATOR);
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaPropertiesSetParent(filter, NULL));
	REQUIRE_OK(fpgaDestroyProperties(&prop));
	REQUIRE_OK(fpgaDestroyProperties(&filter));
	REQUIRE_OK(fpgaDestroyToken(&found));
	REQUIRE_OK(fpgaDestroyToken(&device));
}

static void enumerate_checks_its_arguments(void)
{
	fpga_properties filter = NULL;
	fpga_token token = NULL;
	uint32_t matches = 0;
	REQUIRE_OK(fpgaGetProperties(NULL, &filter));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaEnumerate(&filter, 1, &token, 1, NULL));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaEnumerate(&filter, 1, NULL, 1, &matches));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaEnumerate(NULL, 1, &token, 1, &matches));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaEnumerate(&filter, 0, &token, 1, &matches));
	REQUIRE_OK(fpgaDestroyProperties(&filter));
	/* filter is now NULL: a destroyed filter in the array is refused, and nothing matches. */
	matches = 5;
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaEnumerate(&filter, 1, &token, 1, &matches));
	CHECK(token == NULL);
	CHECK(matches == 0);
}

static void properties_from_handle_and_update(void)
{
	fpga_handle h = fixture_open(0);
	fpga_token token = fixture_token(FPGA_DEVICE, NULL);
	fpga_properties prop = NULL;
	fpga_objtype type;
	REQUIRE_OK(fpgaGetPropertiesFromHandle(h, &prop));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetObjectType(prop, &type));
	CHECK(type == FPGA_ACCELERATOR);
	CHECK_RESULT(FPGA_OK, fpgaUpdateProperties(token, prop));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetObjectType(prop, &type));
	CHECK(type == FPGA_DEVICE);
	REQUIRE_OK(fpgaDestroyProperties(&prop));
	REQUIRE_OK(fpgaDestroyToken(&token));
	REQUIRE_OK(fpgaClose(h));
}

/* Device-only fields need FPGA_DEVICE, accelerator-only ones FPGA_ACCELERATOR (else INVALID_PARAM). */
static void kind_specific_fields_follow_the_object_type(void)
{
	fpga_properties prop = NULL;
	uint32_t u32 = 0;
	uint64_t u64 = 0;
	fpga_version version = { 0, 0, 0 }, v = { 1, 2, 3 };
	fpga_accelerator_state state;
	REQUIRE_OK(fpgaGetProperties(NULL, &prop));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaPropertiesGetNumSlots(prop, &u32));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaPropertiesSetNumSlots(prop, 2));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaPropertiesSetNumMMIO(prop, 2));
	REQUIRE_OK(fpgaPropertiesSetObjectType(prop, FPGA_DEVICE));
	CHECK_RESULT(FPGA_NOT_FOUND, fpgaPropertiesGetNumSlots(prop, &u32));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesSetNumSlots(prop, 2));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetNumSlots(prop, &u32));
	CHECK_U64(2, u32);
	CHECK_RESULT(FPGA_OK, fpgaPropertiesSetBBSID(prop, 0x123));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetBBSID(prop, &u64));
	CHECK_U64(0x123, u64);
	CHECK_RESULT(FPGA_OK, fpgaPropertiesSetBBSVersion(prop, v));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetBBSVersion(prop, &version));
	CHECK(version.major == 1 && version.minor == 2 && version.patch == 3);
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaPropertiesGetNumMMIO(prop, &u32));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaPropertiesGetAcceleratorState(prop, &state));
	REQUIRE_OK(fpgaPropertiesSetObjectType(prop, FPGA_ACCELERATOR));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaPropertiesGetNumSlots(prop, &u32));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesSetNumMMIO(prop, 1));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetNumMMIO(prop, &u32));
	CHECK_U64(1, u32);
	CHECK_RESULT(FPGA_OK, fpgaPropertiesSetNumInterrupts(prop, 4));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetNumInterrupts(prop, &u32));
	CHECK_U64(4, u32);
	CHECK_RESULT(FPGA_OK, fpgaPropertiesSetAcceleratorState(prop, FPGA_ACCELERATOR_UNASSIGNED));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetAcceleratorState(prop, &state));
	CHECK(state == FPGA_ACCELERATOR_UNASSIGNED);
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaPropertiesSetAcceleratorState(prop, (fpga_accelerator_state)7));
	REQUIRE_OK(fpgaDestroyProperties(&prop));
}

static void common_new_fields_round_trip_and_opae_unsupported_ones_say_so(void)
{
	fpga_properties prop = NULL;
	uint64_t u64 = 0;
	uint32_t u32 = 0;
	uint16_t u16 = 0;
	char model[64];
	fpga_interface ifc;
	REQUIRE_OK(fpgaGetProperties(NULL, &prop));
	CHECK_RESULT(FPGA_NOT_FOUND, fpgaPropertiesGetObjectID(prop, &u64));
	CHECK_RESULT(FPGA_NOT_FOUND, fpgaPropertiesGetNumErrors(prop, &u32));
	CHECK_RESULT(FPGA_NOT_FOUND, fpgaPropertiesGetInterface(prop, &ifc));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesSetObjectID(prop, 0xea00000));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetObjectID(prop, &u64));
	CHECK_U64(0xea00000, u64);
	CHECK_RESULT(FPGA_OK, fpgaPropertiesSetNumErrors(prop, 3));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetNumErrors(prop, &u32));
	CHECK_U64(3, u32);
	CHECK_RESULT(FPGA_OK, fpgaPropertiesSetSubsystemVendorID(prop, 0x8086));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetSubsystemVendorID(prop, &u16));
	CHECK_U64(0x8086, u16);
	CHECK_RESULT(FPGA_OK, fpgaPropertiesSetSubsystemDeviceID(prop, 0x1771));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetSubsystemDeviceID(prop, &u16));
	CHECK_U64(0x1771, u16);
	CHECK_RESULT(FPGA_OK, fpgaPropertiesSetInterface(prop, FPGA_IFC_VFIO));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetInterface(prop, &ifc));
	CHECK(ifc == FPGA_IFC_VFIO);
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaPropertiesSetInterface(prop, (fpga_interface)9));
	CHECK_RESULT(FPGA_NOT_SUPPORTED, fpgaPropertiesGetModel(prop, model));
	CHECK_RESULT(FPGA_NOT_SUPPORTED, fpgaPropertiesSetModel(prop, model));
	CHECK_RESULT(FPGA_NOT_SUPPORTED, fpgaPropertiesGetLocalMemorySize(prop, &u64));
	CHECK_RESULT(FPGA_NOT_SUPPORTED, fpgaPropertiesSetLocalMemorySize(prop, 1));
	CHECK_RESULT(FPGA_NOT_SUPPORTED, fpgaPropertiesGetCapabilities(prop, &u64));
	CHECK_RESULT(FPGA_NOT_SUPPORTED, fpgaPropertiesSetCapabilities(prop, 1));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaPropertiesGetObjectID(NULL, &u64));
	CHECK_RESULT(FPGA_INVALID_PARAM, fpgaPropertiesGetObjectID(prop, NULL));
	REQUIRE_OK(fpgaDestroyProperties(&prop));
}

/* What fpgainfo prints: the simulated FME's slots, bitstream id and version, and the port's counts. */
static void simulated_tokens_fill_every_field_their_backend_knows(void)
{
	fpga_token fme = fixture_token(FPGA_DEVICE, NULL);
	fpga_token port = fixture_token(FPGA_ACCELERATOR, NLB0_AFU_ID);
	fpga_properties prop = NULL, filter = NULL;
	uint32_t u32 = 0, matches = 0;
	uint64_t u64 = 0, fme_id = 0;
	fpga_version version;
	fpga_accelerator_state state;
	fpga_interface ifc;
	REQUIRE_OK(fpgaGetProperties(fme, &prop));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetNumSlots(prop, &u32));
	CHECK_U64(1, u32);
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetBBSID(prop, &u64));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetBBSVersion(prop, &version));
	CHECK(version.major == ((u64 >> 56) & 0xf) && version.minor == ((u64 >> 52) & 0xf) && version.patch == ((u64 >> 48) & 0xf));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetObjectID(prop, &fme_id));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetNumErrors(prop, &u32));
	CHECK(u32 > 0);
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetInterface(prop, &ifc));
	CHECK(ifc == FPGA_IFC_SIM_DFL);
	REQUIRE_OK(fpgaDestroyProperties(&prop));
	REQUIRE_OK(fpgaGetProperties(port, &prop));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetNumMMIO(prop, &u32));
	CHECK_U64(1, u32);
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetAcceleratorState(prop, &state));
	CHECK(state == FPGA_ACCELERATOR_UNASSIGNED);
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetObjectID(prop, &u64));
	CHECK(u64 != fme_id);
	REQUIRE_OK(fpgaDestroyProperties(&prop));

	REQUIRE_OK(fpgaGetProperties(NULL, &filter));
	REQUIRE_OK(fpgaPropertiesSetObjectType(filter, FPGA_DEVICE));
	REQUIRE_OK(fpgaPropertiesSetNumSlots(filter, 1));
	CHECK_RESULT(FPGA_OK, fpgaEnumerate(&filter, 1, NULL, 0, &matches));
	CHECK_U64(1, matches);
	REQUIRE_OK(fpgaPropertiesSetNumSlots(filter, 5));
	CHECK_RESULT(FPGA_OK, fpgaEnumerate(&filter, 1, NULL, 0, &matches));
	CHECK_U64(0, matches);
	REQUIRE_OK(fpgaDestroyProperties(&filter));
	REQUIRE_OK(fpgaDestroyToken(&port));
	REQUIRE_OK(fpgaDestroyToken(&fme));
}

CHECK_CASES("properties",
	    CASE(empty_properties_have_no_fields),
	    CASE(setters_round_trip_and_clear_unsets),
	    CASE(setters_reject_out_of_range_values),
	    CASE(token_properties_describe_the_accelerator),
	    CASE(enumerate_filters_and_counts),
	    CASE(enumerate_by_parent_finds_the_devices_accelerators),
	    CASE(enumerate_checks_its_arguments),
	    CASE(properties_from_handle_and_update),
	    CASE(kind_specific_fields_follow_the_object_type),
	    CASE(common_new_fields_round_trip_and_opae_unsupported_ones_say_so),
	    CASE(simulated_tokens_fill_every_field_their_backend_knows))
