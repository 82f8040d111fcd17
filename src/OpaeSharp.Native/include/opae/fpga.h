/**
 * @file opae/fpga.h
 * @brief The whole OPAE C API: includes every other header of it.
 *
 * Programs written for OPAE include this one header and link with -lopae-c. The declarations,
 * numeric values, structure layouts and result codes follow OPAE's published API; the text is
 * OpaeSharp's own. See docs/c-api.md in the OpaeSharp repository for which functions the library
 * exports and what differs (simulator, MMIO mapping).
 */
#ifndef OPAESHARP_OPAE_FPGA_H
#define OPAESHARP_OPAE_FPGA_H

#include <opae/log.h>
#include <opae/init.h>
#include <opae/types.h>
#include <opae/access.h>
#include <opae/buffer.h>
#include <opae/enum.h>
#include <opae/event.h>
#include <opae/manage.h>
#include <opae/mmio.h>
#include <opae/properties.h>
#include <opae/umsg.h>
#include <opae/utils.h>
#include <opae/error.h>
#include <opae/version.h>
#include <opae/sysobject.h>
#include <opae/userclk.h>
#include <opae/metrics.h>

#endif /* OPAESHARP_OPAE_FPGA_H */
