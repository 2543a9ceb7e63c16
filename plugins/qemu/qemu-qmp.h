/* qemu-qmp.h: a small synchronous QMP client over a unix socket
 *
 * QMP is line-delimited JSON: a greeting, then `qmp_capabilities`, then
 * commands answered by `return` or `error`, with asynchronous events in
 * between (kept, for qemu_qmp_wait_event()). Every read has a deadline.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <hero-virt.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _QemuQmp QemuQmp;

/* Connects, reads the greeting and negotiates capabilities, all within
 * @timeout_ms. %HERO_VIRT_ERROR_UNAVAILABLE when nobody listens,
 * %HERO_VIRT_ERROR_TIMEOUT when the monitor does not answer (another
 * client holds it). */
QemuQmp *qemu_qmp_connect (const char   *socket_path,
                           guint         timeout_ms,
                           GCancellable *cancellable,
                           GError      **error);
void     qemu_qmp_free (QemuQmp *qmp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QemuQmp, qemu_qmp_free)

/* The greeting's "QMP" object ({"version": ..., "capabilities": ...}). */
JsonObject *qemu_qmp_get_greeting (QemuQmp *qmp);

/* Runs @command with @arguments (nullable, not consumed) and returns its
 * "return" value; a QMP error is %HERO_VIRT_ERROR_COMMAND_FAILED with its
 * "desc". */
JsonNode *
qemu_qmp_execute (QemuQmp *qmp, const char *command, JsonObject *arguments, GError **error);

/* Passes @fd to qemu under @fdname (`getfd` with SCM_RIGHTS). */
gboolean qemu_qmp_send_fd (QemuQmp *qmp, const char *fdname, int fd, GError **error);

/* Waits for the event @name (already received or coming) up to
 * @timeout_ms; returns its whole message. When qemu closes the socket
 * first, %HERO_VIRT_ERROR_UNAVAILABLE. */
JsonObject *qemu_qmp_wait_event (QemuQmp *qmp, const char *name, guint timeout_ms, GError **error);

/* The names of the events received so far, oldest first. */
GPtrArray *qemu_qmp_get_event_names (QemuQmp *qmp);

G_END_DECLS
