/**
 * @file opae/properties.h
 * @brief Properties objects: enumeration filters, and descriptions of FPGA objects.
 *
 * A properties object made by fpgaGetProperties(NULL, ...) has every field unset and matches
 * everything; each setter narrows it. One made from a token has every field that object reports.
 *
 * # Accessor results
 * Every getter and setter returns FPGA_OK on success, FPGA_INVALID_PARAM when @p prop is not a
 * live properties object (NULL, destroyed, made up) or an output pointer is NULL, and a getter
 * returns FPGA_NOT_FOUND when its field was never set.
 *
 * Some fields belong to one object type: NumSlots, BBSID and BBSVersion to FPGA_DEVICE; NumMMIO,
 * NumInterrupts and AcceleratorState to FPGA_ACCELERATOR. Their getters and setters return
 * FPGA_INVALID_PARAM unless the object type is set, and set to that type.
 */
#ifndef OPAESHARP_OPAE_PROPERTIES_H
#define OPAESHARP_OPAE_PROPERTIES_H

#include <opae/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Creates a properties object: empty (a filter matching everything) when @p token is NULL,
 * otherwise filled with the properties of the object @p token names.
 *
 * @param[in]  token A live token, or NULL.
 * @param[out] prop  Receives the new object (destroy it with fpgaDestroyProperties()).
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p prop is NULL or @p token is neither NULL
 * nor live.
 */
fpga_result fpgaGetProperties(fpga_token token, fpga_properties *prop);

/**
 * Creates a properties object filled with the properties of the object @p handle has open.
 *
 * @param[in]  handle An open handle.
 * @param[out] prop   Receives the new object (destroy it with fpgaDestroyProperties()).
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p handle is not open or @p prop is NULL.
 */
fpga_result fpgaGetPropertiesFromHandle(fpga_handle handle, fpga_properties *prop);

/**
 * Overwrites @p prop with the properties of the object @p token names.
 *
 * @param[in] token A live token.
 * @param[in] prop  A live properties object.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if either is not live.
 */
fpga_result fpgaUpdateProperties(fpga_token token, fpga_properties prop);

/**
 * Unsets every field, so @p prop matches everything again.
 *
 * @param[in] prop A live properties object.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p prop is not live.
 */
fpga_result fpgaClearProperties(fpga_properties prop);

/**
 * Copies a properties object.
 *
 * @param[in]  src A live properties object.
 * @param[out] dst Receives the copy (destroy it with fpgaDestroyProperties()).
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p src is not live or @p dst is NULL.
 */
fpga_result fpgaCloneProperties(fpga_properties src, fpga_properties *dst);

/**
 * Destroys a properties object and sets *prop to NULL.
 *
 * @param[in,out] prop Address of the object.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p prop is NULL or *prop is not live
 * (e.g. destroyed twice).
 */
fpga_result fpgaDestroyProperties(fpga_properties *prop);

/**
 * Gives a new token for the parent of the described object (an accelerator's FPGA device).
 *
 * @param[in]  prop   A live properties object.
 * @param[out] parent Receives a new token (destroy it with fpgaDestroyToken()).
 * @returns See "Accessor results" above; FPGA_NOT_FOUND for an FPGA_DEVICE, which has no parent.
 */
fpga_result fpgaPropertiesGetParent(const fpga_properties prop, fpga_token *parent);

/**
 * Sets the parent, so enumeration finds the accelerators of that device.
 *
 * @param[in] prop   A live properties object.
 * @param[in] parent A live token of an FPGA_DEVICE.
 * @returns See "Accessor results" above; FPGA_INVALID_PARAM also when @p parent is not live.
 */
fpga_result fpgaPropertiesSetParent(fpga_properties prop, fpga_token parent);

/**
 * Reads the GUID: an accelerator's AFU id, or an FPGA device's interface id.
 *
 * @param[in]  prop A live properties object.
 * @param[out] guid Receives the 16 bytes (uuid_t order).
 * @returns See "Accessor results" above.
 */
fpga_result fpgaPropertiesGetGUID(const fpga_properties prop, fpga_guid *guid);

/**
 * Sets the GUID to match.
 *
 * @param[in] prop A live properties object.
 * @param[in] guid The 16 bytes (uuid_t order, e.g. from uuid_parse()).
 * @returns See "Accessor results" above.
 */
fpga_result fpgaPropertiesSetGUID(fpga_properties prop, fpga_guid guid);

/**
 * Reads the object type (FPGA_DEVICE or FPGA_ACCELERATOR).
 *
 * @param[in]  prop A live properties object.
 * @param[out] objtype Receives the value.
 * @returns See "Accessor results" above.
 */
fpga_result fpgaPropertiesGetObjectType(const fpga_properties prop, fpga_objtype *objtype);

/**
 * Sets the object type (FPGA_DEVICE or FPGA_ACCELERATOR).
 *
 * @param[in] prop A live properties object.
 * @param[in] objtype The value.
 * @returns See "Accessor results" above. FPGA_INVALID_PARAM also for a value that is neither.
 */
fpga_result fpgaPropertiesSetObjectType(fpga_properties prop, fpga_objtype objtype);

/**
 * Reads the PCI segment (domain).
 *
 * @param[in]  prop A live properties object.
 * @param[out] segment Receives the value.
 * @returns See "Accessor results" above.
 */
fpga_result fpgaPropertiesGetSegment(const fpga_properties prop, uint16_t *segment);

/**
 * Sets the PCI segment (domain).
 *
 * @param[in] prop A live properties object.
 * @param[in] segment The value.
 * @returns See "Accessor results" above.
 */
fpga_result fpgaPropertiesSetSegment(fpga_properties prop, uint16_t segment);

/**
 * Reads the PCI bus.
 *
 * @param[in]  prop A live properties object.
 * @param[out] bus Receives the value.
 * @returns See "Accessor results" above.
 */
fpga_result fpgaPropertiesGetBus(const fpga_properties prop, uint8_t *bus);

/**
 * Sets the PCI bus.
 *
 * @param[in] prop A live properties object.
 * @param[in] bus The value.
 * @returns See "Accessor results" above.
 */
fpga_result fpgaPropertiesSetBus(fpga_properties prop, uint8_t bus);

/**
 * Reads the PCI device.
 *
 * @param[in]  prop A live properties object.
 * @param[out] device Receives the value.
 * @returns See "Accessor results" above.
 */
fpga_result fpgaPropertiesGetDevice(const fpga_properties prop, uint8_t *device);

/**
 * Sets the PCI device.
 *
 * @param[in] prop A live properties object.
 * @param[in] device The value.
 * @returns See "Accessor results" above. FPGA_INVALID_PARAM also for a device above 31.
 */
fpga_result fpgaPropertiesSetDevice(fpga_properties prop, uint8_t device);

/**
 * Reads the PCI function.
 *
 * @param[in]  prop A live properties object.
 * @param[out] function Receives the value.
 * @returns See "Accessor results" above.
 */
fpga_result fpgaPropertiesGetFunction(const fpga_properties prop, uint8_t *function);

/**
 * Sets the PCI function.
 *
 * @param[in] prop A live properties object.
 * @param[in] function The value.
 * @returns See "Accessor results" above. FPGA_INVALID_PARAM also for a function above 7.
 */
fpga_result fpgaPropertiesSetFunction(fpga_properties prop, uint8_t function);

/**
 * Reads the CPU socket the card hangs off.
 *
 * @param[in]  prop A live properties object.
 * @param[out] socket_id Receives the value.
 * @returns See "Accessor results" above.
 */
fpga_result fpgaPropertiesGetSocketID(const fpga_properties prop, uint8_t *socket_id);

/**
 * Sets the CPU socket the card hangs off.
 *
 * @param[in] prop A live properties object.
 * @param[in] socket_id The value.
 * @returns See "Accessor results" above.
 */
fpga_result fpgaPropertiesSetSocketID(fpga_properties prop, uint8_t socket_id);

/**
 * Reads the PCI device id.
 *
 * @param[in]  prop A live properties object.
 * @param[out] device_id Receives the value.
 * @returns See "Accessor results" above.
 */
fpga_result fpgaPropertiesGetDeviceID(const fpga_properties prop, uint16_t *device_id);

/**
 * Sets the PCI device id.
 *
 * @param[in] prop A live properties object.
 * @param[in] device_id The value.
 * @returns See "Accessor results" above.
 */
fpga_result fpgaPropertiesSetDeviceID(fpga_properties prop, uint16_t device_id);

/**
 * Reads the PCI vendor id.
 *
 * @param[in]  prop A live properties object.
 * @param[out] vendor_id Receives the value.
 * @returns See "Accessor results" above.
 */
fpga_result fpgaPropertiesGetVendorID(const fpga_properties prop, uint16_t *vendor_id);

/**
 * Sets the PCI vendor id.
 *
 * @param[in] prop A live properties object.
 * @param[in] vendor_id The value.
 * @returns See "Accessor results" above.
 */
fpga_result fpgaPropertiesSetVendorID(fpga_properties prop, uint16_t vendor_id);

/**
 * Reads an FPGA device's number of slots: the ports an accelerator can be programmed into.
 *
 * @param[in]  prop      A live properties object.
 * @param[out] num_slots Receives the value.
 * @returns See "Accessor results" above. FPGA_INVALID_PARAM also unless the object type is
 * FPGA_DEVICE.
 */
fpga_result fpgaPropertiesGetNumSlots(const fpga_properties prop, uint32_t *num_slots);

/**
 * Sets the number of slots to match.
 *
 * @param[in]  prop      A live properties object.
 * @param[in]  num_slots The value.
 * @returns See "Accessor results" above. FPGA_INVALID_PARAM also unless the object type is
 * FPGA_DEVICE.
 */
fpga_result fpgaPropertiesSetNumSlots(fpga_properties prop, uint32_t num_slots);

/**
 * Reads the id of an FPGA device's blue bitstream: the static part of the FPGA (the FPGA
 * interface manager) that accelerators are built against.
 *
 * @param[in]  prop   A live properties object.
 * @param[out] bbs_id Receives the value.
 * @returns See "Accessor results" above. FPGA_INVALID_PARAM also unless the object type is
 * FPGA_DEVICE.
 */
fpga_result fpgaPropertiesGetBBSID(const fpga_properties prop, uint64_t *bbs_id);

/**
 * Sets the blue bitstream id to match.
 *
 * @param[in]  prop   A live properties object.
 * @param[in]  bbs_id The value.
 * @returns See "Accessor results" above. FPGA_INVALID_PARAM also unless the object type is
 * FPGA_DEVICE.
 */
fpga_result fpgaPropertiesSetBBSID(fpga_properties prop, uint64_t bbs_id);

/**
 * Reads the version of an FPGA device's blue bitstream.
 *
 * @param[in]  prop        A live properties object.
 * @param[out] bbs_version Receives the value.
 * @returns See "Accessor results" above. FPGA_INVALID_PARAM also unless the object type is
 * FPGA_DEVICE.
 */
fpga_result fpgaPropertiesGetBBSVersion(const fpga_properties prop, fpga_version *bbs_version);

/**
 * Sets the blue bitstream version to match.
 *
 * @param[in]  prop    A live properties object.
 * @param[in]  version The value.
 * @returns See "Accessor results" above. FPGA_INVALID_PARAM also unless the object type is
 * FPGA_DEVICE.
 */
fpga_result fpgaPropertiesSetBBSVersion(fpga_properties prop, fpga_version version);

/**
 * Would read an FPGA device's model name. No FPGA reports this property, so the call always
 * returns FPGA_NOT_SUPPORTED.
 *
 * @param[in]  prop  A properties object.
 * @param[out] model Would receive the NUL-terminated name.
 * @returns FPGA_NOT_SUPPORTED.
 */
fpga_result fpgaPropertiesGetModel(const fpga_properties prop, char *model);

/**
 * Would set an FPGA device's model name. No FPGA reports this property, so the call always
 * returns FPGA_NOT_SUPPORTED.
 *
 * @param[in]  prop  A properties object.
 * @param[in]  model The NUL-terminated name.
 * @returns FPGA_NOT_SUPPORTED.
 */
fpga_result fpgaPropertiesSetModel(fpga_properties prop, char *model);

/**
 * Would read the size in bytes of an FPGA device's local memory. No FPGA reports this property,
 * so the call always returns FPGA_NOT_SUPPORTED.
 *
 * @param[in]  prop A properties object.
 * @param[out] lms  Would receive the size.
 * @returns FPGA_NOT_SUPPORTED.
 */
fpga_result fpgaPropertiesGetLocalMemorySize(const fpga_properties prop, uint64_t *lms);

/**
 * Would set the size in bytes of an FPGA device's local memory. No FPGA reports this property,
 * so the call always returns FPGA_NOT_SUPPORTED.
 *
 * @param[in]  prop A properties object.
 * @param[in]  lms  The size.
 * @returns FPGA_NOT_SUPPORTED.
 */
fpga_result fpgaPropertiesSetLocalMemorySize(fpga_properties prop, uint64_t lms);

/**
 * Would read an FPGA device's capability bits. No FPGA reports this property, so the call always
 * returns FPGA_NOT_SUPPORTED.
 *
 * @param[in]  prop         A properties object.
 * @param[out] capabilities Would receive the bits.
 * @returns FPGA_NOT_SUPPORTED.
 */
fpga_result fpgaPropertiesGetCapabilities(const fpga_properties prop, uint64_t *capabilities);

/**
 * Would set an FPGA device's capability bits. No FPGA reports this property, so the call always
 * returns FPGA_NOT_SUPPORTED.
 *
 * @param[in]  prop         A properties object.
 * @param[in]  capabilities The bits.
 * @returns FPGA_NOT_SUPPORTED.
 */
fpga_result fpgaPropertiesSetCapabilities(fpga_properties prop, uint64_t capabilities);

/**
 * Reads an accelerator's number of MMIO regions: the mmio_num values of opae/mmio.h run from 0
 * to one less.
 *
 * @param[in]  prop        A live properties object.
 * @param[out] mmio_spaces Receives the value.
 * @returns See "Accessor results" above. FPGA_INVALID_PARAM also unless the object type is
 * FPGA_ACCELERATOR.
 */
fpga_result fpgaPropertiesGetNumMMIO(const fpga_properties prop, uint32_t *mmio_spaces);

/**
 * Sets the number of MMIO regions to match.
 *
 * @param[in]  prop        A live properties object.
 * @param[in]  mmio_spaces The value.
 * @returns See "Accessor results" above. FPGA_INVALID_PARAM also unless the object type is
 * FPGA_ACCELERATOR.
 */
fpga_result fpgaPropertiesSetNumMMIO(fpga_properties prop, uint32_t mmio_spaces);

/**
 * Reads an accelerator's number of interrupt vectors (see fpgaRegisterEvent()).
 *
 * @param[in]  prop           A live properties object.
 * @param[out] num_interrupts Receives the value.
 * @returns See "Accessor results" above. FPGA_INVALID_PARAM also unless the object type is
 * FPGA_ACCELERATOR.
 */
fpga_result fpgaPropertiesGetNumInterrupts(const fpga_properties prop, uint32_t *num_interrupts);

/**
 * Sets the number of interrupt vectors to match.
 *
 * @param[in]  prop           A live properties object.
 * @param[in]  num_interrupts The value.
 * @returns See "Accessor results" above. FPGA_INVALID_PARAM also unless the object type is
 * FPGA_ACCELERATOR.
 */
fpga_result fpgaPropertiesSetNumInterrupts(fpga_properties prop, uint32_t num_interrupts);

/**
 * Reads whether an accelerator is free to open (FPGA_ACCELERATOR_UNASSIGNED) or held exclusively
 * (FPGA_ACCELERATOR_ASSIGNED).
 *
 * @param[in]  prop  A live properties object.
 * @param[out] state Receives the value.
 * @returns See "Accessor results" above. FPGA_INVALID_PARAM also unless the object type is
 * FPGA_ACCELERATOR.
 */
fpga_result fpgaPropertiesGetAcceleratorState(const fpga_properties prop,
					      fpga_accelerator_state *state);

/**
 * Sets the accelerator state to match.
 *
 * @param[in]  prop  A live properties object.
 * @param[in]  state The value.
 * @returns See "Accessor results" above. FPGA_INVALID_PARAM also unless the object type is
 * FPGA_ACCELERATOR.
 */
fpga_result fpgaPropertiesSetAcceleratorState(fpga_properties prop, fpga_accelerator_state state);

/**
 * Reads the object id: a 64-bit number that names the object uniquely on this machine and,
 * unlike a token, means the same in every process (it can be passed on a command line).
 *
 * @param[in]  prop      A live properties object.
 * @param[out] object_id Receives the value.
 * @returns See "Accessor results" above.
 */
fpga_result fpgaPropertiesGetObjectID(const fpga_properties prop, uint64_t *object_id);

/**
 * Sets the object id to match.
 *
 * @param[in]  prop      A live properties object.
 * @param[in]  object_id The value.
 * @returns See "Accessor results" above.
 */
fpga_result fpgaPropertiesSetObjectID(const fpga_properties prop, uint64_t object_id);

/**
 * Reads the number of error registers of the object (see opae/error.h).
 *
 * @param[in]  prop       A live properties object.
 * @param[out] num_errors Receives the value.
 * @returns See "Accessor results" above.
 */
fpga_result fpgaPropertiesGetNumErrors(const fpga_properties prop, uint32_t *num_errors);

/**
 * Sets the number of error registers to match.
 *
 * @param[in]  prop       A live properties object.
 * @param[in]  num_errors The value.
 * @returns See "Accessor results" above.
 */
fpga_result fpgaPropertiesSetNumErrors(const fpga_properties prop, uint32_t num_errors);

/**
 * Reads the driver interface behind the object: DFL, vfio-pci, uio or a simulator.
 *
 * @param[in]  prop      A live properties object.
 * @param[out] interface Receives the value.
 * @returns See "Accessor results" above.
 */
fpga_result fpgaPropertiesGetInterface(const fpga_properties prop, fpga_interface *interface);

/**
 * Sets the driver interface to match.
 *
 * @param[in]  prop      A live properties object.
 * @param[in]  interface The value.
 * @returns See "Accessor results" above.
 */
fpga_result fpgaPropertiesSetInterface(const fpga_properties prop, fpga_interface interface);

/**
 * Reads the PCI subsystem vendor id.
 *
 * @param[in]  prop                A live properties object.
 * @param[out] subsystem_vendor_id Receives the value.
 * @returns See "Accessor results" above.
 */
fpga_result fpgaPropertiesGetSubsystemVendorID(const fpga_properties prop,
					       uint16_t *subsystem_vendor_id);

/**
 * Sets the PCI subsystem vendor id to match.
 *
 * @param[in]  prop                A live properties object.
 * @param[in]  subsystem_vendor_id The value.
 * @returns See "Accessor results" above.
 */
fpga_result fpgaPropertiesSetSubsystemVendorID(fpga_properties prop, uint16_t subsystem_vendor_id);

/**
 * Reads the PCI subsystem device id.
 *
 * @param[in]  prop                A live properties object.
 * @param[out] subsystem_device_id Receives the value.
 * @returns See "Accessor results" above.
 */
fpga_result fpgaPropertiesGetSubsystemDeviceID(const fpga_properties prop,
					       uint16_t *subsystem_device_id);

/**
 * Sets the PCI subsystem device id to match.
 *
 * @param[in]  prop                A live properties object.
 * @param[in]  subsystem_device_id The value.
 * @returns See "Accessor results" above.
 */
fpga_result fpgaPropertiesSetSubsystemDeviceID(fpga_properties prop, uint16_t subsystem_device_id);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OPAESHARP_OPAE_PROPERTIES_H */
