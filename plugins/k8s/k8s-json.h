/* k8s-json.h: the API server's answers parsed straight into JsonNodes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define K8S_JSON_MAX_DEPTH 128

/* Parses the JSON text @data (RFC 8259: one value, UTF-8) into the tree
 * json-glib's parser would build: integers as gint64 (doubles when they
 * do not fit or have a fraction or exponent), objects with their members
 * in order (a repeated name: the last one). Nested deeper than
 * K8S_JSON_MAX_DEPTH is HERO_VIRT_ERROR_TOO_LARGE, anything else that is
 * not JSON HERO_VIRT_ERROR_PARSE. */
JsonNode *k8s_json_parse (const char *data, gsize len, GError **error);

G_END_DECLS
