/* ks-proto.h: request bodies in Kubernetes' protobuf encoding (the "k8s\0"
 * envelope around a runtime.Unknown), decoded to the JSON the same object
 * would have had. */
#pragma once

#include "ks-json.h"

G_BEGIN_DECLS

extern const char *const ks_proto_table[];

/* NULL with *error set when the bytes are not a kind the table knows. */
JsonObject *ks_proto_decode (const guint8 *data, gsize size, char **error);

G_END_DECLS
