/* podman-rest-parse.h: what the podman REST transport reads off the socket
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Pure functions over bytes (no socket, no session), so the fuzz target
 * and the tests drive exactly the code the plugin runs.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "docker-cli.h"

G_BEGIN_DECLS

/* The longest response body kept in memory, and the longest single frame
 * of docker's multiplexed stream. */
#define PODMAN_REST_MAX_BODY (64 * 1024 * 1024)
#define PODMAN_REST_MAX_FRAME (16 * 1024 * 1024)

/* Reads one 8-byte frame header (stream, 0, 0, 0, size big-endian).
 * FALSE with HERO_VIRT_ERROR_PARSE for a malformed header and
 * HERO_VIRT_ERROR_TOO_LARGE for a size over @max_size. */
gboolean podman_rest_frame_header (const guint8 *header,
                                   gsize         max_size,
                                   guint        *out_stream,
                                   guint32      *out_size,
                                   GError      **error);

/* Splits a whole multiplexed body into @out (stdout, and stdin echoes)
 * and @err (stderr; NULL: into @out too). A body that does not start
 * with a frame header is a tty stream and goes to @out raw. A frame that
 * runs past the end or over PODMAN_REST_MAX_FRAME is an error. */
gboolean
podman_rest_demux (const guint8 *data, gsize len, GString *out, GString *err, GError **error);

/* A response body as JSON, bounded (depth, size) before json-glib. */
JsonNode *podman_rest_parse_json (const guint8 *data, gsize len, GError **error);

/* The "message" of an error body, or NULL. */
char *podman_rest_error_message (const guint8 *data, gsize len);

/* Pull and push stream concatenated JSON objects: the last "id", "" when
 * none, or NULL with an error when an object has a non-empty "error". */
char *podman_rest_stream_result (const guint8 *data, gsize len, const char *what, GError **error);

G_END_DECLS
