/* ks-podman-rest.h: a private podman service and its libpod REST API, for
 * the podman node agent (ks-podman-agent.c).
 *
 * ks_podman_start() writes a storage.conf and containers.conf under a root
 * directory, starts `podman system service --time=0 unix://ROOT/podman.sock`
 * with them and waits until it answers. JSON calls go through libsoup over
 * that unix socket (asynchronous, for the main loop); exec streams and the
 * few calls made from worker threads use blocking raw HTTP on the socket,
 * because libsoup cannot hand over an upgraded client connection. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  char        *root;      /* everything lives below it */
  gboolean     owns_root; /* a temporary directory, removed at stop */
  char        *socket_path;
  char       **envp; /* the environment podman runs with (CONTAINERS_CONF, ...) */
  GSubprocess *service;
  SoupSession *session;
} KsPodman;

KsPodman *ks_podman_start (const char *root, GError **error);
/* Removes every pod and container of the private storage, stops the
 * service and, when the root was temporary, deletes it. Synchronous. */
void ks_podman_stop (KsPodman *pm);

/* "/libpod/..." with the query already escaped; body may be NULL. The
 * result is the parsed reply (NULL when empty); a status >= 300, a pull's
 * {"error": ...} or a non-empty "Errs" list (pod start/stop) is an error
 * with podman's message: G_IO_ERROR_NOT_FOUND for 404, G_IO_ERROR_EXISTS
 * for 409, G_IO_ERROR_PENDING for 304 (already started/stopped), else
 * G_IO_ERROR_FAILED. */
void      ks_podman_call_async (KsPodman           *pm,
                                const char         *method,
                                const char         *path,
                                JsonNode           *body,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data);
JsonNode *ks_podman_call_finish (KsPodman *pm, GAsyncResult *result, GError **error);

/* The reply as an object (borrowed), or NULL with an error naming what. */
JsonObject *ks_podman_reply_object (JsonNode *reply, const char *what, GError **error);

/* The same, the reply as bytes (exec start's raw stream). */
void    ks_podman_send_async (KsPodman           *pm,
                              const char         *method,
                              const char         *path,
                              JsonNode           *body,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data);
GBytes *ks_podman_send_finish (KsPodman *pm, GAsyncResult *result, GError **error);

/* A streamed GET (logs): the reply body as it comes, after a 2xx status. */
void          ks_podman_stream_async (KsPodman           *pm,
                                      const char         *path,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
GInputStream *ks_podman_stream_finish (KsPodman *pm, GAsyncResult *result, GError **error);

/* Blocking, for worker threads: one request on a fresh connection. */
GBytes   *ks_podman_raw_request (KsPodman   *pm,
                                 const char *method,
                                 const char *path,
                                 const char *body,
                                 guint      *status,
                                 GError    **error);
JsonNode *ks_podman_raw_call (KsPodman   *pm,
                              const char *method,
                              const char *path,
                              const char *body,
                              guint      *status,
                              GError    **error);
/* POST with Connection: Upgrade / Upgrade: tcp; on 101 or 200 returns the
 * connected socket fd positioned after the reply headers, with bytes read
 * past them in *leftover. */
int ks_podman_raw_upgrade (KsPodman    *pm,
                           const char  *path,
                           const char  *body,
                           GByteArray **leftover,
                           GError     **error);

/* Splits Docker's multiplexed stream: 8-byte headers [stream,0,0,0,len BE]. */
typedef struct
{
  guint8  header[8];
  guint   have_header;
  guint32 remaining; /* payload bytes left in the current frame */
  guint8  stream;
} KsDemux;

/* Feeds bytes; calls out(stream, data, len) for each payload piece. */
void ks_demux_feed (KsDemux      *demux,
                    const guint8 *data,
                    gsize         len,
                    void (*out) (guint8 stream, const guint8 *data, gsize len, gpointer user_data),
                    gpointer user_data);

G_END_DECLS
