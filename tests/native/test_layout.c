/*
 * The ABI's numbers: sizes, alignments and member offsets of every public structure and union,
 * and the value of every enumerator and numeric macro of the opae headers. They are OPAE's on
 * LP64 Linux (x86-64; AArch64 lays these types out the same way), so a structure or array
 * filled by a program built against OPAE's headers means the same to us, and the reverse.
 *
 * The checks are _Static_assert: a wrong number fails the build. The run-time cases check the
 * other side of the ABI: that the library's getters write exactly the bytes of their C types.
 */
#include "fixture.h"

#define SIZE(type, size, align)                                                  \
	_Static_assert(sizeof(type) == (size), "sizeof(" #type ") == " #size);   \
	_Static_assert(_Alignof(type) == (align), "_Alignof(" #type ") == " #align)
#define MEMBER(type, member, offset, size)                                       \
	_Static_assert(offsetof(type, member) == (offset),                       \
		       "offsetof(" #type ", " #member ") == " #offset);          \
	_Static_assert(sizeof(((type *)0)->member) == (size),                    \
		       "sizeof(" #type "." #member ") == " #size)
#define VALUE(name, value) _Static_assert((name) == (value), #name " == " #value)

/* Opaque types and scalars. */
SIZE(fpga_properties, 8, 8);
SIZE(fpga_token, 8, 8);
SIZE(fpga_handle, 8, 8);
SIZE(fpga_event_handle, 8, 8);
SIZE(fpga_object, 8, 8);
SIZE(fpga_guid, 16, 1);

/* Every enumeration is int-sized. */
SIZE(fpga_result, 4, 4);
SIZE(fpga_event_type, 4, 4);
SIZE(fpga_accelerator_state, 4, 4);
SIZE(fpga_objtype, 4, 4);
SIZE(fpga_interface, 4, 4);
SIZE(enum fpga_buffer_flags, 4, 4);
SIZE(enum fpga_open_flags, 4, 4);
SIZE(enum fpga_reconf_flags, 4, 4);
SIZE(enum fpga_sysobject_flags, 4, 4);
SIZE(enum fpga_sysobject_type, 4, 4);
SIZE(enum fpga_metric_type, 4, 4);
SIZE(enum fpga_metric_datatype, 4, 4);
SIZE(enum opae_loglevel, 4, 4);

SIZE(fpga_version, 4, 2);
MEMBER(fpga_version, major, 0, 1);
MEMBER(fpga_version, minor, 1, 1);
MEMBER(fpga_version, patch, 2, 2);

SIZE(struct fpga_error_info, 65, 1);
MEMBER(struct fpga_error_info, name, 0, 64);
MEMBER(struct fpga_error_info, can_clear, 64, 1);

SIZE(metric_value, 8, 8);
MEMBER(metric_value, ivalue, 0, 8);
MEMBER(metric_value, dvalue, 0, 8);
MEMBER(metric_value, fvalue, 0, 4);
MEMBER(metric_value, bvalue, 0, 1);

SIZE(fpga_metric_info, 1056, 8);
SIZE(struct fpga_metric_info, 1056, 8);
MEMBER(fpga_metric_info, metric_num, 0, 8);
MEMBER(fpga_metric_info, metric_guid, 8, 16);
MEMBER(fpga_metric_info, qualifier_name, 24, 256);
MEMBER(fpga_metric_info, group_name, 280, 256);
MEMBER(fpga_metric_info, metric_name, 536, 256);
MEMBER(fpga_metric_info, metric_units, 792, 256);
MEMBER(fpga_metric_info, metric_datatype, 1048, 4);
MEMBER(fpga_metric_info, metric_type, 1052, 4);

SIZE(fpga_metric, 24, 8);
SIZE(struct fpga_metric, 24, 8);
MEMBER(fpga_metric, metric_num, 0, 8);
MEMBER(fpga_metric, value, 8, 8);
MEMBER(fpga_metric, isvalid, 16, 1);

SIZE(threshold, 272, 8);
SIZE(struct threshold, 272, 8);
MEMBER(threshold, threshold_name, 0, 256);
MEMBER(threshold, is_valid, 256, 4);
MEMBER(threshold, value, 264, 8);

SIZE(metric_threshold, 2160, 8);
SIZE(struct metric_threshold, 2160, 8);
MEMBER(metric_threshold, metric_name, 0, 256);
MEMBER(metric_threshold, upper_nr_threshold, 256, 272);
MEMBER(metric_threshold, upper_c_threshold, 528, 272);
MEMBER(metric_threshold, upper_nc_threshold, 800, 272);
MEMBER(metric_threshold, lower_nr_threshold, 1072, 272);
MEMBER(metric_threshold, lower_c_threshold, 1344, 272);
MEMBER(metric_threshold, lower_nc_threshold, 1616, 272);
MEMBER(metric_threshold, hysteresis, 1888, 272);

SIZE(fpga_token_header, 64, 8);
SIZE(struct _fpga_token_header, 64, 8);
MEMBER(fpga_token_header, magic, 0, 8);
MEMBER(fpga_token_header, vendor_id, 8, 2);
MEMBER(fpga_token_header, device_id, 10, 2);
MEMBER(fpga_token_header, segment, 12, 2);
MEMBER(fpga_token_header, bus, 14, 1);
MEMBER(fpga_token_header, device, 15, 1);
MEMBER(fpga_token_header, function, 16, 1);
MEMBER(fpga_token_header, interface, 20, 4);
MEMBER(fpga_token_header, objtype, 24, 4);
MEMBER(fpga_token_header, object_id, 32, 8);
MEMBER(fpga_token_header, guid, 40, 16);
MEMBER(fpga_token_header, subsystem_vendor_id, 56, 2);
MEMBER(fpga_token_header, subsystem_device_id, 58, 2);

/* fpga_result */
VALUE(FPGA_OK, 0);
VALUE(FPGA_INVALID_PARAM, 1);
VALUE(FPGA_BUSY, 2);
VALUE(FPGA_EXCEPTION, 3);
VALUE(FPGA_NOT_FOUND, 4);
VALUE(FPGA_NO_MEMORY, 5);
VALUE(FPGA_NOT_SUPPORTED, 6);
VALUE(FPGA_NO_DRIVER, 7);
VALUE(FPGA_NO_DAEMON, 8);
VALUE(FPGA_NO_ACCESS, 9);
VALUE(FPGA_RECONF_ERROR, 10);

/* fpga_event_type, fpga_accelerator_state, fpga_objtype, fpga_interface */
VALUE(FPGA_EVENT_INTERRUPT, 0);
VALUE(FPGA_EVENT_ERROR, 1);
VALUE(FPGA_EVENT_POWER_THERMAL, 2);
VALUE(FPGA_ACCELERATOR_ASSIGNED, 0);
VALUE(FPGA_ACCELERATOR_UNASSIGNED, 1);
VALUE(FPGA_DEVICE, 0);
VALUE(FPGA_ACCELERATOR, 1);
VALUE(FPGA_IFC_DFL, 0);
VALUE(FPGA_IFC_VFIO, 1);
VALUE(FPGA_IFC_SIM_DFL, 2);
VALUE(FPGA_IFC_SIM_VFIO, 3);
VALUE(FPGA_IFC_UIO, 4);

/* Flags */
VALUE(FPGA_BUF_PREALLOCATED, 1);
VALUE(FPGA_BUF_QUIET, 2);
VALUE(FPGA_BUF_READ_ONLY, 4);
VALUE(FPGA_OPEN_SHARED, 1);
VALUE(FPGA_OPEN_HAS_PARENT_AFU, 2);
VALUE(FPGA_RECONF_FORCE, 1);
VALUE(FPGA_RECONF_SKIP_USRCLK, 2);
VALUE(FPGA_OBJECT_SYNC, 1);
VALUE(FPGA_OBJECT_GLOB, 2);
VALUE(FPGA_OBJECT_RAW, 4);
VALUE(FPGA_OBJECT_RECURSE_ONE, 8);
VALUE(FPGA_OBJECT_RECURSE_ALL, 16);
VALUE(FPGA_OBJECT_CONTAINER, 1);
VALUE(FPGA_OBJECT_ATTRIBUTE, 2);

/* Metrics */
VALUE(FPGA_METRIC_TYPE_POWER, 0);
VALUE(FPGA_METRIC_TYPE_THERMAL, 1);
VALUE(FPGA_METRIC_TYPE_PERFORMANCE_CTR, 2);
VALUE(FPGA_METRIC_TYPE_AFU, 3);
VALUE(FPGA_METRIC_TYPE_UNKNOWN, 4);
VALUE(FPGA_METRIC_DATATYPE_INT, 0);
VALUE(FPGA_METRIC_DATATYPE_FLOAT, 1);
VALUE(FPGA_METRIC_DATATYPE_DOUBLE, 2);
VALUE(FPGA_METRIC_DATATYPE_BOOL, 3);
VALUE(FPGA_METRIC_DATATYPE_UNKNOWN, 4);

/* Logging */
VALUE(OPAE_LOG_ERROR, 0);
VALUE(OPAE_LOG_MESSAGE, 1);
VALUE(OPAE_LOG_DEBUG, 2);
VALUE(OPAE_DEFAULT_LOGLEVEL, OPAE_LOG_ERROR);

/* Numeric macros */
VALUE(FPGA_ERROR_NAME_MAX, 64);
VALUE(FPGA_METRIC_STR_SIZE, 256);
VALUE(FPGA_VERSION_STR_MAX, 10);
VALUE(FPGA_BUILD_STR_MAX, 41);

/* fpga_is_parent_child(): a device and an accelerator at the same segment, bus and device. */
static void parent_child_macro(void)
{
	fpga_token_header parent, child;
	memset(&parent, 0, sizeof(parent));
	parent.objtype = FPGA_DEVICE;
	parent.segment = 1;
	parent.bus = 0x3b;
	parent.device = 2;
	parent.function = 0;
	child = parent;
	child.objtype = FPGA_ACCELERATOR;
	child.function = 1;
	CHECK(fpga_is_parent_child(&parent, &child));
	CHECK(!fpga_is_parent_child(&child, &parent));
	child.device = 3;
	CHECK(!fpga_is_parent_child(&parent, &child));
	child.device = 2;
	child.bus = 0x3c;
	CHECK(!fpga_is_parent_child(&parent, &child));
	child.bus = 0x3b;
	child.segment = 0;
	CHECK(!fpga_is_parent_child(&parent, &child));
}

#define POISON 0xa5

/* True when bytes [from, to) of @buf all still hold POISON. */
static int untouched(const unsigned char *buf, size_t from, size_t to)
{
	size_t i;
	for (i = from; i < to; ++i) {
		if (buf[i] != POISON)
			return 0;
	}
	return 1;
}

/*
 * Each getter the library exports writes exactly sizeof its output type: nothing past it (an
 * array of them, or the next member of a program's structure, stays intact).
 */
static void getters_write_exactly_their_types(void)
{
	_Alignas(16) unsigned char buf[64];
	fpga_token token = fixture_token(FPGA_ACCELERATOR, NLB0_AFU_ID);
	fpga_properties prop = NULL;
	uint32_t matches = 0;

	REQUIRE_OK(fpgaGetProperties(token, &prop));

	memset(buf, POISON, sizeof(buf));
	CHECK_RESULT(FPGA_OK, fpgaGetOPAECVersion((fpga_version *)(void *)buf));
	CHECK(untouched(buf, sizeof(fpga_version), sizeof(buf)));

	memset(buf, POISON, sizeof(buf));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetObjectType(prop, (fpga_objtype *)(void *)buf));
	CHECK(untouched(buf, sizeof(fpga_objtype), sizeof(buf)));

	memset(buf, POISON, sizeof(buf));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetGUID(prop, (fpga_guid *)(void *)buf));
	CHECK(untouched(buf, sizeof(fpga_guid), sizeof(buf)));

	memset(buf, POISON, sizeof(buf));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetSegment(prop, (uint16_t *)(void *)buf));
	CHECK(untouched(buf, 2, sizeof(buf)));
	memset(buf, POISON, sizeof(buf));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetDeviceID(prop, (uint16_t *)(void *)buf));
	CHECK(untouched(buf, 2, sizeof(buf)));
	memset(buf, POISON, sizeof(buf));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetVendorID(prop, (uint16_t *)(void *)buf));
	CHECK(untouched(buf, 2, sizeof(buf)));

	memset(buf, POISON, sizeof(buf));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetBus(prop, buf));
	CHECK(untouched(buf, 1, sizeof(buf)));
	memset(buf, POISON, sizeof(buf));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetDevice(prop, buf));
	CHECK(untouched(buf, 1, sizeof(buf)));
	memset(buf, POISON, sizeof(buf));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetFunction(prop, buf));
	CHECK(untouched(buf, 1, sizeof(buf)));
	memset(buf, POISON, sizeof(buf));
	CHECK_RESULT(FPGA_OK, fpgaPropertiesGetSocketID(prop, buf));
	CHECK(untouched(buf, 1, sizeof(buf)));

	/* One token asked for: one pointer written. */
	memset(buf, POISON, sizeof(buf));
	CHECK_RESULT(FPGA_OK, fpgaEnumerate(&prop, 1, (fpga_token *)(void *)buf, 1, &matches));
	CHECK(matches >= 1);
	CHECK(untouched(buf, sizeof(fpga_token), sizeof(buf)));
	if (matches >= 1)
		REQUIRE_OK(fpgaDestroyToken((fpga_token *)(void *)buf));

	REQUIRE_OK(fpgaDestroyProperties(&prop));
	REQUIRE_OK(fpgaDestroyToken(&token));
}

CHECK_CASES("layout",
	    CASE(parent_child_macro),
	    CASE(getters_write_exactly_their_types))
