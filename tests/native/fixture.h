/*
 * Opening the simulated NLB0 accelerator the way OPAE programs do (enumerate by AFU GUID).
 */
#ifndef OPAESHARP_TESTS_FIXTURE_H
#define OPAESHARP_TESTS_FIXTURE_H

#include "check.h"

#define NLB0_AFU_ID "D8424DC4-A4A3-C413-F89E-433683F9040B"

/* uuid_parse() without linking libuuid into every test: "XXXXXXXX-XXXX-..." to 16 bytes. */
static inline void fixture_parse_guid(const char *text, fpga_guid guid)
{
	int i = 0;
	while (*text && i < 16) {
		unsigned int byte;
		if (*text == '-') {
			++text;
			continue;
		}
		if (sscanf(text, "%2x", &byte) != 1)
			break;
		guid[i++] = (uint8_t)byte;
		text += 2;
	}
}

/* The first object of @objtype (with @guid when not NULL); the caller destroys the token. */
static inline fpga_token fixture_token(fpga_objtype objtype, const char *guid_text)
{
	fpga_properties filter = NULL;
	fpga_token token = NULL;
	uint32_t matches = 0;
	fpga_guid guid;

	REQUIRE_OK(fpgaGetProperties(NULL, &filter));
	REQUIRE_OK(fpgaPropertiesSetObjectType(filter, objtype));
	if (guid_text) {
		fixture_parse_guid(guid_text, guid);
		REQUIRE_OK(fpgaPropertiesSetGUID(filter, guid));
	}
	REQUIRE_OK(fpgaEnumerate(&filter, 1, &token, 1, &matches));
	REQUIRE_OK(fpgaDestroyProperties(&filter));
	if (matches == 0) {
		fprintf(stderr, "no FPGA object of type %d found\n", (int)objtype);
		exit(1);
	}
	return token;
}

/* An open handle on the NLB0 accelerator, opened @flags (0 or FPGA_OPEN_SHARED). */
static inline fpga_handle fixture_open(int flags)
{
	fpga_token token = fixture_token(FPGA_ACCELERATOR, NLB0_AFU_ID);
	fpga_handle handle = NULL;
	REQUIRE_OK(fpgaOpen(token, &handle, flags));
	REQUIRE_OK(fpgaDestroyToken(&token));
	return handle;
}

#endif /* OPAESHARP_TESTS_FIXTURE_H */
