/**
 * @file opae/sysobject.h
 * @brief A resource's system view: named attributes and containers (on Linux, its sysfs files).
 *
 * Objects are found by '/'-separated names relative to a resource or to a container object.
 * A name may not start with '.' or '/' nor contain "..": such names give FPGA_INVALID_PARAM.
 * An object buffers its data when made; FPGA_OBJECT_SYNC re-reads it from the driver. Objects
 * made from a token are read-only; those made from a handle, and their sub-objects, can be
 * written. Every object must be freed with fpgaDestroyObject().
 *
 * The @p flags below take enum fpga_sysobject_flags values, OR-ed.
 */
#ifndef OPAESHARP_OPAE_SYSOBJECT_H
#define OPAESHARP_OPAE_SYSOBJECT_H

#include <opae/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Makes a read-only object for a name under the resource @p token names.
 *
 * @param[in]  token  A live token of an FPGA device or accelerator.
 * @param[in]  name   The object's name, relative to the resource.
 * @param[out] object Receives the new object.
 * @param[in]  flags  FPGA_OBJECT_GLOB (@p name is a glob pattern), FPGA_OBJECT_RECURSE_ONE or
 *                    FPGA_OBJECT_RECURSE_ALL (also make the objects below a container).
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p token is not live, @p name or @p object
 * is NULL, or @p name is not allowed. FPGA_NOT_FOUND if there is no such object.
 * FPGA_NOT_SUPPORTED if the backend has no system view.
 */
fpga_result fpgaTokenGetObject(fpga_token token, const char *name,
			       fpga_object *object, int flags);

/**
 * Makes a writable object for a name under the resource @p handle has open.
 *
 * @param[in]  handle An open handle.
 * @param[in]  name   The object's name, relative to the resource.
 * @param[out] object Receives the new object.
 * @param[in]  flags  As for fpgaTokenGetObject().
 * @returns As fpgaTokenGetObject(), with FPGA_INVALID_PARAM also when @p handle is not open.
 */
fpga_result fpgaHandleGetObject(fpga_handle handle, const char *name,
				fpga_object *object, int flags);

/**
 * Makes an object for a name under a container object. It is writable if @p parent is.
 *
 * @param[in]  parent A container object.
 * @param[in]  name   The object's name, relative to @p parent.
 * @param[out] object Receives the new object.
 * @param[in]  flags  As for fpgaTokenGetObject().
 * @returns As fpgaTokenGetObject(), with FPGA_INVALID_PARAM also when @p parent is not a live
 * container object.
 */
fpga_result fpgaObjectGetObject(fpga_object parent, const char *name,
				fpga_object *object, int flags);

/**
 * Makes an object for the child at position @p idx of a container object (0 up to the size
 * fpgaObjectGetSize() reports for it). It is writable if @p parent is.
 *
 * @param[in]  parent A container object.
 * @param[in]  idx    The child's position.
 * @param[out] object Receives the new object.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p parent is not a live container object,
 * @p object is NULL or @p idx is not below the container's size. FPGA_NOT_SUPPORTED if the
 * backend has no system view.
 */
fpga_result fpgaObjectGetObjectAt(fpga_object parent, size_t idx, fpga_object *object);

/**
 * Tells whether an object is a container or an attribute.
 *
 * @param[in]  obj  A live object.
 * @param[out] type Receives FPGA_OBJECT_CONTAINER or FPGA_OBJECT_ATTRIBUTE.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p obj is not live or @p type is NULL.
 */
fpga_result fpgaObjectGetType(fpga_object obj, enum fpga_sysobject_type *type);

/**
 * Frees an object (not the resource it names). The value must not be used afterwards.
 *
 * @param[in,out] obj Address of the object.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p obj is NULL or *obj is not live.
 * FPGA_EXCEPTION for other failures.
 */
fpga_result fpgaDestroyObject(fpga_object *obj);

/**
 * Gives the size of an object: the bytes of an attribute's data, or a container's number of
 * children.
 *
 * @param[in]  obj   A live object.
 * @param[out] value Receives the size.
 * @param[in]  flags FPGA_OBJECT_SYNC to re-read the data first.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p obj is not live or @p value is NULL.
 * FPGA_EXCEPTION if re-reading failed.
 */
fpga_result fpgaObjectGetSize(fpga_object obj, uint32_t *value, int flags);

/**
 * Copies bytes of an attribute's data.
 *
 * @param[in]  obj    A live attribute object.
 * @param[out] buffer Receives @p len bytes.
 * @param[in]  offset Where in the data to start.
 * @param[in]  len    How many bytes to copy; @p offset + @p len must not pass the data's end.
 * @param[in]  flags  FPGA_OBJECT_SYNC to re-read the data first.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p obj is not a live attribute, @p buffer
 * is NULL or the range passes the end of the data. FPGA_EXCEPTION if re-reading failed.
 */
fpga_result fpgaObjectRead(fpga_object obj, uint8_t *buffer, size_t offset, size_t len,
			   int flags);

/**
 * Reads an attribute as a 64-bit number: its text parsed like a C integer constant (decimal,
 * 0x hexadecimal or 0 octal), or with FPGA_OBJECT_RAW its first 8 bytes as they are.
 *
 * @param[in]  obj   A live attribute object.
 * @param[out] value Receives the number.
 * @param[in]  flags FPGA_OBJECT_SYNC to re-read the data first; FPGA_OBJECT_RAW for raw bytes.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p obj is not a live attribute or @p value
 * is NULL. FPGA_EXCEPTION if re-reading failed.
 */
fpga_result fpgaObjectRead64(fpga_object obj, uint64_t *value, int flags);

/**
 * Writes a 64-bit number to an attribute: as hexadecimal text ("0x..."), or with
 * FPGA_OBJECT_RAW as its 8 raw bytes. The object must have been made from a handle
 * (fpgaHandleGetObject(), or an object below one made that way).
 *
 * @param[in] obj   A live, writable attribute object.
 * @param[in] value The number.
 * @param[in] flags FPGA_OBJECT_RAW for raw bytes, otherwise 0.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p obj is not a live attribute or is
 * read-only. FPGA_EXCEPTION if the write failed.
 */
fpga_result fpgaObjectWrite64(fpga_object obj, uint64_t value, int flags);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OPAESHARP_OPAE_SYSOBJECT_H */
