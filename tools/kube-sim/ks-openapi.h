/* ks-openapi.h: OpenAPI documents of the served kinds. */
#pragma once

#include "kube-sim.h"

G_BEGIN_DECLS

extern const char *const ks_openapi_schema_lines[];

G_END_DECLS
