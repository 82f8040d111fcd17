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

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OPAESHARP_OPAE_PROPERTIES_H */
