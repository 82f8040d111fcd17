/**
 * @file opae/fpga.h
 * @brief The whole OPAE C API that OpaeSharp's libopae-c implements.
 *
 * Programs written for OPAE include this one header and link with -lopae-c. The declarations,
 * numeric values and result codes follow OPAE's published API; the text is OpaeSharp's own.
 * See docs/c-api.md in the OpaeSharp repository for what differs (simulator, MMIO mapping).
 */
#ifndef OPAESHARP_OPAE_FPGA_H
#define OPAESHARP_OPAE_FPGA_H

#include <opae/log.h>
#include <opae/init.h>
#include <opae/types.h>
#include <opae/access.h>
#include <opae/buffer.h>
#include <opae/enum.h>
#include <opae/manage.h>
#include <opae/mmio.h>
#include <opae/properties.h>
#include <opae/utils.h>
#include <opae/version.h>

#endif /* OPAESHARP_OPAE_FPGA_H */
