/* SPDX-License-Identifier: GPL-2.0 */
/* "dmswap-trace coverage": what this kernel lets the tool see. */
#ifndef DMSWAP_COVERAGE_H
#define DMSWAP_COVERAGE_H

#include <stdbool.h>
#include <stdio.h>

#include "session.h"

void coverage_print_text(FILE *out, const struct session *s);
void coverage_print_json(FILE *out, const struct session *s);

#endif /* DMSWAP_COVERAGE_H */
