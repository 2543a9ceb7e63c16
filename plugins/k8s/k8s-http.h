/* k8s-http.h: a small HTTP/1.1 keep-alive client for the REST requests,
 * over TLS connections the provider verifies itself
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Decides whether the server's certificate is trusted (the provider's
 * accept_certificate: the kubeconfig's CA, or insecure-skip-tls-verify). */
typedef gboolean (*K8sHttpAcceptFunc) (GTlsCertificate     *cert,
                                       GTlsCertificateFlags errors,
                                       gpointer             user_data);

typedef struct _K8sHttp K8sHttp;

/* A pool of kept-alive connections to @host:@port. @identity is the
 * TLS server identity (SNI; tls-server-name when set); @client_cert the
 * kubeconfig's client certificate or NULL; @timeout_s the I/O timeout
 * (0: none). @accept decides every certificate, with @accept_data. */
K8sHttp *k8s_http_new (const char         *host,
                       guint16             port,
                       GSocketConnectable *identity,
                       GTlsCertificate    *client_cert,
                       guint               timeout_s,
                       K8sHttpAcceptFunc   accept,
                       gpointer            accept_data);
void     k8s_http_free (K8sHttp *http);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (K8sHttp, k8s_http_free)

/* The client certificate the pool's connections present. */
GTlsCertificate *k8s_http_get_client_certificate (K8sHttp *http);

/* Sends one request (@target: path and query, already escaped) and reads
 * the whole answer. @idempotent: it may be resent once on a new
 * connection when a kept-alive one turns out closed before any of the
 * answer came. An answer the server sends before it has read all of
 * the body (and then stops reading it, or closes the connection: a 413
 * for a body over its limit) is the answer, on a connection that is not
 * used again; it is never sent again. Returns the body (empty when
 * there is none) and sets @status_out and @retry_after_out (the
 * Retry-After header or NULL); on an I/O or protocol error NULL with a
 * G_IO_ERROR, G_TLS_ERROR or SOUP_SESSION_ERROR_PARSING-like error. */
GBytes *k8s_http_request (K8sHttp      *http,
                          const char   *method,
                          const char   *target,
                          const char   *authorization,
                          const char   *content_type,
                          GBytes       *body,
                          gboolean      idempotent,
                          guint        *status_out,
                          char        **retry_after_out,
                          GCancellable *cancellable,
                          GError      **error);

/* The parser, on its own for tests: feeds @data (an answer) and returns
 * what k8s_http_request would. */
GBytes *k8s_http_parse_response (const char *data,
                                 gsize       len,
                                 gboolean    head_request,
                                 guint      *status_out,
                                 char      **retry_after_out,
                                 gboolean   *keep_alive_out,
                                 GError    **error);

G_END_DECLS
