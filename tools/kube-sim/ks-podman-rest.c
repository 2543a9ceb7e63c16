/* ks-podman-rest.c: the private podman service and its REST API. */
#include "ks-podman-rest.h"
#include "ks-json.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <gio/gunixsocketaddress.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#define API_PREFIX "/v4.0.0"

static void
child_setup (gpointer data)
{
  /* The service goes away with the simulator even when it is killed. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
run_podman_sync (KsPodman *pm, const char *const *args, GError **error)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  int              status = 0;
  g_autofree char *err = NULL;

  g_ptr_array_add (argv, (char *)"podman");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *)args[i]);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **)argv->pdata, pm->envp,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                     &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "podman %s failed: %s", args[0],
                   err ? g_strstrip (err) : "");
      return FALSE;
    }
  return TRUE;
}

/* Every pod at once (podman removes them one by one otherwise), then
 * whatever is left. */
static void
remove_pods_in_parallel (KsPodman *pm)
{
  g_autoptr (GPtrArray) procs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (JsonNode) pods = NULL;
  guint status = 0;

  if (pm->socket_path == NULL)
    return;
  pods = ks_podman_raw_call (pm, "GET", "/libpod/pods/json", NULL, &status, NULL);
  if (pods == NULL || !JSON_NODE_HOLDS_ARRAY (pods))
    return;
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                        | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_environ (launcher, pm->envp);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (pods)); i++)
    {
      JsonObject  *pod = json_array_get_object_element (json_node_get_array (pods), i);
      const char  *id = ks_json_get_string (pod, "Id");
      GSubprocess *proc;
      if (id == NULL)
        continue;
      proc = g_subprocess_launcher_spawn (launcher, NULL, "podman", "pod", "rm", "--force",
                                          "--time", "0", id, NULL);
      if (proc != NULL)
        g_ptr_array_add (procs, proc);
    }
  for (guint i = 0; i < procs->len; i++)
    g_subprocess_wait (g_ptr_array_index (procs, i), NULL, NULL);
}

static void
remove_all (KsPodman *pm)
{
  static const char *const pods[] = { "pod", "rm", "--all", "--force", "--time", "0", NULL };
  static const char *const ctrs[] = { "rm", "--all", "--force", "--time", "0", NULL };
  g_autoptr (GError) error = NULL;

  if (!run_podman_sync (pm, pods, &error))
    g_printerr ("hero-virt-kube-sim: %s\n", error->message);
  g_clear_error (&error);
  if (!run_podman_sync (pm, ctrs, &error))
    g_printerr ("hero-virt-kube-sim: %s\n", error->message);
}

KsPodman *
ks_podman_start (const char *root, GError **error)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSocketAddress) address = NULL;
  KsPodman        *pm = g_new0 (KsPodman, 1);
  g_autofree char *storage = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *storage_path = NULL;
  g_autofree char *conf_path = NULL;
  g_autofree char *log_path = NULL;
  g_autofree char *listen = NULL;
  gboolean         ready = FALSE;

  if (root == NULL)
    {
      pm->root = g_dir_make_tmp ("kube-sim-podman-XXXXXX", error);
      pm->owns_root = TRUE;
      if (pm->root == NULL)
        goto fail;
    }
  else
    {
      pm->root = g_canonicalize_filename (root, NULL);
      if (g_mkdir_with_parents (pm->root, 0700) != 0)
        {
          int errsv = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "cannot create %s: %s",
                       pm->root, g_strerror (errsv));
          goto fail;
        }
    }
  pm->socket_path = g_build_filename (pm->root, "podman.sock", NULL);
  if (strlen (pm->socket_path) >= sizeof (((struct sockaddr_un *)NULL)->sun_path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FILENAME_TOO_LONG,
                   "the podman socket path %s is too long", pm->socket_path);
      goto fail;
    }
  storage = g_strdup_printf ("[storage]\ndriver = \"overlay\"\ngraphroot = \"%s/root\"\n"
                             "runroot = \"%s/run\"\n",
                             pm->root, pm->root);
  /* machine.md §3: runc (crun refuses hybrid cgroups), rlimits we may set. */
  conf = g_strdup_printf ("[containers]\n"
                          "default_ulimits = [\"nofile=4096:4096\", \"nproc=4096:4096\"]\n"
                          "[engine]\n"
                          "runtime = \"runc\"\n"
                          "events_logfile_path = \"%s/events.log\"\n",
                          pm->root);
  storage_path = g_build_filename (pm->root, "storage.conf", NULL);
  conf_path = g_build_filename (pm->root, "containers.conf", NULL);
  if (!g_file_set_contents (storage_path, storage, -1, error)
      || !g_file_set_contents (conf_path, conf, -1, error))
    goto fail;
  pm->envp = g_get_environ ();
  pm->envp = g_environ_setenv (pm->envp, "CONTAINERS_CONF", conf_path, TRUE);
  pm->envp = g_environ_setenv (pm->envp, "CONTAINERS_STORAGE_CONF", storage_path, TRUE);
  pm->envp = g_environ_setenv (pm->envp, "BUILDAH_RUNTIME", "runc", TRUE);

  /* A given root may hold the pods of a simulator that was killed. */
  if (!pm->owns_root)
    remove_all (pm);
  g_unlink (pm->socket_path);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_INHERIT);
  g_subprocess_launcher_set_environ (launcher, pm->envp);
  log_path = g_build_filename (pm->root, "podman.log", NULL);
  g_subprocess_launcher_set_stdout_file_path (launcher, log_path);
  g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  listen = g_strconcat ("unix://", pm->socket_path, NULL);
  pm->service = g_subprocess_launcher_spawn (launcher, error, "podman", "system", "service",
                                             "--time=0", listen, NULL);
  if (pm->service == NULL)
    goto fail;
  for (guint i = 0; i < 300 && !ready; i++)
    {
      g_autoptr (JsonNode) reply = NULL;
      guint status = 0;
      if (g_subprocess_get_identifier (pm->service) == NULL)
        break;
      if (g_file_test (pm->socket_path, G_FILE_TEST_EXISTS))
        {
          reply = ks_podman_raw_call (pm, "GET", "/libpod/_ping", NULL, &status, NULL);
          ready = status == 200;
        }
      if (!ready)
        g_usleep (50 * 1000);
    }
  if (!ready)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "podman system service did not answer on %s (see %s)", pm->socket_path,
                   log_path);
      goto fail;
    }
  address = g_unix_socket_address_new (pm->socket_path);
  pm->session = soup_session_new_with_options ("remote-connectable", address, "max-conns", 512,
                                               "max-conns-per-host", 512, "timeout", 0,
                                               "idle-timeout", 60, NULL);
  return pm;

fail:
  ks_podman_stop (pm);
  return NULL;
}

static void
unmount_below (const char *root)
{
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;
  g_autofree char *prefix = g_strconcat (root, "/", NULL);

  if (!g_file_get_contents ("/proc/self/mountinfo", &contents, NULL, NULL))
    return;
  lines = g_strsplit (contents, "\n", -1);
  /* Deepest (last mounted) first. */
  for (gint i = (gint)g_strv_length (lines) - 1; i >= 0; i--)
    {
      g_auto (GStrv) fields = g_strsplit (lines[i], " ", 6);
      if (g_strv_length (fields) < 5 || !g_str_has_prefix (fields[4], prefix))
        continue;
      umount2 (fields[4], MNT_DETACH);
    }
}

void
ks_podman_stop (KsPodman *pm)
{
  if (pm == NULL)
    return;
  g_clear_object (&pm->session);
  if (pm->envp != NULL && pm->service != NULL)
    {
      remove_pods_in_parallel (pm);
      remove_all (pm);
    }
  if (pm->service != NULL)
    {
      g_subprocess_send_signal (pm->service, SIGTERM);
      for (guint i = 0; i < 100 && g_subprocess_get_identifier (pm->service) != NULL; i++)
        g_usleep (50 * 1000);
      if (g_subprocess_get_identifier (pm->service) != NULL)
        g_subprocess_force_exit (pm->service);
      g_subprocess_wait (pm->service, NULL, NULL);
      g_clear_object (&pm->service);
    }
  if (pm->owns_root && pm->root != NULL)
    {
      const char *argv[] = { "rm", "-rf", "--one-file-system", pm->root, NULL };
      unmount_below (pm->root);
      g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                    NULL);
    }
  g_strfreev (pm->envp);
  g_free (pm->socket_path);
  g_free (pm->root);
  g_free (pm);
}

/* ---- replies: status, errors, JSON ---- */

/* podman's error for a failed call: its "message" (or "cause") with the
 * HTTP status, coded as G_IO_ERROR_NOT_FOUND (404), _EXISTS (409),
 * _PENDING (304: already started or stopped) or _FAILED. */
static GError *
reply_error (guint status, GBytes *body)
{
  g_autoptr (JsonObject) obj = NULL;
  const char *message = NULL;
  gsize       len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;
  int         code = G_IO_ERROR_FAILED;

  if (data != NULL && len > 0)
    obj = ks_json_parse_object (data, len, NULL);
  message = ks_json_get_string (obj, "message");
  if (message == NULL)
    message = ks_json_get_string (obj, "cause");
  if (status == 404)
    code = G_IO_ERROR_NOT_FOUND;
  else if (status == 409)
    code = G_IO_ERROR_EXISTS;
  else if (status == 304)
    code = G_IO_ERROR_PENDING;
  return g_error_new (G_IO_ERROR, code, "podman: %s (HTTP %u)",
                      message ? message : soup_status_get_phrase (status), status);
}

/* TRUE for a success status; else the error from the reply body. */
static gboolean
reply_check (guint status, GBytes *body, GError **error)
{
  if (status < 300)
    return TRUE;
  g_propagate_error (error, reply_error (status, body));
  return FALSE;
}

/* FALSE with an error when one reply object reports a failure inside a
 * success status: a pull's {"error": ...}, a pod start or stop's non-empty
 * "Errs" list. */
static gboolean
reply_object_ok (JsonNode *node, GError **error)
{
  JsonObject *obj = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonNode   *errs = obj ? json_object_get_member (obj, "Errs") : NULL;

  if (ks_json_get_string (obj, "error") != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", ks_json_get_string (obj, "error"));
      return FALSE;
    }
  if (errs != NULL && JSON_NODE_HOLDS_ARRAY (errs)
      && json_array_get_length (json_node_get_array (errs)) > 0)
    {
      g_autofree char *text = ks_json_to_string (errs);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "podman: %s", text);
      return FALSE;
    }
  return TRUE;
}

/* A reply is one JSON value, or JSON lines (pulls: the last line counts). */
static JsonNode *
parse_reply (const char *data, gsize len, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_auto (GStrv) lines = NULL;
  g_autoptr (JsonNode) last = NULL;

  if (len == 0)
    return NULL;
  if (json_parser_load_from_data (parser, data, len, NULL))
    {
      JsonNode *root = json_parser_get_root (parser);
      if (!reply_object_ok (root, error))
        return NULL;
      return root ? json_node_copy (root) : NULL;
    }
  {
    g_autofree char *text = g_strndup (data, len);
    lines = g_strsplit (text, "\n", -1);
  }
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr (JsonParser) p = json_parser_new ();
      JsonNode *root;
      if (*g_strstrip (lines[i]) == '\0' || !json_parser_load_from_data (p, lines[i], -1, NULL))
        continue;
      root = json_parser_get_root (p);
      if (!reply_object_ok (root, error))
        return NULL;
      g_clear_pointer (&last, json_node_unref);
      last = root ? json_node_copy (root) : NULL;
    }
  return g_steal_pointer (&last);
}

/* A whole reply: checked, then parsed (NULL and no error when empty). */
static JsonNode *
reply_parse (guint status, GBytes *body, GError **error)
{
  gsize       len = 0;
  const char *data;

  if (!reply_check (status, body, error))
    return NULL;
  data = body ? g_bytes_get_data (body, &len) : NULL;
  return parse_reply (data, len, error);
}

JsonObject *
ks_podman_reply_object (JsonNode *reply, const char *what, GError **error)
{
  if (reply != NULL && JSON_NODE_HOLDS_OBJECT (reply))
    return json_node_get_object (reply);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "podman: %s: not a JSON object",
               what ? what : "reply");
  return NULL;
}

/* ---- asynchronous JSON calls through libsoup ---- */

static void
call_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  SoupMessage *msg = g_task_get_task_data (task);
  GError      *error = NULL;
  g_autoptr (GBytes) body
      = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  JsonNode *reply = NULL;

  if (body != NULL)
    reply = reply_parse (soup_message_get_status (msg), body, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, reply, (GDestroyNotify)json_node_unref);
}

static void
send_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  SoupMessage *msg = g_task_get_task_data (task);
  GError      *error = NULL;
  g_autoptr (GBytes) body
      = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  if (body != NULL && reply_check (soup_message_get_status (msg), body, &error))
    g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify)g_bytes_unref);
  else
    g_task_return_error (task, error);
}

static SoupMessage *
new_message (KsPodman *pm, const char *method, const char *path)
{
  g_autofree char *url = g_strconcat ("http://podman" API_PREFIX, path, NULL);

  return soup_message_new (method, url);
}

static void
call_async (KsPodman           *pm,
            gboolean            raw,
            const char         *method,
            const char         *path,
            JsonNode           *body,
            GCancellable       *cancellable,
            GAsyncReadyCallback callback,
            gpointer            user_data)
{
  GTask       *task = g_task_new (NULL, cancellable, callback, user_data);
  SoupMessage *msg = new_message (pm, method, path);

  if (msg == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "bad path %s", path);
      g_object_unref (task);
      return;
    }
  if (body != NULL)
    {
      g_autofree char *text = ks_json_to_string (body);
      g_autoptr (GBytes) bytes = g_bytes_new_take (g_steal_pointer (&text), strlen (text));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  g_task_set_task_data (task, msg, g_object_unref);
  soup_session_send_and_read_async (pm->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    raw ? send_done : call_done, task);
}

void
ks_podman_call_async (KsPodman           *pm,
                      const char         *method,
                      const char         *path,
                      JsonNode           *body,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  call_async (pm, FALSE, method, path, body, cancellable, callback, user_data);
}

void
ks_podman_send_async (KsPodman           *pm,
                      const char         *method,
                      const char         *path,
                      JsonNode           *body,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  call_async (pm, TRUE, method, path, body, cancellable, callback, user_data);
}

GBytes *
ks_podman_send_finish (KsPodman *pm, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

JsonNode *
ks_podman_call_finish (KsPodman *pm, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
stream_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  SoupMessage *msg = g_task_get_task_data (task);
  GError      *error = NULL;
  g_autoptr (GInputStream) stream
      = soup_session_send_finish (SOUP_SESSION (source), result, &error);

  if (stream != NULL && reply_check (soup_message_get_status (msg), NULL, &error))
    g_task_return_pointer (task, g_steal_pointer (&stream), g_object_unref);
  else
    g_task_return_error (task, error);
}

void
ks_podman_stream_async (KsPodman           *pm,
                        const char         *path,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  GTask       *task = g_task_new (NULL, cancellable, callback, user_data);
  SoupMessage *msg = new_message (pm, "GET", path);

  g_task_set_task_data (task, msg, g_object_unref);
  soup_session_send_async (pm->session, msg, G_PRIORITY_DEFAULT, cancellable, stream_done, task);
}

GInputStream *
ks_podman_stream_finish (KsPodman *pm, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- blocking raw HTTP on the unix socket ---- */

static int
raw_connect (KsPodman *pm, GError **error)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  struct timeval     tv = { .tv_sec = 60 };
  int                fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

  if (fd < 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "socket: %s",
                   g_strerror (errsv));
      return -1;
    }
  g_strlcpy (addr.sun_path, pm->socket_path, sizeof addr.sun_path);
  if (connect (fd, (struct sockaddr *)&addr, sizeof addr) != 0)
    {
      int errsv = errno;
      close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "cannot reach podman: %s",
                   g_strerror (errsv));
      return -1;
    }
  setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  return fd;
}

static gboolean
write_all (int fd, const char *data, gsize len, GError **error)
{
  while (len > 0)
    {
      ssize_t n = send (fd, data, len, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int errsv = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "write to podman: %s",
                       g_strerror (errsv));
          return FALSE;
        }
      data += n;
      len -= n;
    }
  return TRUE;
}

static gboolean
send_request (int         fd,
              const char *http,
              const char *method,
              const char *path,
              const char *body,
              const char *extra,
              GError    **error)
{
  g_autofree char *head
      = g_strdup_printf ("%s " API_PREFIX "%s %s\r\nHost: podman\r\n"
                         "Content-Type: application/json\r\n"
                         "Content-Length: %zu\r\n%s\r\n",
                         method, path, http, body ? strlen (body) : 0, extra ? extra : "");

  return write_all (fd, head, strlen (head), error)
         && (body == NULL || write_all (fd, body, strlen (body), error));
}

/* Reads until the end of the headers; returns the status (0 on error). */
static guint
read_head (int fd, GByteArray *buf, gsize *head_len, GError **error)
{
  guint8 chunk[4096];

  for (;;)
    {
      ssize_t n;
      for (gsize i = 3; i < buf->len; i++)
        if (memcmp (buf->data + i - 3, "\r\n\r\n", 4) == 0)
          {
            guint status = 0;
            *head_len = i + 1;
            if (buf->len < 12 || sscanf ((const char *)buf->data, "HTTP/%*d.%*d %u", &status) != 1)
              status = 0;
            if (status == 0)
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bad reply from podman");
            return status;
          }
      if (buf->len > 65536)
        break;
      n = recv (fd, chunk, sizeof chunk, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      g_byte_array_append (buf, chunk, n);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "podman closed the connection");
  return 0;
}

GBytes *
ks_podman_raw_request (KsPodman   *pm,
                       const char *method,
                       const char *path,
                       const char *body,
                       guint      *status,
                       GError    **error)
{
  g_autoptr (GByteArray) buf = g_byte_array_new ();
  struct timeval tv = { .tv_sec = 30 };
  gsize          head_len = 0;
  guint8         chunk[8192];
  int            fd;

  *status = 0;
  fd = raw_connect (pm, error);
  if (fd < 0)
    return NULL;
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  /* HTTP/1.0: the reply body ends at EOF, never chunked. */
  if (!send_request (fd, "HTTP/1.0", method, path, body, NULL, error))
    {
      close (fd);
      return NULL;
    }
  *status = read_head (fd, buf, &head_len, error);
  if (*status == 0)
    {
      close (fd);
      return NULL;
    }
  for (;;)
    {
      ssize_t n = recv (fd, chunk, sizeof chunk, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      g_byte_array_append (buf, chunk, n);
    }
  close (fd);
  g_byte_array_remove_range (buf, 0, head_len);
  {
    g_autoptr (GBytes) rest = g_byte_array_free_to_bytes (g_steal_pointer (&buf));
    return reply_check (*status, rest, error) ? g_steal_pointer (&rest) : NULL;
  }
}

JsonNode *
ks_podman_raw_call (KsPodman   *pm,
                    const char *method,
                    const char *path,
                    const char *body,
                    guint      *status,
                    GError    **error)
{
  g_autoptr (GBytes) reply = ks_podman_raw_request (pm, method, path, body, status, error);

  return reply ? reply_parse (*status, reply, error) : NULL;
}

int
ks_podman_raw_upgrade (KsPodman    *pm,
                       const char  *path,
                       const char  *body,
                       GByteArray **leftover,
                       GError     **error)
{
  g_autoptr (GByteArray) buf = g_byte_array_new ();
  gsize head_len = 0;
  guint status;
  int   fd = raw_connect (pm, error);

  if (fd < 0)
    return -1;
  if (!send_request (fd, "HTTP/1.1", "POST", path, body, "Connection: Upgrade\r\nUpgrade: tcp\r\n",
                     error))
    {
      close (fd);
      return -1;
    }
  status = read_head (fd, buf, &head_len, error);
  if (status == 0)
    {
      close (fd);
      return -1;
    }
  if (status != 101 && status != 200)
    {
      g_autoptr (GBytes) rest = g_bytes_new (buf->data + head_len, buf->len - head_len);
      close (fd);
      g_propagate_error (error, reply_error (status, rest));
      return -1;
    }
  g_byte_array_remove_range (buf, 0, head_len);
  *leftover = g_steal_pointer (&buf);
  return fd;
}

void
ks_demux_feed (KsDemux      *d,
               const guint8 *data,
               gsize         len,
               void (*out) (guint8 stream, const guint8 *data, gsize len, gpointer user_data),
               gpointer user_data)
{
  while (len > 0)
    {
      if (d->remaining == 0)
        {
          gsize take = MIN (len, 8 - d->have_header);
          memcpy (d->header + d->have_header, data, take);
          d->have_header += take;
          data += take;
          len -= take;
          if (d->have_header == 8)
            {
              d->stream = d->header[0];
              d->remaining = ((guint32)d->header[4] << 24) | ((guint32)d->header[5] << 16)
                             | ((guint32)d->header[6] << 8) | d->header[7];
              d->have_header = 0;
            }
          continue;
        }
      {
        gsize take = MIN (len, d->remaining);
        out (d->stream, data, take, user_data);
        d->remaining -= take;
        data += take;
        len -= take;
      }
    }
}
