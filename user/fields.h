/* SPDX-License-Identifier: GPL-2.0 */
/* Names and rendering of the device-state fields (enum dmswap_field). */
#ifndef DMSWAP_FIELDS_H
#define DMSWAP_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "dmswap.h"

const char *field_name(unsigned int field);
/* Human/JSON-friendly rendering of a field's value; pointers are never printed. */
void field_format(unsigned int field, uint64_t value, char *buf, size_t len);
/* For a change between two values (pointers: "set" -> "set (replaced)"). */
void field_format_change(unsigned int field, uint64_t before, uint64_t after, char *bbuf,
			 char *abuf, size_t len);
/* Is the rendering a number (JSON: unquoted)? */
int field_is_numeric(unsigned int field);
int field_is_signed(unsigned int field);

#endif /* DMSWAP_FIELDS_H */
