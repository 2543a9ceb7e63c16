/* cloudhv-client.h: cloud-hypervisor's REST API over its unix socket
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _ChvClient ChvClient;

/* A client for the API socket at @socket_path (libsoup, one session; use
 * it from one thread). */
ChvClient *chv_client_new (const char *socket_path, guint timeout_seconds);
void       chv_client_free (ChvClient *client);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ChvClient, chv_client_free)

/* Calls `/api/v1/<endpoint>` with @method ("GET" or "PUT") and an optional
 * JSON @body. On 2xx returns TRUE and, if @response is not NULL, the parsed
 * answer (NULL for an empty one). Otherwise the error array cloud-hypervisor
 * answers becomes the message, outermost first, joined by ": "
 * (%HERO_VIRT_ERROR_COMMAND_FAILED, with @endpoint and the HTTP status);
 * a socket that refuses or is missing is %HERO_VIRT_ERROR_NETWORK. */
gboolean chv_client_call (ChvClient    *client,
                          const char   *method,
                          const char   *endpoint,
                          JsonNode     *body,
                          JsonNode    **response,
                          guint        *status,
                          GCancellable *cancellable,
                          GError      **error);

/* Turns an error answer (an array of strings, or anything else) into one
 * line. */
char *chv_client_error_message (const char *body, gsize len);

G_END_DECLS
