/*
 * Every function OPAE 2.x's public libopae-c headers declare, with its exact type, as an X-macro:
 * X(header, return type, name, (parameter types)). test_declarations.c (C11) and
 * test_header_cxx.cpp (C++11) check each against our headers' declaration without calling it,
 * so the list holds functions the library does not export yet too.
 *
 * Top-level const of a parameter (OPAE's `const fpga_properties prop`) is not part of a
 * function's type, so it is left out here.
 */
#ifndef OPAESHARP_TESTS_OPAE_FUNCTIONS_H
#define OPAESHARP_TESTS_OPAE_FUNCTIONS_H

/** How many functions OPAE_FUNCTIONS lists. */
#define OPAE_FUNCTION_COUNT 113

#define OPAE_FUNCTIONS(X) \
	/* opae/access.h */ \
	X(access, fpga_result, fpgaClose, (fpga_handle)) \
	X(access, fpga_result, fpgaGetChildren, (fpga_handle, uint32_t, fpga_handle *, uint32_t *)) \
	X(access, fpga_result, fpgaOpen, (fpga_token, fpga_handle *, int)) \
	X(access, fpga_result, fpgaReset, (fpga_handle)) \
	/* opae/buffer.h */ \
	X(buffer, fpga_result, fpgaBindSVA, (fpga_handle, uint32_t *)) \
	X(buffer, fpga_result, fpgaGetIOAddress, (fpga_handle, uint64_t, uint64_t *)) \
	X(buffer, fpga_result, fpgaPrepareBuffer, (fpga_handle, uint64_t, void **, uint64_t *, int)) \
	X(buffer, fpga_result, fpgaReleaseBuffer, (fpga_handle, uint64_t)) \
	/* opae/enum.h */ \
	X(enum, fpga_result, fpgaCloneToken, (fpga_token, fpga_token *)) \
	X(enum, fpga_result, fpgaDestroyToken, (fpga_token *)) \
	X(enum, fpga_result, fpgaEnumerate, (const fpga_properties *, uint32_t, fpga_token *, uint32_t, uint32_t *)) \
	/* opae/error.h */ \
	X(error, fpga_result, fpgaClearAllErrors, (fpga_token)) \
	X(error, fpga_result, fpgaClearError, (fpga_token, uint32_t)) \
	X(error, fpga_result, fpgaGetErrorInfo, (fpga_token, uint32_t, struct fpga_error_info *)) \
	X(error, fpga_result, fpgaReadError, (fpga_token, uint32_t, uint64_t *)) \
	/* opae/event.h */ \
	X(event, fpga_result, fpgaCreateEventHandle, (fpga_event_handle *)) \
	X(event, fpga_result, fpgaDestroyEventHandle, (fpga_event_handle *)) \
	X(event, fpga_result, fpgaGetOSObjectFromEventHandle, (fpga_event_handle, int *)) \
	X(event, fpga_result, fpgaRegisterEvent, (fpga_handle, fpga_event_type, fpga_event_handle, uint32_t)) \
	X(event, fpga_result, fpgaUnregisterEvent, (fpga_handle, fpga_event_type, fpga_event_handle)) \
	/* opae/init.h */ \
	X(init, fpga_result, fpgaFinalize, (void)) \
	X(init, fpga_result, fpgaInitialize, (const char *)) \
	/* opae/log.h */ \
	X(log, void, opae_print, (int, const char *, ...)) \
	/* opae/manage.h */ \
	X(manage, fpga_result, fpgaAssignPortToInterface, (fpga_handle, uint32_t, uint32_t, int)) \
	X(manage, fpga_result, fpgaAssignToInterface, (fpga_handle, fpga_token, uint32_t, int)) \
	X(manage, fpga_result, fpgaReconfigureSlot, (fpga_handle, uint32_t, const uint8_t *, size_t, int)) \
	X(manage, fpga_result, fpgaReleaseFromInterface, (fpga_handle, fpga_token)) \
	/* opae/metrics.h */ \
	X(metrics, fpga_result, fpgaGetMetricsByIndex, (fpga_handle, uint64_t *, uint64_t, fpga_metric *)) \
	X(metrics, fpga_result, fpgaGetMetricsByName, (fpga_handle, char **, uint64_t, fpga_metric *)) \
	X(metrics, fpga_result, fpgaGetMetricsInfo, (fpga_handle, fpga_metric_info *, uint64_t *)) \
	X(metrics, fpga_result, fpgaGetMetricsThresholdInfo, (fpga_handle, struct metric_threshold *, uint32_t *)) \
	X(metrics, fpga_result, fpgaGetNumMetrics, (fpga_handle, uint64_t *)) \
	/* opae/mmio.h */ \
	X(mmio, fpga_result, fpgaMapMMIO, (fpga_handle, uint32_t, uint64_t **)) \
	X(mmio, fpga_result, fpgaReadMMIO32, (fpga_handle, uint32_t, uint64_t, uint32_t *)) \
	X(mmio, fpga_result, fpgaReadMMIO64, (fpga_handle, uint32_t, uint64_t, uint64_t *)) \
	X(mmio, fpga_result, fpgaUnmapMMIO, (fpga_handle, uint32_t)) \
	X(mmio, fpga_result, fpgaWriteMMIO32, (fpga_handle, uint32_t, uint64_t, uint32_t)) \
	X(mmio, fpga_result, fpgaWriteMMIO512, (fpga_handle, uint32_t, uint64_t, const void *)) \
	X(mmio, fpga_result, fpgaWriteMMIO64, (fpga_handle, uint32_t, uint64_t, uint64_t)) \
	/* opae/properties.h */ \
	X(properties, fpga_result, fpgaClearProperties, (fpga_properties)) \
	X(properties, fpga_result, fpgaCloneProperties, (fpga_properties, fpga_properties *)) \
	X(properties, fpga_result, fpgaDestroyProperties, (fpga_properties *)) \
	X(properties, fpga_result, fpgaGetProperties, (fpga_token, fpga_properties *)) \
	X(properties, fpga_result, fpgaGetPropertiesFromHandle, (fpga_handle, fpga_properties *)) \
	X(properties, fpga_result, fpgaPropertiesGetAcceleratorState, (fpga_properties, fpga_accelerator_state *)) \
	X(properties, fpga_result, fpgaPropertiesGetBBSID, (fpga_properties, uint64_t *)) \
	X(properties, fpga_result, fpgaPropertiesGetBBSVersion, (fpga_properties, fpga_version *)) \
	X(properties, fpga_result, fpgaPropertiesGetBus, (fpga_properties, uint8_t *)) \
	X(properties, fpga_result, fpgaPropertiesGetCapabilities, (fpga_properties, uint64_t *)) \
	X(properties, fpga_result, fpgaPropertiesGetDevice, (fpga_properties, uint8_t *)) \
	X(properties, fpga_result, fpgaPropertiesGetDeviceID, (fpga_properties, uint16_t *)) \
	X(properties, fpga_result, fpgaPropertiesGetFunction, (fpga_properties, uint8_t *)) \
	X(properties, fpga_result, fpgaPropertiesGetGUID, (fpga_properties, fpga_guid *)) \
	X(properties, fpga_result, fpgaPropertiesGetInterface, (fpga_properties, fpga_interface *)) \
	X(properties, fpga_result, fpgaPropertiesGetLocalMemorySize, (fpga_properties, uint64_t *)) \
	X(properties, fpga_result, fpgaPropertiesGetModel, (fpga_properties, char *)) \
	X(properties, fpga_result, fpgaPropertiesGetNumErrors, (fpga_properties, uint32_t *)) \
	X(properties, fpga_result, fpgaPropertiesGetNumInterrupts, (fpga_properties, uint32_t *)) \
	X(properties, fpga_result, fpgaPropertiesGetNumMMIO, (fpga_properties, uint32_t *)) \
	X(properties, fpga_result, fpgaPropertiesGetNumSlots, (fpga_properties, uint32_t *)) \
	X(properties, fpga_result, fpgaPropertiesGetObjectID, (fpga_properties, uint64_t *)) \
	X(properties, fpga_result, fpgaPropertiesGetObjectType, (fpga_properties, fpga_objtype *)) \
	X(properties, fpga_result, fpgaPropertiesGetParent, (fpga_properties, fpga_token *)) \
	X(properties, fpga_result, fpgaPropertiesGetSegment, (fpga_properties, uint16_t *)) \
	X(properties, fpga_result, fpgaPropertiesGetSocketID, (fpga_properties, uint8_t *)) \
	X(properties, fpga_result, fpgaPropertiesGetSubsystemDeviceID, (fpga_properties, uint16_t *)) \
	X(properties, fpga_result, fpgaPropertiesGetSubsystemVendorID, (fpga_properties, uint16_t *)) \
	X(properties, fpga_result, fpgaPropertiesGetVendorID, (fpga_properties, uint16_t *)) \
	X(properties, fpga_result, fpgaPropertiesSetAcceleratorState, (fpga_properties, fpga_accelerator_state)) \
	X(properties, fpga_result, fpgaPropertiesSetBBSID, (fpga_properties, uint64_t)) \
	X(properties, fpga_result, fpgaPropertiesSetBBSVersion, (fpga_properties, fpga_version)) \
	X(properties, fpga_result, fpgaPropertiesSetBus, (fpga_properties, uint8_t)) \
	X(properties, fpga_result, fpgaPropertiesSetCapabilities, (fpga_properties, uint64_t)) \
	X(properties, fpga_result, fpgaPropertiesSetDevice, (fpga_properties, uint8_t)) \
	X(properties, fpga_result, fpgaPropertiesSetDeviceID, (fpga_properties, uint16_t)) \
	X(properties, fpga_result, fpgaPropertiesSetFunction, (fpga_properties, uint8_t)) \
	X(properties, fpga_result, fpgaPropertiesSetGUID, (fpga_properties, uint8_t *)) \
	X(properties, fpga_result, fpgaPropertiesSetInterface, (fpga_properties, fpga_interface)) \
	X(properties, fpga_result, fpgaPropertiesSetLocalMemorySize, (fpga_properties, uint64_t)) \
	X(properties, fpga_result, fpgaPropertiesSetModel, (fpga_properties, char *)) \
	X(properties, fpga_result, fpgaPropertiesSetNumErrors, (fpga_properties, uint32_t)) \
	X(properties, fpga_result, fpgaPropertiesSetNumInterrupts, (fpga_properties, uint32_t)) \
	X(properties, fpga_result, fpgaPropertiesSetNumMMIO, (fpga_properties, uint32_t)) \
	X(properties, fpga_result, fpgaPropertiesSetNumSlots, (fpga_properties, uint32_t)) \
	X(properties, fpga_result, fpgaPropertiesSetObjectID, (fpga_properties, uint64_t)) \
	X(properties, fpga_result, fpgaPropertiesSetObjectType, (fpga_properties, fpga_objtype)) \
	X(properties, fpga_result, fpgaPropertiesSetParent, (fpga_properties, fpga_token)) \
	X(properties, fpga_result, fpgaPropertiesSetSegment, (fpga_properties, uint16_t)) \
	X(properties, fpga_result, fpgaPropertiesSetSocketID, (fpga_properties, uint8_t)) \
	X(properties, fpga_result, fpgaPropertiesSetSubsystemDeviceID, (fpga_properties, uint16_t)) \
	X(properties, fpga_result, fpgaPropertiesSetSubsystemVendorID, (fpga_properties, uint16_t)) \
	X(properties, fpga_result, fpgaPropertiesSetVendorID, (fpga_properties, uint16_t)) \
	X(properties, fpga_result, fpgaUpdateProperties, (fpga_token, fpga_properties)) \
	/* opae/sysobject.h */ \
	X(sysobject, fpga_result, fpgaDestroyObject, (fpga_object *)) \
	X(sysobject, fpga_result, fpgaHandleGetObject, (fpga_handle, const char *, fpga_object *, int)) \
	X(sysobject, fpga_result, fpgaObjectGetObject, (fpga_object, const char *, fpga_object *, int)) \
	X(sysobject, fpga_result, fpgaObjectGetObjectAt, (fpga_object, size_t, fpga_object *)) \
	X(sysobject, fpga_result, fpgaObjectGetSize, (fpga_object, uint32_t *, int)) \
	X(sysobject, fpga_result, fpgaObjectGetType, (fpga_object, enum fpga_sysobject_type *)) \
	X(sysobject, fpga_result, fpgaObjectRead, (fpga_object, uint8_t *, size_t, size_t, int)) \
	X(sysobject, fpga_result, fpgaObjectRead64, (fpga_object, uint64_t *, int)) \
	X(sysobject, fpga_result, fpgaObjectWrite64, (fpga_object, uint64_t, int)) \
	X(sysobject, fpga_result, fpgaTokenGetObject, (fpga_token, const char *, fpga_object *, int)) \
	/* opae/umsg.h */ \
	X(umsg, fpga_result, fpgaGetNumUmsg, (fpga_handle, uint64_t *)) \
	X(umsg, fpga_result, fpgaGetUmsgPtr, (fpga_handle, uint64_t **)) \
	X(umsg, fpga_result, fpgaSetUmsgAttributes, (fpga_handle, uint64_t)) \
	X(umsg, fpga_result, fpgaTriggerUmsg, (fpga_handle, uint64_t)) \
	/* opae/userclk.h */ \
	X(userclk, fpga_result, fpgaGetUserClock, (fpga_handle, uint64_t *, uint64_t *, int)) \
	X(userclk, fpga_result, fpgaSetUserClock, (fpga_handle, uint64_t, uint64_t, int)) \
	/* opae/utils.h */ \
	X(utils, const char *, fpgaErrStr, (fpga_result)) \
	/* opae/version.h */ \
	X(version, fpga_result, fpgaGetOPAECBuildString, (char *, size_t)) \
	X(version, fpga_result, fpgaGetOPAECVersion, (fpga_version *)) \
	X(version, fpga_result, fpgaGetOPAECVersionString, (char *, size_t)) \
	/* end of list */

#endif /* OPAESHARP_TESTS_OPAE_FUNCTIONS_H */
