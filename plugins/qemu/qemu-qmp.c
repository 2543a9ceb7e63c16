/* qemu-qmp.c: a small synchronous QMP client (see qemu-qmp.h)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "HeroVirt-Qemu"

#include "qemu-qmp.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

struct _QemuQmp
{
  int           fd;
  GString      *buffer;
  GPtrArray    *events; /* JsonObject */
  JsonObject   *greeting;
  GCancellable *cancellable;
  gint64        next_id;
  guint         timeout_ms; /* per command */
};

void
qemu_qmp_free (QemuQmp *qmp)
{
  if (qmp == NULL)
    return;
  if (qmp->fd >= 0)
    close (qmp->fd);
  g_string_free (qmp->buffer, TRUE);
  g_ptr_array_unref (qmp->events);
  g_clear_pointer (&qmp->greeting, json_object_unref);
  g_clear_object (&qmp->cancellable);
  g_free (qmp);
}

static gboolean
check_cancelled (QemuQmp *qmp, GError **error)
{
  return qmp->cancellable != NULL && g_cancellable_set_error_if_cancelled (qmp->cancellable, error);
}

/* One JSON message, waiting until @deadline (monotonic µs). NULL with
 * TIMEOUT, UNAVAILABLE (EOF) or PARSE. */
static JsonObject *
read_message (QemuQmp *qmp, gint64 deadline, GError **error)
{
  for (;;)
    {
      char         *newline = memchr (qmp->buffer->str, '\n', qmp->buffer->len);
      struct pollfd pfd = { .fd = qmp->fd, .events = POLLIN };
      char          chunk[4096];
      gint64        now;
      gssize        n;
      int           rc;

      if (newline != NULL)
        {
          gsize            len = (gsize)(newline - qmp->buffer->str);
          g_autofree char *line = g_strndup (qmp->buffer->str, len);
          g_autoptr (JsonNode) root = NULL;
          g_autoptr (GError) local_error = NULL;

          g_string_erase (qmp->buffer, 0, (gssize)len + 1);
          g_strstrip (line);
          if (*line == '\0')
            continue;
          /* Bounded first, then parsed again mutable (callers may edit). */
          root = hero_virt_json_parse_untrusted ((const guint8 *)line, strlen (line), 0, 0,
                                                 &local_error);
          if (root != NULL)
            {
              g_clear_pointer (&root, json_node_unref);
              root = json_from_string (line, &local_error);
            }
          if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
            {
              g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                           "qemu sent a QMP message that is not a JSON object: %s", line);
              return NULL;
            }
          return json_object_ref (json_node_get_object (root));
        }
      if (check_cancelled (qmp, error))
        return NULL;
      now = g_get_monotonic_time ();
      if (now >= deadline)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TIMEOUT,
                       "qemu's QMP monitor did not answer in time");
          return NULL;
        }
      /* Wake up now and then to notice cancellation. */
      rc = poll (&pfd, 1, (int)MIN ((deadline - now) / 1000 + 1, 100));
      if (rc < 0 && errno != EINTR)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "poll on QMP socket: %s",
                       g_strerror (errno));
          return NULL;
        }
      if (rc <= 0)
        continue;
      n = read (qmp->fd, chunk, sizeof chunk);
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      if (n <= 0)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE,
                       "qemu closed its QMP socket");
          return NULL;
        }
      g_string_append_len (qmp->buffer, chunk, n);
    }
}

static gboolean
send_all (QemuQmp *qmp, const char *data, gsize len, int fd_to_pass, GError **error)
{
  gboolean first = TRUE;

  while (len > 0)
    {
      struct iovec  iov = { .iov_base = (void *)data, .iov_len = len };
      struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
      union
      {
        char           buf[CMSG_SPACE (sizeof (int))];
        struct cmsghdr align;
      } control;
      gssize n;

      if (first && fd_to_pass >= 0)
        {
          struct cmsghdr *cmsg;

          memset (&control, 0, sizeof control);
          msg.msg_control = control.buf;
          msg.msg_controllen = sizeof control.buf;
          cmsg = CMSG_FIRSTHDR (&msg);
          cmsg->cmsg_level = SOL_SOCKET;
          cmsg->cmsg_type = SCM_RIGHTS;
          cmsg->cmsg_len = CMSG_LEN (sizeof (int));
          memcpy (CMSG_DATA (cmsg), &fd_to_pass, sizeof (int));
        }
      n = sendmsg (qmp->fd, &msg, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE,
                       "Cannot write to qemu's QMP socket: %s", g_strerror (errno));
          return FALSE;
        }
      first = FALSE;
      data += n;
      len -= (gsize)n;
    }
  return TRUE;
}

static JsonNode *
execute_full (QemuQmp *qmp, const char *command, JsonObject *arguments, int fd, GError **error)
{
  g_autoptr (JsonObject) request = json_object_new ();
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;
  gint64           id = ++qmp->next_id;
  gint64           deadline = g_get_monotonic_time () + (gint64)qmp->timeout_ms * 1000;

  json_object_set_string_member (request, "execute", command);
  if (arguments != NULL)
    json_object_set_object_member (request, "arguments", json_object_ref (arguments));
  json_object_set_int_member (request, "id", id);
  json_node_set_object (node, request);
  text = json_to_string (node, FALSE);
  line = g_strconcat (text, "\n", NULL);
  if (!send_all (qmp, line, strlen (line), fd, error))
    return NULL;

  for (;;)
    {
      g_autoptr (JsonObject) message = read_message (qmp, deadline, error);

      if (message == NULL)
        {
          g_prefix_error (error, "QMP %s: ", command);
          return NULL;
        }
      if (json_object_has_member (message, "event"))
        {
          g_ptr_array_add (qmp->events, g_steal_pointer (&message));
          continue;
        }
      if (!json_object_has_member (message, "id")
          || json_node_get_int (json_object_get_member (message, "id")) != id)
        continue;
      if (json_object_has_member (message, "error"))
        {
          JsonObject *err = json_object_get_object_member (message, "error");
          const char *desc = err != NULL && json_object_has_member (err, "desc")
                                 ? json_object_get_string_member (err, "desc")
                                 : "unknown error";

          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_COMMAND_FAILED,
                       "qemu refused %s: %s", command, desc);
          return NULL;
        }
      if (json_object_has_member (message, "return"))
        return json_node_copy (json_object_get_member (message, "return"));
    }
}

JsonNode *
qemu_qmp_execute (QemuQmp *qmp, const char *command, JsonObject *arguments, GError **error)
{
  return execute_full (qmp, command, arguments, -1, error);
}

gboolean
qemu_qmp_send_fd (QemuQmp *qmp, const char *fdname, int fd, GError **error)
{
  g_autoptr (JsonObject) arguments = json_object_new ();
  g_autoptr (JsonNode) result = NULL;

  json_object_set_string_member (arguments, "fdname", fdname);
  result = execute_full (qmp, "getfd", arguments, fd, error);
  return result != NULL;
}

QemuQmp *
qemu_qmp_connect (const char   *socket_path,
                  guint         timeout_ms,
                  GCancellable *cancellable,
                  GError      **error)
{
  g_autoptr (QemuQmp) qmp = g_new0 (QemuQmp, 1);
  g_autoptr (JsonObject) greeting = NULL;
  g_autoptr (JsonNode) result = NULL;
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  gint64             deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;

  qmp->fd = -1;
  qmp->buffer = g_string_new (NULL);
  qmp->events = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  qmp->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  qmp->timeout_ms = MAX (timeout_ms, 5000);

  if (strlen (socket_path) >= sizeof addr.sun_path)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "QMP socket path “%s” is longer than a unix socket path may be", socket_path);
      return NULL;
    }
  strcpy (addr.sun_path, socket_path);
  qmp->fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (qmp->fd < 0 || connect (qmp->fd, (struct sockaddr *)&addr, sizeof addr) < 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE,
                   "Cannot connect to qemu's QMP socket %s: %s", socket_path, g_strerror (errno));
      return NULL;
    }

  greeting = read_message (qmp, deadline, error);
  if (greeting == NULL)
    {
      g_prefix_error (error, "QMP greeting on %s: ", socket_path);
      return NULL;
    }
  if (!json_object_has_member (greeting, "QMP"))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "%s did not greet like a QMP monitor", socket_path);
      return NULL;
    }
  qmp->greeting = json_object_ref (json_object_get_object_member (greeting, "QMP"));
  result = qemu_qmp_execute (qmp, "qmp_capabilities", NULL, error);
  if (result == NULL)
    return NULL;
  return g_steal_pointer (&qmp);
}

JsonObject *
qemu_qmp_get_greeting (QemuQmp *qmp)
{
  return qmp->greeting;
}

JsonObject *
qemu_qmp_wait_event (QemuQmp *qmp, const char *name, guint timeout_ms, GError **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;

  for (guint i = 0; i < qmp->events->len; i++)
    {
      JsonObject *event = g_ptr_array_index (qmp->events, i);

      if (g_strcmp0 (json_object_get_string_member (event, "event"), name) == 0)
        return json_object_ref (event);
    }
  for (;;)
    {
      JsonObject *message = read_message (qmp, deadline, error);

      if (message == NULL)
        return NULL;
      if (!json_object_has_member (message, "event"))
        {
          json_object_unref (message);
          continue;
        }
      g_ptr_array_add (qmp->events, message);
      if (g_strcmp0 (json_object_get_string_member (message, "event"), name) == 0)
        return json_object_ref (message);
    }
}

GPtrArray *
qemu_qmp_get_event_names (QemuQmp *qmp)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < qmp->events->len; i++)
    g_ptr_array_add (names, g_strdup (json_object_get_string_member (
                                g_ptr_array_index (qmp->events, i), "event")));
  return names;
}
