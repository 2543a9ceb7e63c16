/* ks-podman-agent.c: a node agent that runs every pod as a podman pod (an
 * infra container holding the network, UTS and IPC namespaces; hostname =
 * pod name) with one container per pod container, on a private podman
 * service (ks-podman-rest.c).
 *
 * Everything is asynchronous on the simulator's main context: libpod REST
 * calls through libsoup, a poll of the container list every 500 ms for
 * states and exit codes, probe timers per container. Two things run in
 * threads: exec sessions (an upgraded raw connection, demultiplexed into
 * pipes) and port connections (a short-lived thread enters the pod's
 * network namespace, makes the socket there and exits). */
#define _GNU_SOURCE
#include "ks-node-agent.h"
#include "ks-podman-rest.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define POLL_MS 500

typedef struct _PodmanAgent PodmanAgent;
typedef struct _PodRec      PodRec;

typedef enum
{
  CS_WAITING,
  CS_RUNNING,
  CS_TERMINATED,
} CState;

typedef struct
{
  char    *reason;
  gint     exit_code;
  char    *started_at, *finished_at, *id;
  gboolean set;
} Termination;

typedef struct
{
  PodRec     *rec; /* back pointer, not a reference */
  char       *name;
  JsonObject *spec; /* borrowed from rec->pod */
  char       *id;   /* the current podman container */
  char       *prev_id;
  char       *image_id;
  gboolean    tty;
  gboolean    init; /* one of spec.initContainers */
  gint        restarts;
  CState      state;
  char       *reason, *message; /* waiting */
  char       *started_at;
  Termination term, last;
  gboolean    ready;
  gboolean    busy; /* a pull/create/start chain is in flight */
  gboolean    restart_pending;
  gboolean    done; /* terminated for good */
  guint       backoff_source;
  guint       pull_failures;
  guint       generation;   /* bumps on every (re)start: stale probe results are dropped */
  guint       started_poll; /* the last poll issued when it started */
  guint       ready_source, live_source;
  gint        ready_ok, ready_fail, live_fail;
} CtrRec;

typedef struct
{
  gboolean value;
  char    *since;
} Cond;

enum
{
  COND_SANDBOX,
  COND_INIT,
  COND_READY,
  COND_CREADY,
  COND_SCHED,
  N_CONDS
};

struct _PodRec
{
  gint         ref;
  PodmanAgent *agent;
  char        *uid, *ns, *name;
  char        *pod_name; /* podman's */
  JsonObject  *pod;      /* as scheduled */
  GPtrArray   *ctrs;     /* the init containers (in order), then the others */
  guint        n_init;   /* how many init containers lead ctrs */
  char        *infra_id, *ip, *host_ip;
  gint         infra_pid;
  char        *start_time;
  gboolean     created; /* the podman pod exists */
  gboolean     sandbox_ready;
  gboolean     terminating, tearing, gone;
  gint64       grace;
  guint        inflight;
  guint        retry_source;
  char        *last_status;
  char        *voldir;
  char        *hosts_path; /* the /etc/hosts of its containers */
  GHashTable  *volumes;    /* name -> host path */
  GHashTable  *ro_volumes;
  Cond         conds[N_CONDS];
};

struct _PodmanAgent
{
  KsNodeAgent  parent;
  KsPodman    *pm;
  GHashTable  *pods; /* uid -> PodRec */
  guint        poll_source;
  gboolean     polling;
  guint        poll_seq;   /* of the last poll issued */
  SoupSession *http;       /* probes */
  GHashTable  *node_ports; /* nodePort -> NodePort */
  /* ClusterIPs (ks-podman-agent.c, "Services' ClusterIPs") */
  char         *gateway;       /* the podman bridge's address: proxies listen there */
  char         *nft_table;     /* "hero_virt_kube_sim_PID"; NULL without nft */
  GHashTable   *cluster_ports; /* "ns/name/ip:port" -> ClusterPort */
  GSubprocess  *nft_proc;      /* the rule update in flight */
  GCancellable *nft_cancel;
  gboolean      nft_dirty;
  guint         nft_idle;
};

static void update_status (PodRec *rec);
static void decide_restart (CtrRec *c);
void        setup_sandbox (PodRec *rec);
static void start_container (CtrRec *c);
static void maybe_teardown (PodRec *rec);
static void arm_probes (CtrRec *c);
static void stop_probes (CtrRec *c);
static void start_next (PodRec *rec);
static void write_hosts (PodRec *rec);
static void cluster_ips_sync (PodmanAgent *agent);

/* ---- records ---- */

static PodRec *
rec_ref (PodRec *rec)
{
  rec->ref++;
  return rec;
}

static void
term_clear (Termination *t)
{
  g_clear_pointer (&t->reason, g_free);
  g_clear_pointer (&t->started_at, g_free);
  g_clear_pointer (&t->finished_at, g_free);
  g_clear_pointer (&t->id, g_free);
  t->set = FALSE;
}

static void
ctr_free (CtrRec *c)
{
  stop_probes (c);
  if (c->backoff_source)
    g_source_remove (c->backoff_source);
  g_free (c->name);
  g_free (c->id);
  g_free (c->prev_id);
  g_free (c->image_id);
  g_free (c->reason);
  g_free (c->message);
  g_free (c->started_at);
  term_clear (&c->term);
  term_clear (&c->last);
  g_free (c);
}

static void
rec_unref (PodRec *rec)
{
  if (--rec->ref > 0)
    return;
  if (rec->retry_source)
    g_source_remove (rec->retry_source);
  g_ptr_array_unref (rec->ctrs);
  g_free (rec->uid);
  g_free (rec->ns);
  g_free (rec->name);
  g_free (rec->pod_name);
  json_object_unref (rec->pod);
  g_free (rec->infra_id);
  g_free (rec->ip);
  g_free (rec->host_ip);
  g_free (rec->start_time);
  g_free (rec->last_status);
  g_free (rec->voldir);
  g_free (rec->hosts_path);
  g_hash_table_unref (rec->volumes);
  g_hash_table_unref (rec->ro_volumes);
  for (guint i = 0; i < N_CONDS; i++)
    g_free (rec->conds[i].since);
  g_free (rec);
}

static KsResource *
core (PodRec *rec, const char *plural)
{
  return ks_resource_find (rec->agent->parent.sim, "", "v1", plural);
}

static void event (PodRec *rec, const char *type, const char *reason, const char *fmt, ...)
    G_GNUC_PRINTF (4, 5);

static void
event (PodRec *rec, const char *type, const char *reason, const char *fmt, ...)
{
  KsResource      *pods = core (rec, "pods");
  JsonObject      *pod = ks_store_get (pods, rec->ns, rec->name);
  g_autofree char *message = NULL;
  va_list          args;

  if (pod == NULL || g_strcmp0 (ks_meta_uid (pod), rec->uid) != 0)
    return;
  va_start (args, fmt);
  message = g_strdup_vprintf (fmt, args);
  va_end (args);
  json_object_ref (pod);
  ks_event_record (rec->agent->parent.sim, pods, pod, type, reason, "kubelet", message);
  json_object_unref (pod);
}

static void
set_waiting (CtrRec *c, const char *reason, const char *message)
{
  char *r = g_strdup (reason);
  char *m = g_strdup (message); /* may be c->message itself */

  c->state = CS_WAITING;
  g_free (c->reason);
  c->reason = r;
  g_free (c->message);
  c->message = m;
}

static char *
unix_to_rfc3339 (gint64 t)
{
  g_autoptr (GDateTime) dt = NULL;

  if (t <= 0)
    return ks_now_rfc3339 ();
  dt = g_date_time_new_from_unix_utc (t);
  return dt ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : ks_now_rfc3339 ();
}

static JsonNode *
node_take_object (JsonObject *obj)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, obj);
  return node;
}

static char *
escape (const char *s)
{
  return g_uri_escape_string (s, NULL, FALSE);
}

/* ---- status ---- */

static void
set_cond (PodRec *rec, guint which, gboolean value)
{
  Cond *c = &rec->conds[which];

  if (c->since == NULL || c->value != value)
    {
      g_free (c->since);
      c->since = ks_now_rfc3339 ();
      c->value = value;
    }
}

static JsonObject *
cond_json (PodRec *rec, guint which, const char *type, const char *reason, const char *message)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "type", type);
  json_object_set_string_member (o, "status", rec->conds[which].value ? "True" : "False");
  json_object_set_null_member (o, "lastProbeTime");
  json_object_set_string_member (o, "lastTransitionTime", rec->conds[which].since);
  if (reason != NULL && !rec->conds[which].value)
    json_object_set_string_member (o, "reason", reason);
  if (message != NULL && !rec->conds[which].value)
    json_object_set_string_member (o, "message", message);
  return o;
}

static JsonObject *
term_json (Termination *t)
{
  JsonObject *o = json_object_new ();

  json_object_set_int_member (o, "exitCode", t->exit_code);
  json_object_set_string_member (o, "reason", t->reason ? t->reason : "Error");
  if (t->started_at)
    json_object_set_string_member (o, "startedAt", t->started_at);
  if (t->finished_at)
    json_object_set_string_member (o, "finishedAt", t->finished_at);
  if (t->id)
    {
      g_autofree char *cid = g_strconcat ("podman://", t->id, NULL);
      json_object_set_string_member (o, "containerID", cid);
    }
  return o;
}

static const char *
qos_class (PodRec *rec)
{
  gboolean any = FALSE, guaranteed = TRUE;

  for (guint i = 0; i < rec->ctrs->len; i++)
    {
      CtrRec     *c = g_ptr_array_index (rec->ctrs, i);
      JsonObject *res = ks_json_get_object (c->spec, "resources");
      JsonObject *lim = ks_json_get_object (res, "limits");
      JsonObject *req = ks_json_get_object (res, "requests");
      if ((lim && json_object_get_size (lim)) || (req && json_object_get_size (req)))
        any = TRUE;
      if (lim == NULL || !json_object_has_member (lim, "cpu")
          || !json_object_has_member (lim, "memory"))
        guaranteed = FALSE;
      else if (req != NULL)
        for (const char *k = "cpu"; k != NULL; k = g_strcmp0 (k, "cpu") == 0 ? "memory" : NULL)
          if (ks_json_get_string (req, k)
              && g_strcmp0 (ks_json_get_string (req, k), ks_json_get_string (lim, k)) != 0)
            guaranteed = FALSE;
    }
  return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
}

/* Init containers: all completed, and whether one failed for good. */
static gboolean
inits_done (PodRec *rec, gboolean *failed)
{
  gboolean done = TRUE;

  if (failed)
    *failed = FALSE;
  for (guint i = 0; i < rec->n_init; i++)
    {
      CtrRec *c = g_ptr_array_index (rec->ctrs, i);
      if (!c->done || c->term.exit_code != 0)
        done = FALSE;
      if (c->done && c->term.exit_code != 0 && failed)
        *failed = TRUE;
    }
  return done;
}

static JsonObject *
ctr_status_json (CtrRec *c)
{
  JsonObject *cs = json_object_new ();
  JsonObject *state = json_object_new ();
  JsonObject *inner = json_object_new ();
  const char *image = ks_json_get_string (c->spec, "image");

  json_object_set_string_member (cs, "name", c->name);
  switch (c->state)
    {
    case CS_WAITING:
      json_object_set_string_member (inner, "reason", c->reason ? c->reason : "ContainerCreating");
      if (c->message)
        json_object_set_string_member (inner, "message", c->message);
      json_object_set_object_member (state, "waiting", inner);
      break;
    case CS_RUNNING:
      json_object_set_string_member (inner, "startedAt", c->started_at);
      json_object_set_object_member (state, "running", inner);
      break;
    case CS_TERMINATED:
      json_object_unref (inner);
      json_object_set_object_member (state, "terminated", term_json (&c->term));
      break;
    }
  json_object_set_object_member (cs, "state", state);
  if (c->last.set)
    {
      JsonObject *last = json_object_new ();
      json_object_set_object_member (last, "terminated", term_json (&c->last));
      json_object_set_object_member (cs, "lastState", last);
    }
  else
    json_object_set_object_member (cs, "lastState", json_object_new ());
  json_object_set_boolean_member (cs, "ready", c->ready);
  json_object_set_int_member (cs, "restartCount", c->restarts);
  json_object_set_string_member (cs, "image", image ? image : "");
  json_object_set_string_member (cs, "imageID", c->image_id ? c->image_id : "");
  if (c->id != NULL && c->state != CS_WAITING)
    {
      g_autofree char *cid = g_strconcat ("podman://", c->id, NULL);
      json_object_set_string_member (cs, "containerID", cid);
    }
  json_object_set_boolean_member (cs, "started", c->state == CS_RUNNING);
  return cs;
}

static JsonObject *
build_status (PodRec *rec)
{
  JsonObject *status = json_object_new ();
  JsonArray  *conds = json_array_new ();
  JsonArray  *statuses = json_array_new ();
  JsonArray  *init_statuses = json_array_new ();
  gboolean    all_ready = TRUE, all_done = TRUE, all_ok = TRUE, pending = FALSE;
  gboolean    init_failed = FALSE, initialized = inits_done (rec, &init_failed);
  g_autoptr (GString) incomplete = g_string_new (NULL);
  g_autofree char *init_message = NULL;
  const char      *phase;

  for (guint i = 0; i < rec->ctrs->len; i++)
    {
      CtrRec *c = g_ptr_array_index (rec->ctrs, i);
      if (c->init)
        {
          if (!c->done || c->term.exit_code != 0)
            g_string_append_printf (incomplete, "%s%s", incomplete->len ? " " : "", c->name);
          json_array_add_object_element (init_statuses, ctr_status_json (c));
          continue;
        }
      if (!c->ready)
        all_ready = FALSE;
      if (!c->done)
        all_done = FALSE;
      else if (c->term.exit_code != 0)
        all_ok = FALSE;
      if (c->id == NULL && c->restarts == 0 && c->state == CS_WAITING)
        pending = TRUE;
      json_array_add_object_element (statuses, ctr_status_json (c));
    }
  if (init_failed)
    phase = "Failed"; /* restartPolicy Never: it is not retried */
  else if (!initialized)
    phase = "Pending";
  else if (rec->ctrs->len > rec->n_init && all_done)
    phase = all_ok ? "Succeeded" : "Failed";
  else if (pending)
    phase = "Pending";
  else
    phase = "Running";
  if (!initialized)
    init_message = g_strdup_printf ("containers with incomplete status: [%s]", incomplete->str);
  set_cond (rec, COND_SCHED, TRUE);
  set_cond (rec, COND_SANDBOX, rec->sandbox_ready);
  set_cond (rec, COND_INIT, initialized);
  set_cond (rec, COND_CREADY, all_ready && initialized);
  set_cond (rec, COND_READY, all_ready && initialized);
  json_object_set_string_member (status, "phase", phase);
  json_array_add_object_element (
      conds, cond_json (rec, COND_SANDBOX, "PodReadyToStartContainers", NULL, NULL));
  json_array_add_object_element (
      conds, cond_json (rec, COND_INIT, "Initialized", "ContainersNotInitialized", init_message));
  json_array_add_object_element (
      conds,
      cond_json (rec, COND_READY, "Ready", all_done ? "PodCompleted" : "ContainersNotReady", NULL));
  json_array_add_object_element (conds, cond_json (rec, COND_CREADY, "ContainersReady",
                                                   all_done ? "PodCompleted" : "ContainersNotReady",
                                                   NULL));
  json_array_add_object_element (conds, cond_json (rec, COND_SCHED, "PodScheduled", NULL, NULL));
  json_object_set_array_member (status, "conditions", conds);
  if (rec->host_ip)
    {
      JsonArray  *hips = json_array_new ();
      JsonObject *h = json_object_new ();
      json_object_set_string_member (status, "hostIP", rec->host_ip);
      json_object_set_string_member (h, "ip", rec->host_ip);
      json_array_add_object_element (hips, h);
      json_object_set_array_member (status, "hostIPs", hips);
    }
  if (rec->ip)
    {
      JsonArray  *ips = json_array_new ();
      JsonObject *o = json_object_new ();
      json_object_set_string_member (status, "podIP", rec->ip);
      json_object_set_string_member (o, "ip", rec->ip);
      json_array_add_object_element (ips, o);
      json_object_set_array_member (status, "podIPs", ips);
    }
  json_object_set_string_member (status, "startTime", rec->start_time);
  if (rec->n_init > 0)
    json_object_set_array_member (status, "initContainerStatuses", init_statuses);
  else
    json_array_unref (init_statuses);
  json_object_set_array_member (status, "containerStatuses", statuses);
  json_object_set_string_member (status, "qosClass", qos_class (rec));
  return status;
}

static void
update_status (PodRec *rec)
{
  g_autoptr (JsonObject) status = NULL;
  g_autofree char *text = NULL;
  GString         *out;

  if (rec->gone)
    return;
  status = build_status (rec);
  out = g_string_new (NULL);
  ks_json_write_object (out, status, NULL);
  text = g_string_free (out, FALSE);
  if (g_strcmp0 (text, rec->last_status) == 0)
    return;
  g_free (rec->last_status);
  rec->last_status = g_steal_pointer (&text);
  ks_pod_set_status (rec->agent->parent.sim, rec->ns, rec->name, rec->uid, status);
}

/* ---- volumes and environment ---- */

static JsonObject *
lookup (PodRec *rec, const char *plural, const char *name)
{
  return name ? ks_store_get (core (rec, plural), rec->ns, name) : NULL;
}

/* The value of key in a ConfigMap (data or binaryData) or a Secret (data,
 * base64); NULL when missing. */
static GBytes *
object_value (JsonObject *obj, gboolean secret, const char *key)
{
  JsonObject *data = ks_json_get_object (obj, "data");
  const char *v = ks_json_get_string (data, key);

  if (!secret && v != NULL)
    return g_bytes_new (v, strlen (v));
  if (v == NULL && !secret)
    v = ks_json_get_string (ks_json_get_object (obj, "binaryData"), key);
  else if (v == NULL && secret)
    {
      const char *s = ks_json_get_string (ks_json_get_object (obj, "stringData"), key);
      if (s != NULL)
        return g_bytes_new (s, strlen (s));
    }
  if (v == NULL)
    return NULL;
  {
    gsize   len = 0;
    guchar *raw = g_base64_decode (v, &len);
    return g_bytes_new_take (raw, len);
  }
}

static gboolean
write_file (const char *dir, const char *rel, GBytes *value, gint mode, GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *parent = NULL;
  gsize            len = 0;
  const char      *data = g_bytes_get_data (value, &len);

  if (rel == NULL || *rel == '\0' || rel[0] == '/' || strstr (rel, "..") != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME, "bad item path \"%s\"",
                   rel ? rel : "");
      return FALSE;
    }
  path = g_build_filename (dir, rel, NULL);
  parent = g_path_get_dirname (path);
  g_mkdir_with_parents (parent, 0755);
  if (!g_file_set_contents_full (path, data ? data : "", len, G_FILE_SET_CONTENTS_NONE,
                                 mode > 0 ? mode : 0644, error))
    return FALSE;
  g_chmod (path, mode > 0 ? mode : 0644);
  return TRUE;
}

/* A configMap or secret volume source (or projection): files from keys. */
static gboolean
fill_from_object (PodRec     *rec,
                  const char *dir,
                  JsonObject *src,
                  gboolean    secret,
                  gint        default_mode,
                  GError    **error)
{
  const char *name = ks_json_get_string (src, secret ? "secretName" : "name");
  JsonObject *obj;
  JsonArray  *items = ks_json_get_array (src, "items");
  gint        mode = ks_json_get_int (src, "defaultMode", default_mode);

  if (secret && name == NULL)
    name = ks_json_get_string (src, "name");
  obj = lookup (rec, secret ? "secrets" : "configmaps", name);
  if (obj == NULL)
    {
      if (ks_json_get_bool (src, "optional", FALSE))
        return TRUE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s \"%s\" not found",
                   secret ? "secret" : "configmap", name ? name : "");
      return FALSE;
    }
  if (items != NULL)
    {
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);
          const char *key = ks_json_get_string (item, "key");
          g_autoptr (GBytes) value = object_value (obj, secret, key);
          if (value == NULL)
            {
              if (ks_json_get_bool (src, "optional", FALSE))
                continue;
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "key \"%s\" not found in %s \"%s\"", key ? key : "",
                           secret ? "secret" : "configmap", name);
              return FALSE;
            }
          if (!write_file (dir, ks_json_get_string (item, "path"), value,
                           ks_json_get_int (item, "mode", mode), error))
            return FALSE;
        }
      return TRUE;
    }
  for (const char *const *member
       = (const char *const[]){ "data", "binaryData", "stringData", NULL };
       *member != NULL; member++)
    {
      JsonObject *data = ks_json_get_object (obj, *member);
      g_autoptr (GList) keys = data ? json_object_get_members (data) : NULL;
      if (secret && strcmp (*member, "binaryData") == 0)
        continue;
      if (!secret && strcmp (*member, "stringData") == 0)
        continue;
      for (GList *l = keys; l != NULL; l = l->next)
        {
          g_autoptr (GBytes) value = object_value (obj, secret, l->data);
          if (value != NULL && !write_file (dir, l->data, value, mode, error))
            return FALSE;
        }
    }
  return TRUE;
}

static char *field_value (PodRec *rec, const char *path);

static gboolean
prepare_volumes (PodRec *rec, GError **error)
{
  JsonArray *volumes = ks_json_get_array (ks_json_get_object (rec->pod, "spec"), "volumes");

  g_hash_table_remove_all (rec->volumes);
  g_hash_table_remove_all (rec->ro_volumes);
  for (guint i = 0; volumes != NULL && i < json_array_get_length (volumes); i++)
    {
      JsonObject      *v = json_array_get_object_element (volumes, i);
      const char      *name = ks_json_get_string (v, "name");
      g_autofree char *dir = NULL;
      JsonObject      *src;
      if (name == NULL || strchr (name, '/') || strcmp (name, "..") == 0)
        continue;
      dir = g_build_filename (rec->voldir, name, NULL);
      if ((src = ks_json_get_object (v, "hostPath")) != NULL)
        {
          const char *path = ks_json_get_string (src, "path");
          const char *type = ks_json_get_string (src, "type");
          if (path == NULL || path[0] != '/')
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "hostPath %s: an absolute path is needed", name);
              return FALSE;
            }
          if (g_strcmp0 (type, "DirectoryOrCreate") == 0)
            g_mkdir_with_parents (path, 0755);
          else if (g_strcmp0 (type, "FileOrCreate") == 0 && !g_file_test (path, G_FILE_TEST_EXISTS))
            g_file_set_contents (path, "", 0, NULL);
          else if ((g_strcmp0 (type, "Directory") == 0 && !g_file_test (path, G_FILE_TEST_IS_DIR))
                   || (g_strcmp0 (type, "File") == 0
                       && !g_file_test (path, G_FILE_TEST_IS_REGULAR)))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "hostPath type check failed: %s is not a %s", path, type);
              return FALSE;
            }
          g_hash_table_insert (rec->volumes, g_strdup (name), g_strdup (path));
          continue;
        }
      if ((src = ks_json_get_object (v, "persistentVolumeClaim")) != NULL)
        {
          const char      *claim = ks_json_get_string (src, "claimName");
          g_autofree char *pvc = NULL;
          if (claim == NULL || strchr (claim, '/'))
            continue;
          pvc = g_build_filename (rec->agent->pm->root, "pvc", rec->ns, claim, NULL);
          g_mkdir_with_parents (pvc, 0755);
          g_hash_table_insert (rec->volumes, g_strdup (name), g_steal_pointer (&pvc));
          continue;
        }
      g_mkdir_with_parents (dir, 0755);
      if ((src = ks_json_get_object (v, "configMap")) != NULL
          || (src = ks_json_get_object (v, "secret")) != NULL)
        {
          gboolean secret = ks_json_get_object (v, "secret") != NULL;
          if (!fill_from_object (rec, dir, src, secret, 0644, error))
            return FALSE;
          g_hash_table_add (rec->ro_volumes, g_strdup (name));
        }
      else if ((src = ks_json_get_object (v, "projected")) != NULL)
        {
          JsonArray *sources = ks_json_get_array (src, "sources");
          gint       mode = ks_json_get_int (src, "defaultMode", 0644);
          for (guint j = 0; sources != NULL && j < json_array_get_length (sources); j++)
            {
              JsonObject *s = json_array_get_object_element (sources, j);
              JsonObject *o;
              if ((o = ks_json_get_object (s, "configMap")) != NULL
                  && !fill_from_object (rec, dir, o, FALSE, mode, error))
                return FALSE;
              if ((o = ks_json_get_object (s, "secret")) != NULL
                  && !fill_from_object (rec, dir, o, TRUE, mode, error))
                return FALSE;
              if ((o = ks_json_get_object (s, "serviceAccountToken")) != NULL)
                {
                  g_autoptr (GBytes) token = g_bytes_new_static ("kube-sim-token", 14);
                  if (!write_file (dir, ks_json_get_string (o, "path"), token, mode, error))
                    return FALSE;
                }
            }
          g_hash_table_add (rec->ro_volumes, g_strdup (name));
        }
      else if ((src = ks_json_get_object (v, "downwardAPI")) != NULL)
        {
          JsonArray *items = ks_json_get_array (src, "items");
          for (guint j = 0; items != NULL && j < json_array_get_length (items); j++)
            {
              JsonObject      *item = json_array_get_object_element (items, j);
              g_autofree char *value = field_value (
                  rec, ks_json_get_string (ks_json_get_object (item, "fieldRef"), "fieldPath"));
              g_autoptr (GBytes) bytes
                  = g_bytes_new (value ? value : "", value ? strlen (value) : 0);
              if (!write_file (dir, ks_json_get_string (item, "path"), bytes, 0644, error))
                return FALSE;
            }
          g_hash_table_add (rec->ro_volumes, g_strdup (name));
        }
      /* emptyDir (and anything else) is a fresh directory for the pod. */
      g_hash_table_insert (rec->volumes, g_strdup (name), g_steal_pointer (&dir));
    }
  return TRUE;
}

static char *
field_value (PodRec *rec, const char *path)
{
  JsonObject *meta = ks_meta (rec->pod);

  if (path == NULL)
    return NULL;
  if (strcmp (path, "metadata.name") == 0)
    return g_strdup (rec->name);
  if (strcmp (path, "metadata.namespace") == 0)
    return g_strdup (rec->ns);
  if (strcmp (path, "metadata.uid") == 0)
    return g_strdup (rec->uid);
  if (strcmp (path, "spec.nodeName") == 0)
    return g_strdup (rec->agent->parent.node_name);
  if (strcmp (path, "spec.serviceAccountName") == 0)
    return g_strdup (
        ks_json_get_string (ks_json_get_object (rec->pod, "spec"), "serviceAccountName"));
  if (strcmp (path, "status.podIP") == 0)
    return g_strdup (rec->ip);
  if (strcmp (path, "status.hostIP") == 0)
    return g_strdup (rec->host_ip);
  if (g_str_has_prefix (path, "metadata.labels['")
      || g_str_has_prefix (path, "metadata.annotations['"))
    {
      gboolean         labels = g_str_has_prefix (path, "metadata.labels");
      const char      *start = strchr (path, '\'') + 1;
      const char      *end = strrchr (path, '\'');
      g_autofree char *key = end > start ? g_strndup (start, end - start) : NULL;
      return key ? g_strdup (ks_json_get_string (
                 ks_json_get_object (meta, labels ? "labels" : "annotations"), key))
                 : NULL;
    }
  return NULL;
}

/* $(VAR) from the variables defined so far; $$ escapes. */
static char *
expand (const char *text, JsonObject *env)
{
  GString *out = g_string_new (NULL);

  if (text == NULL)
    return g_string_free (out, FALSE);
  for (const char *p = text; *p;)
    {
      if (p[0] == '$' && p[1] == '$')
        {
          g_string_append_c (out, '$');
          p += 2;
          continue;
        }
      if (p[0] == '$' && p[1] == '(')
        {
          const char *end = strchr (p + 2, ')');
          if (end != NULL)
            {
              g_autofree char *name = g_strndup (p + 2, end - p - 2);
              const char      *value = ks_json_get_string (env, name);
              if (value != NULL)
                g_string_append (out, value);
              else
                g_string_append_len (out, p, end - p + 1);
              p = end + 1;
              continue;
            }
        }
      g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

static JsonObject *
resolve_env (CtrRec *c, GError **error)
{
  PodRec     *rec = c->rec;
  JsonObject *env = json_object_new ();
  JsonArray  *from = ks_json_get_array (c->spec, "envFrom");
  JsonArray  *list = ks_json_get_array (c->spec, "env");

  for (guint i = 0; from != NULL && i < json_array_get_length (from); i++)
    {
      JsonObject *f = json_array_get_object_element (from, i);
      const char *prefix = ks_json_get_string (f, "prefix");
      JsonObject *ref = ks_json_get_object (f, "configMapRef");
      gboolean    secret = FALSE;
      JsonObject *obj;
      if (ref == NULL && (ref = ks_json_get_object (f, "secretRef")) != NULL)
        secret = TRUE;
      if (ref == NULL)
        continue;
      obj = lookup (rec, secret ? "secrets" : "configmaps", ks_json_get_string (ref, "name"));
      if (obj == NULL)
        {
          if (ks_json_get_bool (ref, "optional", FALSE))
            continue;
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s \"%s\" not found",
                       secret ? "secret" : "configmap", ks_json_get_string (ref, "name"));
          json_object_unref (env);
          return NULL;
        }
      {
        JsonObject *data = ks_json_get_object (obj, "data");
        g_autoptr (GList) keys = data ? json_object_get_members (data) : NULL;
        for (GList *l = keys; l != NULL; l = l->next)
          {
            g_autoptr (GBytes) value = object_value (obj, secret, l->data);
            g_autofree char *key = g_strconcat (prefix ? prefix : "", l->data, NULL);
            gsize            len = 0;
            const char      *bytes = value ? g_bytes_get_data (value, &len) : "";
            g_autofree char *text = g_strndup (bytes ? bytes : "", len);
            json_object_set_string_member (env, key, text);
          }
      }
    }
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonObject      *e = json_array_get_object_element (list, i);
      const char      *name = ks_json_get_string (e, "name");
      JsonObject      *vf = ks_json_get_object (e, "valueFrom");
      g_autofree char *value = NULL;
      if (name == NULL)
        continue;
      if (vf == NULL)
        value
            = expand (ks_json_get_string (e, "value") ? ks_json_get_string (e, "value") : "", env);
      else
        {
          JsonObject *ref;
          gboolean    secret = FALSE;
          if ((ref = ks_json_get_object (vf, "fieldRef")) != NULL)
            value = field_value (rec, ks_json_get_string (ref, "fieldPath"));
          else if ((ref = ks_json_get_object (vf, "configMapKeyRef")) != NULL
                   || (secret = TRUE, ref = ks_json_get_object (vf, "secretKeyRef")) != NULL)
            {
              JsonObject *obj = lookup (rec, secret ? "secrets" : "configmaps",
                                        ks_json_get_string (ref, "name"));
              g_autoptr (GBytes) bytes
                  = obj ? object_value (obj, secret, ks_json_get_string (ref, "key")) : NULL;
              if (bytes == NULL)
                {
                  if (ks_json_get_bool (ref, "optional", FALSE))
                    continue;
                  g_set_error (
                      error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                      obj ? "couldn't find key %s in %s %s/%s" : "%s %s \"%s/%s\" not found",
                      obj ? ks_json_get_string (ref, "key") : "", secret ? "Secret" : "ConfigMap",
                      rec->ns, ks_json_get_string (ref, "name"));
                  json_object_unref (env);
                  return NULL;
                }
              {
                gsize       len = 0;
                const char *data = g_bytes_get_data (bytes, &len);
                value = g_strndup (data ? data : "", len);
              }
            }
        }
      json_object_set_string_member (env, name, value ? value : "");
    }
  if (!json_object_has_member (env, "HOSTNAME"))
    {
      const char *hostname = ks_json_get_string (ks_json_get_object (rec->pod, "spec"), "hostname");
      json_object_set_string_member (env, "HOSTNAME", hostname ? hostname : rec->name);
    }
  return env;
}

/* ---- quantities ---- */

static gint64
parse_memory (const char *q)
{
  static const struct
  {
    const char *suffix;
    double      mult;
  } units[]
      = { { "Ki", 1024.0 }, { "Mi", 1048576.0 }, { "Gi", 1073741824.0 }, { "Ti", 1099511627776.0 },
          { "k", 1e3 },     { "M", 1e6 },        { "G", 1e9 },           { "T", 1e12 },
          { "m", 1e-3 } };
  char  *end = NULL;
  double v;

  if (q == NULL)
    return 0;
  v = g_ascii_strtod (q, &end);
  if (end == q || v <= 0)
    return 0;
  if (*end == '\0')
    return (gint64)v;
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (strcmp (end, units[i].suffix) == 0)
      return (gint64)(v * units[i].mult);
  return 0;
}

static gint64
parse_millicpu (const char *q)
{
  char  *end = NULL;
  double v;

  if (q == NULL)
    return 0;
  v = g_ascii_strtod (q, &end);
  if (end == q || v <= 0)
    return 0;
  if (*end == 'm')
    return (gint64)v;
  return (gint64)(v * 1000);
}

/* ---- image pulls and container starts ---- */

static gboolean
insecure_registry (const char *image)
{
  const char      *slash = strchr (image, '/');
  g_autofree char *host = slash ? g_strndup (image, slash - image) : NULL;
  char            *colon;

  if (host == NULL)
    return FALSE;
  colon = strrchr (host, ':');
  if (colon != NULL)
    *colon = '\0';
  return strcmp (host, "localhost") == 0 || g_hostname_is_ip_address (host);
}

static void
ctr_backoff_done (CtrRec *c)
{
  c->backoff_source = 0;
  if (c->rec->terminating)
    return;
  if (c->restart_pending)
    {
      c->restart_pending = FALSE;
      c->restarts++;
    }
  start_container (c);
}

static gboolean
backoff_fired (gpointer data)
{
  CtrRec *c = data;

  ctr_backoff_done (c);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (CtrRec *c, guint ms)
{
  if (c->backoff_source)
    g_source_remove (c->backoff_source);
  c->backoff_source = g_timeout_add (ms, backoff_fired, c);
}

static guint
backoff_ms (guint failures)
{
  return MIN (500u << MIN (failures, 6u), 30000u);
}

/* Ends a step of an asynchronous chain: FALSE when the chain must stop
 * (the pod is going away; teardown may now run). */
static gboolean
chain_continue (PodRec *rec)
{
  rec->inflight--;
  if (rec->terminating)
    {
      maybe_teardown (rec);
      return FALSE;
    }
  return TRUE;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PodRec, rec_unref)

/* Issues one step of a pod's asynchronous chain (image, container and
 * sandbox calls): the call holds a reference to the pod and counts as in
 * flight, so teardown waits for it. */
static void
step_call (PodRec             *rec,
           const char         *method,
           const char         *path,
           JsonNode           *body,
           GAsyncReadyCallback callback,
           gpointer            data)
{
  rec->inflight++;
  rec_ref (rec);
  ks_podman_call_async (rec->agent->pm, method, path, body, NULL, callback, data);
}

/* Ends a step: its reply (NULL on error or when empty) and error; FALSE
 * when the chain must stop. The caller drops the step's reference. */
static gboolean
step_finish (PodRec *rec, GAsyncResult *result, JsonNode **reply, GError **error)
{
  *reply = ks_podman_call_finish (rec->agent->pm, result, error);
  return chain_continue (rec);
}

static void
ctr_failed (CtrRec *c, const char *reason, const char *message, guint retry_ms)
{
  c->busy = FALSE;
  set_waiting (c, reason, message);
  update_status (c->rec);
  schedule_retry (c, retry_ms);
}

static void
container_started (GObject *source, GAsyncResult *result, gpointer data)
{
  CtrRec *c = data;
  g_autoptr (PodRec) rec = c->rec; /* the step's reference */
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = NULL;

  if (!step_finish (rec, result, &reply, &error))
    return;
  c->busy = FALSE;
  if (error != NULL)
    {
      /* As kubelet: a container that cannot start is terminated with 128. */
      term_clear (&c->term);
      c->term.set = TRUE;
      c->term.exit_code = 128;
      c->term.reason = g_strdup ("StartError");
      c->term.id = g_strdup (c->id);
      c->term.started_at = ks_now_rfc3339 ();
      c->term.finished_at = ks_now_rfc3339 ();
      c->state = CS_TERMINATED;
      event (rec, "Warning", "Failed", "Error: %s", error->message);
      decide_restart (c);
    }
  else
    {
      c->state = CS_RUNNING;
      c->started_poll = rec->agent->poll_seq;
      g_free (c->started_at);
      c->started_at = ks_now_rfc3339 ();
      event (rec, "Normal", "Started", "Started container %s", c->name);
      if (c->init)
        c->ready = FALSE; /* ready once it completed */
      else
        arm_probes (c);
    }
  update_status (rec);
}

static void
container_created (GObject *source, GAsyncResult *result, gpointer data)
{
  CtrRec *c = data;
  g_autoptr (PodRec) rec = c->rec;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = NULL;
  g_autofree char *path = NULL;
  JsonObject      *created;

  if (!step_finish (rec, result, &reply, &error))
    return;
  created = error ? NULL : ks_podman_reply_object (reply, "container create", &error);
  if (created == NULL || ks_json_get_string (created, "Id") == NULL)
    {
      const char *why = error ? error->message : "podman: container create: no Id";
      event (rec, "Warning", "Failed", "Error: %s", why);
      ctr_failed (c, "CreateContainerError", why, backoff_ms (c->restarts + 1));
      return;
    }
  if (c->id != NULL)
    {
      /* The instance before keeps its logs for --previous; older ones go. */
      if (c->prev_id != NULL)
        {
          g_autofree char *del
              = g_strdup_printf ("/libpod/containers/%s?force=true&t=0", c->prev_id);
          ks_podman_call_async (rec->agent->pm, "DELETE", del, NULL, NULL, NULL, NULL);
        }
      g_free (c->prev_id);
      c->prev_id = g_steal_pointer (&c->id);
    }
  c->id = g_strdup (ks_json_get_string (created, "Id"));
  c->generation++;
  event (rec, "Normal", "Created", "Created container %s", c->name);
  path = g_strdup_printf ("/libpod/containers/%s/start", c->id);
  step_call (rec, "POST", path, NULL, container_started, c);
}

static JsonObject *
container_spec (CtrRec *c, GError **error)
{
  PodRec     *rec = c->rec;
  JsonObject *spec = json_object_new ();
  JsonObject *labels = json_object_new ();
  JsonArray  *mounts = json_array_new ();
  JsonObject *env = resolve_env (c, error);
  JsonArray  *command = ks_json_get_array (c->spec, "command");
  JsonArray  *args = ks_json_get_array (c->spec, "args");
  JsonArray  *vms = ks_json_get_array (c->spec, "volumeMounts");
  JsonObject *sc = ks_json_get_object (c->spec, "securityContext");
  JsonObject *psc = ks_json_get_object (ks_json_get_object (rec->pod, "spec"), "securityContext");
  JsonObject *limits = ks_json_get_object (ks_json_get_object (c->spec, "resources"), "limits");
  JsonObject *requests = ks_json_get_object (ks_json_get_object (c->spec, "resources"), "requests");
  g_autofree char *name = g_strdup_printf ("k8s_%s_%s_%s_%.8s_%d", c->name, rec->name, rec->ns,
                                           rec->uid, c->restarts);
  gboolean         mounts_hosts = FALSE;

  if (env == NULL)
    {
      json_object_unref (spec);
      json_object_unref (labels);
      json_array_unref (mounts);
      return NULL;
    }
  json_object_set_string_member (spec, "name", name);
  json_object_set_string_member (spec, "pod", rec->pod_name);
  json_object_set_string_member (spec, "image", ks_json_get_string (c->spec, "image"));
  for (guint pass = 0; pass < 2; pass++)
    {
      JsonArray *list = pass == 0 ? command : args;
      JsonArray *out;
      if (list == NULL)
        continue;
      out = json_array_new ();
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonNode        *n = json_array_get_element (list, i);
          g_autofree char *text
              = JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
                    ? g_strdup (json_node_get_string (n))
                    : ks_json_to_string (n);
          g_autofree char *word = expand (text, env);
          json_array_add_string_element (out, word);
        }
      json_object_set_array_member (spec, pass == 0 ? "entrypoint" : "command", out);
    }
  json_object_set_object_member (spec, "env", env);
  if (ks_json_get_string (c->spec, "workingDir"))
    json_object_set_string_member (spec, "work_dir", ks_json_get_string (c->spec, "workingDir"));
  if (ks_json_get_bool (sc, "privileged", FALSE))
    json_object_set_boolean_member (spec, "privileged", TRUE);
  {
    gint64 uid = ks_json_get_int (sc, "runAsUser", ks_json_get_int (psc, "runAsUser", -1));
    gint64 gid = ks_json_get_int (sc, "runAsGroup", ks_json_get_int (psc, "runAsGroup", -1));
    if (uid >= 0)
      {
        g_autofree char *user
            = gid >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, uid, gid)
                       : g_strdup_printf ("%" G_GINT64_FORMAT, uid);
        json_object_set_string_member (spec, "user", user);
      }
  }
  {
    JsonArray *add = ks_json_get_array (ks_json_get_object (sc, "capabilities"), "add");
    if (add != NULL)
      json_object_set_array_member (spec, "cap_add", ks_json_array_deep_copy (add));
  }
  if (ks_json_get_bool (c->spec, "tty", FALSE))
    json_object_set_boolean_member (spec, "terminal", TRUE);
  if (ks_json_get_bool (c->spec, "stdin", FALSE))
    json_object_set_boolean_member (spec, "stdin", TRUE);
  for (guint i = 0; vms != NULL && i < json_array_get_length (vms); i++)
    {
      JsonObject      *vm = json_array_get_object_element (vms, i);
      const char      *vname = ks_json_get_string (vm, "name");
      const char      *dest = ks_json_get_string (vm, "mountPath");
      const char      *sub = ks_json_get_string (vm, "subPath");
      const char      *host = vname ? g_hash_table_lookup (rec->volumes, vname) : NULL;
      JsonObject      *m;
      JsonArray       *opts;
      g_autofree char *source = NULL;
      if (host == NULL || dest == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       "volume \"%s\" of volumeMount %s not found", vname ? vname : "",
                       dest ? dest : "");
          json_object_unref (spec);
          json_object_unref (labels);
          json_array_unref (mounts);
          return NULL;
        }
      if (sub != NULL && *sub != '\0' && sub[0] != '/' && strstr (sub, "..") == NULL)
        {
          source = g_build_filename (host, sub, NULL);
          if (!g_file_test (source, G_FILE_TEST_EXISTS))
            g_mkdir_with_parents (source, 0755);
        }
      else
        source = g_strdup (host);
      m = json_object_new ();
      opts = json_array_new ();
      if (strcmp (dest, "/etc/hosts") == 0)
        mounts_hosts = TRUE;
      json_object_set_string_member (m, "destination", dest);
      json_object_set_string_member (m, "source", source);
      json_object_set_string_member (m, "type", "bind");
      json_array_add_string_element (opts, "rbind");
      json_array_add_string_element (opts, ks_json_get_bool (vm, "readOnly", FALSE)
                                                   || g_hash_table_contains (rec->ro_volumes, vname)
                                               ? "ro"
                                               : "rw");
      json_object_set_array_member (m, "options", opts);
      json_array_add_object_element (mounts, m);
    }
  if (!mounts_hosts && rec->hosts_path != NULL
      && g_file_test (rec->hosts_path, G_FILE_TEST_IS_REGULAR))
    {
      /* As kubelet's etc-hosts: a file of the agent's, rewritten in place
       * when Services change. */
      JsonObject *m = json_object_new ();
      JsonArray  *opts = json_array_new ();
      json_object_set_string_member (m, "destination", "/etc/hosts");
      json_object_set_string_member (m, "source", rec->hosts_path);
      json_object_set_string_member (m, "type", "bind");
      json_array_add_string_element (opts, "bind");
      json_array_add_string_element (opts, "rw");
      json_object_set_array_member (m, "options", opts);
      json_array_add_object_element (mounts, m);
    }
  json_object_set_array_member (spec, "mounts", mounts);
  {
    JsonObject *res = json_object_new ();
    gint64      mem = parse_memory (ks_json_get_string (limits, "memory"));
    gint64      cpu = parse_millicpu (ks_json_get_string (limits, "cpu"));
    gint64      shares = parse_millicpu (ks_json_get_string (requests, "cpu"));
    if (mem > 0)
      {
        JsonObject *m = json_object_new ();
        json_object_set_int_member (m, "limit", mem);
        json_object_set_object_member (res, "memory", m);
      }
    if (cpu > 0 || shares > 0)
      {
        JsonObject *cp = json_object_new ();
        if (cpu > 0)
          {
            json_object_set_int_member (cp, "quota", MAX (cpu * 100, 1000));
            json_object_set_int_member (cp, "period", 100000);
          }
        if (shares > 0)
          json_object_set_int_member (cp, "shares", MAX (shares * 1024 / 1000, 2));
        json_object_set_object_member (res, "cpu", cp);
      }
    if (json_object_get_size (res) > 0)
      json_object_set_object_member (spec, "resource_limits", res);
    else
      json_object_unref (res);
  }
  json_object_set_string_member (labels, "io.kube-sim.uid", rec->uid);
  json_object_set_string_member (labels, "io.kube-sim.container", c->name);
  json_object_set_object_member (spec, "labels", labels);
  return spec;
}

static void
create_container (CtrRec *c)
{
  PodRec *rec = c->rec;
  g_autoptr (GError) error = NULL;
  JsonObject *spec = container_spec (c, &error);

  if (spec == NULL)
    {
      event (rec, "Warning", "Failed", "Error: %s", error->message);
      ctr_failed (c, "CreateContainerConfigError", error->message, 2000);
      return;
    }
  {
    g_autoptr (JsonNode) body = node_take_object (spec);
    step_call (rec, "POST", "/libpod/containers/create", body, container_created, c);
  }
}

/* The image's ID from an image inspect or a pull reply ("Id", "id" or
 * "images"[0]), so containerStatuses[].imageID is set from the start. */
static void
remember_image_id (CtrRec *c, JsonNode *reply)
{
  JsonObject *o = reply && JSON_NODE_HOLDS_OBJECT (reply) ? json_node_get_object (reply) : NULL;
  const char *id = NULL;

  if (o == NULL || c->image_id != NULL)
    return;
  id = ks_json_get_string (o, "Id");
  if (id == NULL)
    id = ks_json_get_string (o, "id");
  if (id == NULL)
    {
      JsonArray *images = ks_json_get_array (o, "images");

      if (images != NULL && json_array_get_length (images) > 0
          && JSON_NODE_HOLDS_VALUE (json_array_get_element (images, 0)))
        id = json_array_get_string_element (images, 0);
    }
  if (id != NULL && *id != '\0')
    c->image_id
        = g_str_has_prefix (id, "sha256:") ? g_strdup (id) : g_strconcat ("sha256:", id, NULL);
}

static void
image_pulled (GObject *source, GAsyncResult *result, gpointer data)
{
  CtrRec *c = data;
  g_autoptr (PodRec) rec = c->rec;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = NULL;
  const char *image = ks_json_get_string (c->spec, "image");

  if (!step_finish (rec, result, &reply, &error))
    return;
  if (error != NULL)
    {
      g_autofree char *message
          = g_strdup_printf ("Failed to pull image \"%s\": %s", image, error->message);
      event (rec, "Warning", "Failed", "%s", message);
      event (rec, "Warning", "Failed", "Error: ErrImagePull");
      c->pull_failures++;
      ctr_failed (c, "ErrImagePull", message, backoff_ms (c->pull_failures));
      return;
    }
  c->pull_failures = 0;
  remember_image_id (c, reply);
  event (rec, "Normal", "Pulled", "Successfully pulled image \"%s\"", image);
  create_container (c);
}

static void
pull (CtrRec *c)
{
  PodRec          *rec = c->rec;
  const char      *image = ks_json_get_string (c->spec, "image");
  g_autofree char *ref = escape (image);
  g_autofree char *path = g_strdup_printf ("/libpod/images/pull?reference=%s&quiet=true%s", ref,
                                           insecure_registry (image) ? "&tlsVerify=false" : "");

  if (c->pull_failures > 0)
    set_waiting (c, "ImagePullBackOff", c->message ? c->message : "Back-off pulling image");
  else
    set_waiting (c, rec->n_init > 0 ? "PodInitializing" : "ContainerCreating", NULL);
  update_status (rec);
  event (rec, "Normal", "Pulling", "Pulling image \"%s\"", image);
  step_call (rec, "POST", path, NULL, image_pulled, c);
}

static void
image_checked (GObject *source, GAsyncResult *result, gpointer data)
{
  CtrRec *c = data;
  g_autoptr (PodRec) rec = c->rec;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = NULL;
  const char *policy = ks_json_get_string (c->spec, "imagePullPolicy");

  if (!step_finish (rec, result, &reply, &error))
    return;
  if (error == NULL)
    {
      remember_image_id (c, reply);
      if (c->restarts == 0)
        event (rec, "Normal", "Pulled", "Container image \"%s\" already present on machine",
               ks_json_get_string (c->spec, "image"));
      create_container (c);
    }
  else if (g_strcmp0 (policy, "Never") == 0)
    {
      g_autofree char *message
          = g_strdup_printf ("Container image \"%s\" is not present with pull policy of Never",
                             ks_json_get_string (c->spec, "image"));
      event (rec, "Warning", "ErrImageNeverPull", "%s", message);
      ctr_failed (c, "ErrImageNeverPull", message, 5000);
    }
  else
    pull (c);
}

static void
start_container (CtrRec *c)
{
  PodRec          *rec = c->rec;
  const char      *image = ks_json_get_string (c->spec, "image");
  const char      *policy = ks_json_get_string (c->spec, "imagePullPolicy");
  g_autofree char *ref = NULL;
  g_autofree char *path = NULL;

  if (c->busy || rec->terminating || !rec->sandbox_ready || (!c->init && !inits_done (rec, NULL)))
    return;
  c->busy = TRUE;
  if (image == NULL)
    {
      ctr_failed (c, "InvalidImageName", "no image", 30000);
      return;
    }
  if (g_strcmp0 (policy, "Always") == 0 && c->restarts == 0)
    {
      pull (c);
      return;
    }
  ref = escape (image);
  path
      = g_strdup_printf ("/libpod/images/%s/json", ref); /* inspect: 404 when absent, else its Id */
  step_call (rec, "GET", path, NULL, image_checked, c);
}

/* ---- the sandbox: podman pod, infra container, pod IP ---- */

static gboolean
sandbox_retry (gpointer data)
{
  PodRec *rec = data;

  rec->retry_source = 0;
  if (!rec->terminating)
    setup_sandbox (rec);
  return G_SOURCE_REMOVE;
}

static void
sandbox_failed (PodRec *rec, const char *reason, const char *message)
{
  event (rec, "Warning", "FailedCreatePodSandBox", "%s", message);
  for (guint i = 0; i < rec->ctrs->len; i++)
    set_waiting (g_ptr_array_index (rec->ctrs, i), reason, message);
  update_status (rec);
  if (rec->retry_source == 0)
    rec->retry_source = g_timeout_add (3000, sandbox_retry, rec);
}

static void
infra_inspected (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (PodRec) rec = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = NULL;
  JsonObject *infra, *net, *state;

  if (!step_finish (rec, result, &reply, &error))
    return;
  infra = error ? NULL : ks_podman_reply_object (reply, "infra container inspect", &error);
  if (infra == NULL)
    {
      sandbox_failed (rec, "ContainerCreating", error->message);
      return;
    }
  net = ks_json_get_object (infra, "NetworkSettings");
  state = ks_json_get_object (infra, "State");
  g_free (rec->ip);
  rec->ip = g_strdup (ks_json_get_string (net, "IPAddress"));
  g_free (rec->host_ip);
  rec->host_ip = g_strdup (ks_json_get_string (net, "Gateway"));
  if (rec->host_ip == NULL || *rec->host_ip == '\0')
    {
      g_free (rec->host_ip);
      rec->host_ip = g_strdup ("127.0.0.1");
    }
  rec->infra_pid = (gint)ks_json_get_int (state, "Pid", 0);
  rec->sandbox_ready = TRUE;
  write_hosts (rec);
  cluster_ips_sync (rec->agent);
  update_status (rec);
  start_next (rec);
}

/* What runs next: the first init container that has not completed (one at
 * a time, in order), or once they all have, every other container. */
static void
start_next (PodRec *rec)
{
  for (guint i = 0; i < rec->n_init; i++)
    {
      CtrRec *c = g_ptr_array_index (rec->ctrs, i);
      if (c->done && c->term.exit_code == 0)
        continue;
      /* Running, restarting after a back-off, or failed for good. */
      if (!c->done && c->state == CS_WAITING && !c->busy && c->backoff_source == 0)
        start_container (c);
      return;
    }
  for (guint i = rec->n_init; i < rec->ctrs->len; i++)
    start_container (g_ptr_array_index (rec->ctrs, i));
}

static void
pod_inspected (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (PodRec) rec = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = NULL;
  g_autofree char *path = NULL;
  JsonObject      *pod;

  if (!step_finish (rec, result, &reply, &error))
    return;
  pod = error ? NULL : ks_podman_reply_object (reply, "pod inspect", &error);
  if (pod == NULL)
    {
      sandbox_failed (rec, "ContainerCreating", error->message);
      return;
    }
  g_free (rec->infra_id);
  rec->infra_id = g_strdup (ks_json_get_string (pod, "InfraContainerID"));
  path = g_strdup_printf ("/libpod/containers/%s/json", rec->infra_id);
  step_call (rec, "GET", path, NULL, infra_inspected, rec);
}

static void
pod_started (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (PodRec) rec = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = NULL;
  g_autofree char *path = NULL;

  if (!step_finish (rec, result, &reply, &error))
    return;
  /* 304: already running (a retry). */
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
    {
      sandbox_failed (rec, "ContainerCreating", error->message);
      return;
    }
  path = g_strdup_printf ("/libpod/pods/%s/json", rec->pod_name);
  step_call (rec, "GET", path, NULL, pod_inspected, rec);
}

static void
pod_created (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (PodRec) rec = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = ks_podman_call_finish (rec->agent->pm, result, &error);
  g_autofree char *path = NULL;

  /* Known before chain_continue(): teardown removes a pod that exists. */
  if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    rec->created = TRUE;
  if (!chain_continue (rec))
    return;
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      sandbox_failed (rec, "ContainerCreating", error->message);
      return;
    }
  path = g_strdup_printf ("/libpod/pods/%s/start", rec->pod_name);
  step_call (rec, "POST", path, NULL, pod_started, rec);
}

void
setup_sandbox (PodRec *rec)
{
  g_autoptr (GError) error = NULL;
  JsonObject *spec = ks_json_get_object (rec->pod, "spec");
  JsonObject *body = json_object_new ();
  JsonObject *labels = json_object_new ();
  JsonArray  *ports = json_array_new ();
  const char *hostname = ks_json_get_string (spec, "hostname");
  JsonArray  *containers = ks_json_get_array (spec, "containers");

  if (!prepare_volumes (rec, &error))
    {
      json_object_unref (body);
      json_object_unref (labels);
      json_array_unref (ports);
      event (rec, "Warning", "FailedMount", "MountVolume.SetUp failed: %s", error->message);
      for (guint i = 0; i < rec->ctrs->len; i++)
        set_waiting (g_ptr_array_index (rec->ctrs, i), "ContainerCreating", error->message);
      update_status (rec);
      if (rec->retry_source == 0)
        rec->retry_source = g_timeout_add (2000, sandbox_retry, rec);
      return;
    }
  json_object_set_string_member (body, "name", rec->pod_name);
  json_object_set_string_member (body, "hostname", hostname ? hostname : rec->name);
  json_object_set_string_member (labels, "io.kube-sim.uid", rec->uid);
  json_object_set_string_member (labels, "io.kube-sim.namespace", rec->ns);
  json_object_set_string_member (labels, "io.kube-sim.name", rec->name);
  json_object_set_object_member (body, "labels", labels);
  for (guint i = 0; containers != NULL && i < json_array_get_length (containers); i++)
    {
      JsonArray *cports
          = ks_json_get_array (json_array_get_object_element (containers, i), "ports");
      for (guint j = 0; cports != NULL && j < json_array_get_length (cports); j++)
        {
          JsonObject *p = json_array_get_object_element (cports, j);
          gint64      hp = ks_json_get_int (p, "hostPort", 0);
          JsonObject *m;
          if (hp <= 0)
            continue;
          m = json_object_new ();
          json_object_set_int_member (m, "container_port", ks_json_get_int (p, "containerPort", 0));
          json_object_set_int_member (m, "host_port", hp);
          json_object_set_string_member (
              m, "host_ip",
              ks_json_get_string (p, "hostIP") ? ks_json_get_string (p, "hostIP") : "127.0.0.1");
          json_object_set_string_member (
              m, "protocol",
              ks_json_get_string (p, "protocol") ? ks_json_get_string (p, "protocol") : "TCP");
          json_array_add_object_element (ports, m);
        }
    }
  json_object_set_array_member (body, "portmappings", ports);
  {
    g_autoptr (JsonNode) node = node_take_object (body);
    if (rec->created)
      {
        /* A retry after a failed start: the pod exists. */
        g_autofree char *path = g_strdup_printf ("/libpod/pods/%s/start", rec->pod_name);
        step_call (rec, "POST", path, NULL, pod_started, rec);
      }
    else
      step_call (rec, "POST", "/libpod/pods/create", node, pod_created, rec);
  }
}

/* ---- probes ---- */

typedef struct
{
  PodRec       *rec;
  CtrRec       *c;
  gboolean      liveness;
  guint         generation;
  guint         timeout_source;
  GCancellable *cancel;
  char         *exec_id;
  gboolean      finished;
} Probe;

static JsonObject *
probe_spec (CtrRec *c, gboolean liveness)
{
  return ks_json_get_object (c->spec, liveness ? "livenessProbe" : "readinessProbe");
}

static void probe_run (CtrRec *c, gboolean liveness);

static gboolean
probe_timer (gpointer data)
{
  CtrRec  *c = data;
  gboolean liveness = FALSE;

  if (c->live_source != 0 && g_main_current_source ()
      && g_source_get_id (g_main_current_source ()) == c->live_source)
    {
      liveness = TRUE;
      c->live_source = 0;
    }
  else
    c->ready_source = 0;
  probe_run (c, liveness);
  return G_SOURCE_REMOVE;
}

static void
probe_schedule (CtrRec *c, gboolean liveness, guint seconds)
{
  guint id = seconds == 0 ? g_timeout_add (200, probe_timer, c)
                          : g_timeout_add_seconds (seconds, probe_timer, c);

  if (liveness)
    c->live_source = id;
  else
    c->ready_source = id;
}

static void
stop_probes (CtrRec *c)
{
  if (c->ready_source)
    g_source_remove (c->ready_source);
  if (c->live_source)
    g_source_remove (c->live_source);
  c->ready_source = c->live_source = 0;
  c->ready_ok = c->ready_fail = c->live_fail = 0;
}

static void
arm_probes (CtrRec *c)
{
  stop_probes (c);
  c->ready = probe_spec (c, FALSE) == NULL;
  for (guint l = 0; l < 2; l++)
    {
      JsonObject *p = probe_spec (c, l);
      if (p != NULL)
        probe_schedule (c, l, (guint)MAX (ks_json_get_int (p, "initialDelaySeconds", 0), 0));
    }
}

static void
container_killed (GObject *source, GAsyncResult *result, gpointer data)
{
  PodRec *rec = data;
  g_autoptr (JsonNode) reply = ks_podman_call_finish (rec->agent->pm, result, NULL);

  rec_unref (rec);
}

static void
probe_result (Probe *p, gboolean ok, const char *why)
{
  CtrRec     *c = p->c;
  PodRec     *rec = p->rec;
  JsonObject *spec;
  gint64      period, failure, success;

  if (p->finished)
    return;
  p->finished = TRUE;
  if (p->timeout_source)
    g_source_remove (p->timeout_source);
  p->timeout_source = 0;
  if (rec->terminating || rec->gone || c->generation != p->generation || c->state != CS_RUNNING)
    return;
  spec = probe_spec (c, p->liveness);
  period = MAX (ks_json_get_int (spec, "periodSeconds", 10), 1);
  failure = MAX (ks_json_get_int (spec, "failureThreshold", 3), 1);
  success = MAX (ks_json_get_int (spec, "successThreshold", 1), 1);
  if (p->liveness)
    {
      c->live_fail = ok ? 0 : c->live_fail + 1;
      if (!ok)
        event (rec, "Warning", "Unhealthy", "Liveness probe failed: %s", why ? why : "");
      if (c->live_fail >= failure)
        {
          g_autofree char *path = NULL;
          gint64           grace = ks_json_get_int (ks_json_get_object (rec->pod, "spec"),
                                                    "terminationGracePeriodSeconds", 30);
          event (rec, "Normal", "Killing", "Container %s failed liveness probe, will be restarted",
                 c->name);
          c->live_fail = 0;
          path = g_strdup_printf ("/libpod/containers/%s/stop?t=%" G_GINT64_FORMAT, c->id,
                                  MAX (grace, 0));
          ks_podman_call_async (rec->agent->pm, "POST", path, NULL, NULL, container_killed,
                                rec_ref (rec));
          return; /* the exit re-arms the probes on the next start */
        }
    }
  else
    {
      gboolean was = c->ready;
      if (ok)
        {
          c->ready_fail = 0;
          if (++c->ready_ok >= success)
            c->ready = TRUE;
        }
      else
        {
          c->ready_ok = 0;
          if (++c->ready_fail >= failure)
            c->ready = FALSE;
          if (c->ready_fail == 1 || was)
            event (rec, "Warning", "Unhealthy", "Readiness probe failed: %s", why ? why : "");
        }
      if (was != c->ready)
        update_status (rec);
    }
  probe_schedule (c, p->liveness, (guint)period);
}

static void
probe_free (Probe *p)
{
  if (p->timeout_source)
    g_source_remove (p->timeout_source);
  g_clear_object (&p->cancel);
  g_free (p->exec_id);
  rec_unref (p->rec);
  g_free (p);
}

static gboolean
probe_timed_out (gpointer data)
{
  Probe *p = data;

  p->timeout_source = 0;
  g_cancellable_cancel (p->cancel);
  return G_SOURCE_REMOVE;
}

static void
probe_exec_inspected (GObject *source, GAsyncResult *result, gpointer data)
{
  Probe *p = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = ks_podman_call_finish (p->rec->agent->pm, result, &error);
  gint64 code = reply ? ks_json_get_int (json_node_get_object (reply), "ExitCode", -1) : -1;
  g_autofree char *why = error ? g_strdup (error->message)
                               : g_strdup_printf ("command exited with %" G_GINT64_FORMAT, code);

  probe_result (p, error == NULL && code == 0, why);
  probe_free (p);
}

static void
probe_exec_started (GObject *source, GAsyncResult *result, gpointer data)
{
  Probe *p = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) out = ks_podman_send_finish (p->rec->agent->pm, result, &error);
  g_autofree char *path = NULL;

  if (error != NULL)
    {
      probe_result (p, FALSE, g_cancellable_is_cancelled (p->cancel) ? "timeout" : error->message);
      probe_free (p);
      return;
    }
  path = g_strdup_printf ("/libpod/exec/%s/json", p->exec_id);
  ks_podman_call_async (p->rec->agent->pm, "GET", path, NULL, NULL, probe_exec_inspected, p);
}

static void
probe_exec_created (GObject *source, GAsyncResult *result, gpointer data)
{
  Probe *p = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = ks_podman_call_finish (p->rec->agent->pm, result, &error);
  g_autofree char *path = NULL;
  JsonObject      *body;

  if (error != NULL)
    {
      probe_result (p, FALSE, error->message);
      probe_free (p);
      return;
    }
  p->exec_id = g_strdup (ks_json_get_string (json_node_get_object (reply), "Id"));
  path = g_strdup_printf ("/libpod/exec/%s/start", p->exec_id);
  body = json_object_new ();
  json_object_set_boolean_member (body, "Detach", FALSE);
  json_object_set_boolean_member (body, "Tty", FALSE);
  {
    g_autoptr (JsonNode) node = node_take_object (body);
    ks_podman_send_async (p->rec->agent->pm, "POST", path, node, p->cancel, probe_exec_started, p);
  }
}

static void
probe_http_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Probe       *p = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body
      = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  guint status = msg ? soup_message_get_status (msg) : 0;

  if (error != NULL)
    probe_result (p, FALSE, error->message);
  else
    {
      g_autofree char *why = g_strdup_printf ("HTTP probe failed with statuscode: %u", status);
      probe_result (p, status >= 200 && status < 400, why);
    }
  probe_free (p);
}

static void
probe_tcp_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Probe *p = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketConnection) conn
      = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, &error);

  probe_result (p, conn != NULL, error ? error->message : NULL);
  if (conn != NULL)
    g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  probe_free (p);
}

static gint64
probe_port (CtrRec *c, JsonObject *action)
{
  JsonNode *port = json_object_get_member (action, "port");

  if (port == NULL)
    return 0;
  if (json_node_get_value_type (port) == G_TYPE_INT64)
    return json_node_get_int (port);
  if (json_node_get_value_type (port) == G_TYPE_STRING)
    {
      const char *name = json_node_get_string (port);
      JsonArray  *ports = ks_json_get_array (c->spec, "ports");
      for (guint i = 0; ports != NULL && i < json_array_get_length (ports); i++)
        {
          JsonObject *p = json_array_get_object_element (ports, i);
          if (g_strcmp0 (ks_json_get_string (p, "name"), name) == 0)
            return ks_json_get_int (p, "containerPort", 0);
        }
      return g_ascii_strtoll (name, NULL, 10);
    }
  return 0;
}

/* kubelet does not verify a probe's certificate. */
static gboolean
accept_any_certificate (SoupMessage         *msg,
                        GTlsCertificate     *cert,
                        GTlsCertificateFlags errors,
                        gpointer             data)
{
  return TRUE;
}

static void
probe_run (CtrRec *c, gboolean liveness)
{
  PodRec     *rec = c->rec;
  JsonObject *spec = probe_spec (c, liveness);
  JsonObject *action;
  Probe      *p;
  gint64      timeout = MAX (ks_json_get_int (spec, "timeoutSeconds", 1), 1);

  if (spec == NULL || c->state != CS_RUNNING || rec->terminating || c->id == NULL)
    return;
  p = g_new0 (Probe, 1);
  p->rec = rec_ref (rec);
  p->c = c;
  p->liveness = liveness;
  p->generation = c->generation;
  p->cancel = g_cancellable_new ();
  p->timeout_source = g_timeout_add_seconds ((guint)timeout, probe_timed_out, p);
  if ((action = ks_json_get_object (spec, "exec")) != NULL)
    {
      JsonObject      *body = json_object_new ();
      JsonArray       *cmd = ks_json_get_array (action, "command");
      g_autofree char *path = g_strdup_printf ("/libpod/containers/%s/exec", c->id);
      json_object_set_array_member (body, "Cmd",
                                    cmd ? ks_json_array_deep_copy (cmd) : json_array_new ());
      json_object_set_boolean_member (body, "AttachStdout", TRUE);
      json_object_set_boolean_member (body, "AttachStderr", TRUE);
      {
        g_autoptr (JsonNode) node = node_take_object (body);
        ks_podman_call_async (rec->agent->pm, "POST", path, node, p->cancel, probe_exec_created, p);
      }
    }
  else if ((action = ks_json_get_object (spec, "httpGet")) != NULL && rec->ip != NULL)
    {
      const char      *host = ks_json_get_string (action, "host");
      const char      *path = ks_json_get_string (action, "path");
      const char      *scheme = ks_json_get_string (action, "scheme");
      JsonArray       *headers = ks_json_get_array (action, "httpHeaders");
      g_autofree char *url = g_strdup_printf (
          "%s://%s:%" G_GINT64_FORMAT "%s%s",
          g_ascii_strcasecmp (scheme ? scheme : "HTTP", "HTTPS") == 0 ? "https" : "http",
          host ? host : rec->ip, probe_port (c, action), path && path[0] == '/' ? "" : "/",
          path ? path : "");
      SoupMessage *msg = soup_message_new ("GET", url);
      if (msg == NULL)
        {
          probe_result (p, FALSE, "bad probe URL");
          probe_free (p);
          return;
        }
      soup_message_headers_replace (soup_message_get_request_headers (msg), "User-Agent",
                                    "kube-probe/1.32");
      for (guint i = 0; headers != NULL && i < json_array_get_length (headers); i++)
        {
          JsonObject *h = json_array_get_object_element (headers, i);
          if (ks_json_get_string (h, "name") && ks_json_get_string (h, "value"))
            soup_message_headers_replace (soup_message_get_request_headers (msg),
                                          ks_json_get_string (h, "name"),
                                          ks_json_get_string (h, "value"));
        }
      g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate), NULL);
      soup_session_send_and_read_async (rec->agent->http, msg, G_PRIORITY_DEFAULT, p->cancel,
                                        probe_http_done, p);
      g_object_unref (msg);
    }
  else if ((action = ks_json_get_object (spec, "tcpSocket")) != NULL && rec->ip != NULL)
    {
      g_autoptr (GSocketClient) client = g_socket_client_new ();
      const char *host = ks_json_get_string (action, "host");
      g_socket_client_connect_to_host_async (client, host ? host : rec->ip,
                                             (guint16)probe_port (c, action), p->cancel,
                                             probe_tcp_done, p);
    }
  else
    {
      /* grpc and unknown handlers count as success. */
      probe_result (p, TRUE, NULL);
      probe_free (p);
    }
}

/* ---- exits and restarts ---- */

static void
decide_restart (CtrRec *c)
{
  PodRec     *rec = c->rec;
  const char *policy = ks_json_get_string (ks_json_get_object (rec->pod, "spec"), "restartPolicy");
  gboolean    restart;
  guint       delay;

  stop_probes (c);
  c->ready = FALSE;
  if (policy == NULL)
    policy = "Always";
  restart = strcmp (policy, "Always") == 0
            || (strcmp (policy, "OnFailure") == 0 && c->term.exit_code != 0);
  /* An init container runs to completion: it is retried on failure unless
   * the policy is Never (then the pod fails). */
  if (c->init)
    restart = strcmp (policy, "Never") != 0 && c->term.exit_code != 0;
  if (!restart || rec->terminating)
    {
      c->done = !rec->terminating;
      c->state = CS_TERMINATED;
      if (c->init && c->done && c->term.exit_code == 0)
        {
          c->ready = TRUE;
          start_next (rec);
        }
      return;
    }
  term_clear (&c->last);
  c->last = c->term;
  memset (&c->term, 0, sizeof c->term);
  delay = backoff_ms (c->restarts);
  {
    g_autofree char *message
        = g_strdup_printf ("back-off %us restarting failed container=%s pod=%s_%s(%s)",
                           MAX (delay / 1000, 1), c->name, rec->name, rec->ns, rec->uid);
    set_waiting (c, "CrashLoopBackOff", message);
  }
  event (rec, "Warning", "BackOff", "Back-off restarting failed container %s in pod %s_%s(%s)",
         c->name, rec->name, rec->ns, rec->uid);
  c->restart_pending = TRUE;
  schedule_retry (c, delay);
}

static void
container_exited (CtrRec *c, JsonObject *entry)
{
  gint64 code = entry ? ks_json_get_int (entry, "ExitCode", 0) : 137;

  term_clear (&c->term);
  c->term.set = TRUE;
  c->term.exit_code = (gint)code;
  c->term.reason = g_strdup (code == 0 ? "Completed" : "Error");
  c->term.started_at = entry ? unix_to_rfc3339 (ks_json_get_int (entry, "StartedAt", 0))
                             : g_strdup (c->started_at);
  c->term.finished_at
      = entry ? unix_to_rfc3339 (ks_json_get_int (entry, "ExitedAt", 0)) : ks_now_rfc3339 ();
  if (c->term.started_at == NULL)
    c->term.started_at = ks_now_rfc3339 ();
  c->term.id = g_strdup (c->id);
  c->state = CS_TERMINATED;
  decide_restart (c);
}

static void
poll_done (GObject *source, GAsyncResult *result, gpointer data)
{
  PodmanAgent *agent = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = ks_podman_call_finish (agent->pm, result, &error);
  g_autoptr (GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) recs = g_ptr_array_new_with_free_func ((GDestroyNotify)rec_unref);
  GHashTableIter iter;
  gpointer       value;

  agent->polling = FALSE;
  if (reply == NULL || !JSON_NODE_HOLDS_ARRAY (reply))
    return;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (reply)); i++)
    {
      JsonObject *e = json_array_get_object_element (json_node_get_array (reply), i);
      if (ks_json_get_string (e, "Id"))
        g_hash_table_insert (by_id, (gpointer)ks_json_get_string (e, "Id"), e);
    }
  g_hash_table_iter_init (&iter, agent->pods);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (recs, rec_ref (value));
  for (guint i = 0; i < recs->len; i++)
    {
      PodRec *rec = g_ptr_array_index (recs, i);
      if (rec->tearing || rec->terminating || !rec->sandbox_ready)
        continue;
      for (guint j = 0; j < rec->ctrs->len; j++)
        {
          CtrRec     *c = g_ptr_array_index (rec->ctrs, j);
          JsonObject *e;
          const char *state;
          /* A list asked for before the start finished may not have it. */
          if (c->id == NULL || c->busy || c->state != CS_RUNNING
              || c->started_poll >= agent->poll_seq)
            continue;
          e = g_hash_table_lookup (by_id, c->id);
          if (e != NULL && ks_json_get_string (e, "ImageID") && c->image_id == NULL)
            c->image_id = g_strconcat ("sha256:", ks_json_get_string (e, "ImageID"), NULL);
          state = e ? ks_json_get_string (e, "State") : NULL;
          if (e == NULL || g_strcmp0 (state, "exited") == 0 || g_strcmp0 (state, "stopped") == 0
              || g_strcmp0 (state, "dead") == 0)
            container_exited (c, e);
        }
      update_status (rec);
    }
}

static gboolean
poll_tick (gpointer data)
{
  PodmanAgent *agent = data;

  if (agent->polling || g_hash_table_size (agent->pods) == 0)
    return G_SOURCE_CONTINUE;
  agent->polling = TRUE;
  agent->poll_seq++;
  ks_podman_call_async (agent->pm, "GET", "/libpod/containers/json?all=true", NULL, NULL, poll_done,
                        agent);
  return G_SOURCE_CONTINUE;
}

/* ---- teardown ---- */

static void
teardown_finish (PodRec *rec)
{
  PodmanAgent *agent = rec->agent;

  if (rec->voldir != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (rec->voldir); /* volumes and etc-hosts */
      const char      *argv[] = { "rm", "-rf", "--one-file-system", dir, NULL };
      g_spawn_async (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL);
    }
  rec_ref (rec);
  if (!rec->gone)
    ks_pod_remove (agent->parent.sim, rec->ns, rec->name, rec->uid);
  rec->gone = TRUE;
  g_hash_table_remove (agent->pods, rec->uid);
  cluster_ips_sync (agent); /* its IP leaves the set of pod sources */
  rec_unref (rec);
}

static void
pod_deleted (GObject *source, GAsyncResult *result, gpointer data)
{
  PodRec *rec = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = ks_podman_call_finish (rec->agent->pm, result, &error);

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_printerr ("hero-virt-kube-sim: removing pod %s: %s\n", rec->pod_name, error->message);
  teardown_finish (rec);
  rec_unref (rec);
}

static void
pod_stopped (GObject *source, GAsyncResult *result, gpointer data)
{
  PodRec *rec = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = ks_podman_call_finish (rec->agent->pm, result, &error);
  g_autofree char *path = g_strdup_printf ("/libpod/pods/%s?force=true", rec->pod_name);

  ks_podman_call_async (rec->agent->pm, "DELETE", path, NULL, NULL, pod_deleted, rec);
}

static void
maybe_teardown (PodRec *rec)
{
  g_autofree char *path = NULL;

  if (rec->tearing || rec->inflight > 0)
    return;
  rec->tearing = TRUE;
  if (rec->retry_source)
    g_source_remove (rec->retry_source);
  rec->retry_source = 0;
  for (guint i = 0; i < rec->ctrs->len; i++)
    {
      CtrRec *c = g_ptr_array_index (rec->ctrs, i);
      stop_probes (c);
      if (c->backoff_source)
        g_source_remove (c->backoff_source);
      c->backoff_source = 0;
    }
  if (!rec->created)
    {
      teardown_finish (rec);
      return;
    }
  path = g_strdup_printf ("/libpod/pods/%s/stop?t=%" G_GINT64_FORMAT, rec->pod_name,
                          MAX (rec->grace, 0));
  ks_podman_call_async (rec->agent->pm, "POST", path, NULL, NULL, pod_stopped, rec_ref (rec));
}

/* ---- the agent's entry points ---- */

static PodRec *
find_rec (PodmanAgent *agent, JsonObject *pod)
{
  const char *uid = ks_meta_uid (pod);

  return uid ? g_hash_table_lookup (agent->pods, uid) : NULL;
}

static void
podman_pod_scheduled (KsNodeAgent *base, JsonObject *pod)
{
  PodmanAgent *agent = (PodmanAgent *)base;
  JsonArray   *containers = ks_json_get_array (ks_json_get_object (pod, "spec"), "containers");
  JsonArray   *inits = ks_json_get_array (ks_json_get_object (pod, "spec"), "initContainers");
  PodRec      *rec;

  if (ks_meta_uid (pod) == NULL || find_rec (agent, pod) != NULL)
    return;
  rec = g_new0 (PodRec, 1);
  rec->ref = 1;
  rec->agent = agent;
  rec->uid = g_strdup (ks_meta_uid (pod));
  rec->ns = g_strdup (ks_meta_namespace (pod));
  rec->name = g_strdup (ks_meta_name (pod));
  rec->pod_name = g_strdup_printf ("k8s_%s_%s_%.8s", rec->name, rec->ns, rec->uid);
  rec->pod = json_object_ref (pod);
  rec->ctrs = g_ptr_array_new_with_free_func ((GDestroyNotify)ctr_free);
  rec->volumes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  rec->ro_volumes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  rec->voldir = g_build_filename (agent->pm->root, "pods", rec->uid, "volumes", NULL);
  rec->hosts_path = g_build_filename (agent->pm->root, "pods", rec->uid, "etc-hosts", NULL);
  rec->start_time = ks_now_rfc3339 ();
  rec->grace
      = ks_json_get_int (ks_json_get_object (pod, "spec"), "terminationGracePeriodSeconds", 30);
  rec->n_init = inits ? json_array_get_length (inits) : 0;
  for (guint i = 0; i < rec->n_init + (containers ? json_array_get_length (containers) : 0); i++)
    {
      CtrRec *c = g_new0 (CtrRec, 1);
      c->rec = rec;
      c->init = i < rec->n_init;
      c->spec = c->init ? json_array_get_object_element (inits, i)
                        : json_array_get_object_element (containers, i - rec->n_init);
      c->name = g_strdup (ks_json_get_string (c->spec, "name"));
      c->tty = ks_json_get_bool (c->spec, "tty", FALSE);
      /* As kubelet: with init containers, every container waits as
       * PodInitializing until it is created. */
      set_waiting (c, rec->n_init > 0 ? "PodInitializing" : "ContainerCreating", NULL);
      g_ptr_array_add (rec->ctrs, c);
    }
  g_hash_table_insert (agent->pods, g_strdup (rec->uid), rec);
  update_status (rec);
  setup_sandbox (rec);
}

static void
podman_pod_terminating (KsNodeAgent *base, JsonObject *pod)
{
  PodmanAgent *agent = (PodmanAgent *)base;
  PodRec      *rec = find_rec (agent, pod);

  if (rec == NULL)
    {
      ks_pod_remove (base->sim, ks_meta_namespace (pod), ks_meta_name (pod), ks_meta_uid (pod));
      return;
    }
  if (rec->terminating)
    return;
  rec->terminating = TRUE;
  rec->grace = ks_json_get_int (ks_meta (pod), "deletionGracePeriodSeconds", rec->grace);
  for (guint i = 0; i < rec->ctrs->len; i++)
    {
      CtrRec *c = g_ptr_array_index (rec->ctrs, i);
      if (c->state == CS_RUNNING)
        event (rec, "Normal", "Killing", "Stopping container %s", c->name);
    }
  maybe_teardown (rec);
}

static void
podman_pod_removed (KsNodeAgent *base, JsonObject *pod)
{
  PodmanAgent *agent = (PodmanAgent *)base;
  PodRec      *rec = find_rec (agent, pod);

  if (rec == NULL)
    return;
  rec->gone = TRUE;
  if (!rec->tearing)
    {
      rec->terminating = TRUE;
      rec->grace = 0;
      maybe_teardown (rec);
    }
}

static CtrRec *
find_ctr (PodRec *rec, const char *name)
{
  for (guint i = 0; rec != NULL && i < rec->ctrs->len; i++)
    {
      CtrRec *c = g_ptr_array_index (rec->ctrs, i);
      if ((name == NULL && !c->init) || g_strcmp0 (c->name, name) == 0)
        return c;
    }
  return NULL;
}

/* The podman container for a stream, or an error as the API server wants. */
static const char *
stream_target (PodmanAgent *agent,
               JsonObject  *pod,
               const char  *container,
               gboolean     previous,
               CtrRec     **out,
               GError     **error)
{
  PodRec *rec = find_rec (agent, pod);
  CtrRec *c = find_ctr (rec, container);

  if (c == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "container %s is not valid for pod %s",
                   container ? container : "", ks_meta_name (pod));
      return NULL;
    }
  if (out)
    *out = c;
  if (previous)
    {
      if (c->prev_id == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                     "previous terminated container \"%s\" in pod \"%s\" not found", c->name,
                     rec->name);
      return c->prev_id;
    }
  if (c->id == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 "container \"%s\" in pod \"%s\" is waiting to start: %s", c->name, rec->name,
                 c->reason ? c->reason : "ContainerCreating");
  return c->id;
}

/* ---- logs: the libpod stream, demultiplexed into a pipe ---- */

typedef struct
{
  GInputStream  *src;
  GOutputStream *out;
  GCancellable  *cancel;
  KsDemux        demux;
  gboolean       tty;
  gint64         left; /* -1: no limit */
  guint8         buf[16384];
  GByteArray    *pending;
} LogPump;

static void
log_pump_free (LogPump *p)
{
  g_output_stream_close (p->out, NULL, NULL);
  g_object_unref (p->out);
  g_object_unref (p->src);
  g_clear_object (&p->cancel);
  g_byte_array_unref (p->pending);
  g_free (p);
}

static void log_pump_read (LogPump *p);

static void
log_pump_written (GObject *source, GAsyncResult *result, gpointer data)
{
  LogPump *p = data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL)
      || p->left == 0)
    {
      log_pump_free (p);
      return;
    }
  g_byte_array_set_size (p->pending, 0);
  log_pump_read (p);
}

static void
log_pump_out (guint8 stream, const guint8 *data, gsize len, gpointer user_data)
{
  g_byte_array_append (((LogPump *)user_data)->pending, data, len);
}

static void
log_pump_got (GObject *source, GAsyncResult *result, gpointer data)
{
  LogPump *p = data;
  gssize   n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0)
    {
      log_pump_free (p);
      return;
    }
  if (p->tty)
    g_byte_array_append (p->pending, p->buf, n);
  else
    ks_demux_feed (&p->demux, p->buf, n, log_pump_out, p);
  if (p->pending->len == 0)
    {
      log_pump_read (p);
      return;
    }
  if (p->left >= 0 && (gint64)p->pending->len >= p->left)
    {
      g_byte_array_set_size (p->pending, p->left);
      p->left = 0;
    }
  else if (p->left > 0)
    p->left -= p->pending->len;
  g_output_stream_write_all_async (p->out, p->pending->data, p->pending->len, G_PRIORITY_DEFAULT,
                                   p->cancel, log_pump_written, p);
}

static void
log_pump_read (LogPump *p)
{
  g_input_stream_read_async (p->src, p->buf, sizeof p->buf, G_PRIORITY_DEFAULT, p->cancel,
                             log_pump_got, p);
}

typedef struct
{
  PodmanAgent *agent;
  gboolean     tty;
  gint64       limit;
} LogOpen;

static void
logs_opened (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  LogOpen      *lo = g_task_get_task_data (task);
  PodmanAgent  *agent = lo->agent;
  GError       *error = NULL;
  GInputStream *src = ks_podman_stream_finish (agent->pm, result, &error);
  LogPump      *p;
  int           fds[2];

  if (src == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!g_unix_open_pipe (fds, FD_CLOEXEC, &error))
    {
      g_object_unref (src);
      g_task_return_error (task, error);
      return;
    }
  g_unix_set_fd_nonblocking (fds[0], TRUE, NULL);
  g_unix_set_fd_nonblocking (fds[1], TRUE, NULL);
  p = g_new0 (LogPump, 1);
  p->src = src;
  p->out = g_unix_output_stream_new (fds[1], TRUE);
  p->cancel = g_task_get_cancellable (task) ? g_object_ref (g_task_get_cancellable (task)) : NULL;
  p->tty = lo->tty;
  p->left = lo->limit > 0 ? lo->limit : -1;
  p->pending = g_byte_array_new ();
  log_pump_read (p);
  g_task_return_pointer (task, g_unix_input_stream_new (fds[0], TRUE), g_object_unref);
}

static void
podman_logs_open_async (KsNodeAgent        *base,
                        JsonObject         *pod,
                        const KsLogOptions *options,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  PodmanAgent *agent = (PodmanAgent *)base;
  GTask       *task = g_task_new (NULL, cancellable, callback, user_data);
  GError      *error = NULL;
  CtrRec      *c = NULL;
  const char  *id = stream_target (agent, pod, options->container, options->previous, &c, &error);
  GString     *path;
  LogOpen     *lo;

  if (id == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  lo = g_new0 (LogOpen, 1);
  lo->agent = agent;
  lo->tty = c->tty;
  lo->limit = options->limit_bytes;
  g_task_set_task_data (task, lo, g_free);
  path = g_string_new (NULL);
  g_string_append_printf (path, "/libpod/containers/%s/logs?stdout=true&stderr=true", id);
  if (options->follow)
    g_string_append (path, "&follow=true");
  if (options->timestamps)
    g_string_append (path, "&timestamps=true");
  if (options->tail_lines >= 0)
    g_string_append_printf (path, "&tail=%" G_GINT64_FORMAT, options->tail_lines);
  if (options->since_seconds > 0)
    g_string_append_printf (path, "&since=%" G_GINT64_FORMAT,
                            g_get_real_time () / G_USEC_PER_SEC - options->since_seconds);
  ks_podman_stream_async (agent->pm, path->str, cancellable, logs_opened, task);
  g_string_free (path, TRUE);
}

static GInputStream *
podman_logs_open_finish (KsNodeAgent *base, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- exec: an upgraded connection pumped by a thread ---- */

typedef struct
{
  KsProcess   proc;
  gint        ref;
  KsPodman   *pm;
  char       *ctr_id, *exec_id;
  gboolean    attach; /* to the container's main process: abort detaches */
  char      **argv;
  KsExecFlags flags;
  GByteArray *leftover;
  int         sock, out_w, err_w, in_r, wake_r, wake_w;
  GMutex      lock;
  gboolean    finished;
  int         exit_code;
  GList      *waiters;
} Exec;

static void
exec_unref (Exec *e)
{
  int *fds[] = { &e->sock, &e->out_w, &e->err_w, &e->in_r, &e->wake_r, &e->wake_w };

  if (!g_atomic_int_dec_and_test (&e->ref))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    if (*fds[i] >= 0)
      close (*fds[i]);
  g_clear_object (&e->proc.stdin_stream);
  g_clear_object (&e->proc.stdout_stream);
  g_clear_object (&e->proc.stderr_stream);
  g_clear_pointer (&e->leftover, g_byte_array_unref);
  g_free (e->ctr_id);
  g_free (e->exec_id);
  g_strfreev (e->argv);
  g_mutex_clear (&e->lock);
  g_free (e);
}

static gboolean
fd_write_all (int *fd, const guint8 *data, gsize len)
{
  while (*fd >= 0 && len > 0)
    {
      ssize_t n = write (*fd, data, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          /* The reader went away: drop this stream, keep draining. */
          close (*fd);
          *fd = -1;
          return FALSE;
        }
      data += n;
      len -= n;
    }
  return TRUE;
}

static void
exec_out (guint8 stream, const guint8 *data, gsize len, gpointer user_data)
{
  Exec *e = user_data;

  fd_write_all (stream == 2 ? &e->err_w : &e->out_w, data, len);
}

static gpointer
exec_pump (gpointer data)
{
  Exec            *e = data;
  KsDemux          demux = { 0 };
  gboolean         tty = (e->flags & KS_EXEC_TTY) != 0;
  guint8           buf[16384];
  int              code = -1;
  GList           *waiters;
  g_autofree char *path = NULL;

  if (e->leftover != NULL && e->leftover->len > 0)
    {
      if (tty)
        fd_write_all (&e->out_w, e->leftover->data, e->leftover->len);
      else
        ks_demux_feed (&demux, e->leftover->data, e->leftover->len, exec_out, e);
    }
  for (;;)
    {
      struct pollfd fds[3];
      nfds_t        n = 0;
      int           in_slot = -1, wake_slot = -1;
      fds[n++] = (struct pollfd){ .fd = e->sock, .events = POLLIN };
      if (e->in_r >= 0)
        {
          in_slot = n;
          fds[n++] = (struct pollfd){ .fd = e->in_r, .events = POLLIN };
        }
      if (e->wake_r >= 0)
        {
          wake_slot = n;
          fds[n++] = (struct pollfd){ .fd = e->wake_r, .events = POLLIN };
        }
      if (poll (fds, n, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          break;
        }
      if (wake_slot >= 0 && fds[wake_slot].revents && e->attach)
        break; /* detach */
      if (wake_slot >= 0 && fds[wake_slot].revents)
        {
          /* abort: end the exec'd process, then drain to EOF. */
          g_autoptr (JsonNode) info = NULL;
          g_autofree char *ipath = g_strdup_printf ("/libpod/exec/%s/json", e->exec_id);
          guint            status = 0;
          gint64           pid;
          info = ks_podman_raw_call (e->pm, "GET", ipath, NULL, &status, NULL);
          pid = info ? ks_json_get_int (json_node_get_object (info), "Pid", 0) : 0;
          if (pid > 1)
            kill ((pid_t)pid, SIGKILL);
          close (e->wake_r);
          e->wake_r = -1;
          if (e->in_r >= 0)
            {
              close (e->in_r);
              e->in_r = -1;
            }
        }
      if (in_slot >= 0 && e->in_r >= 0 && fds[in_slot].revents)
        {
          ssize_t got = read (e->in_r, buf, sizeof buf);
          if (got < 0 && errno == EINTR)
            continue;
          if (got <= 0)
            {
              shutdown (e->sock, SHUT_WR);
              close (e->in_r);
              e->in_r = -1;
            }
          else
            {
              int s = e->sock;
              if (!fd_write_all (&s, buf, got))
                e->sock = -1;
            }
        }
      if (e->sock < 0)
        break;
      if (fds[0].revents)
        {
          ssize_t got = recv (e->sock, buf, sizeof buf, 0);
          if (got < 0 && errno == EINTR)
            continue;
          if (got <= 0)
            break;
          if (tty)
            fd_write_all (&e->out_w, buf, got);
          else
            ks_demux_feed (&demux, buf, got, exec_out, e);
        }
    }
  {
    int *fds[] = { &e->sock, &e->out_w, &e->err_w };
    for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
      if (*fds[i] >= 0)
        {
          close (*fds[i]);
          *fds[i] = -1;
        }
  }
  path = e->attach ? g_strdup_printf ("/libpod/containers/%s/json", e->ctr_id)
                   : g_strdup_printf ("/libpod/exec/%s/json", e->exec_id);
  for (guint tries = 0; tries < 50; tries++)
    {
      guint status = 0;
      g_autoptr (JsonNode) info = ks_podman_raw_call (e->pm, "GET", path, NULL, &status, NULL);
      JsonObject *o = info && JSON_NODE_HOLDS_OBJECT (info) ? json_node_get_object (info) : NULL;
      if (o != NULL && e->attach)
        o = ks_json_get_object (o, "State");
      if (o == NULL)
        break;
      if (!ks_json_get_bool (o, "Running", FALSE))
        {
          code = (int)ks_json_get_int (o, "ExitCode", -1);
          break;
        }
      /* attach: still running after the stream ended is a detach */
      if (e->attach && tries >= 10)
        break;
      g_usleep (20 * 1000);
    }
  g_mutex_lock (&e->lock);
  e->finished = TRUE;
  e->exit_code = code;
  waiters = g_steal_pointer (&e->waiters);
  g_mutex_unlock (&e->lock);
  for (GList *l = waiters; l != NULL; l = l->next)
    {
      g_task_return_int (l->data, code);
      g_object_unref (l->data);
    }
  g_list_free (waiters);
  exec_unref (e);
  return NULL;
}

static void
exec_wait_async (KsProcess          *proc,
                 GCancellable       *cancellable,
                 GAsyncReadyCallback callback,
                 gpointer            user_data)
{
  Exec  *e = (Exec *)proc;
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_mutex_lock (&e->lock);
  if (e->finished)
    {
      g_mutex_unlock (&e->lock);
      g_task_return_int (task, e->exit_code);
      g_object_unref (task);
      return;
    }
  e->waiters = g_list_append (e->waiters, task);
  g_mutex_unlock (&e->lock);
}

static gboolean
exec_wait_finish (KsProcess *proc, GAsyncResult *result, int *exit_code, GError **error)
{
  GError *local = NULL;
  gssize  code = g_task_propagate_int (G_TASK (result), &local);

  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (code < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the exit code of the exec is unknown");
      return FALSE;
    }
  if (exit_code)
    *exit_code = (int)code;
  return TRUE;
}

static void
exec_abort (KsProcess *proc)
{
  Exec *e = (Exec *)proc;

  g_mutex_lock (&e->lock);
  if (!e->finished && e->wake_w >= 0)
    (void)!write (e->wake_w, "x", 1);
  g_mutex_unlock (&e->lock);
}

typedef struct
{
  KsPodman *pm;
  char     *path;
} Resize;

static void
resize_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Resize *r = data;
  guint   status = 0;
  g_autoptr (JsonNode) reply = ks_podman_raw_call (r->pm, "POST", r->path, NULL, &status, NULL);

  g_task_return_boolean (task, TRUE);
}

static void
resize_free (Resize *r)
{
  g_free (r->path);
  g_free (r);
}

static void
exec_resize (KsProcess *proc, guint16 width, guint16 height)
{
  Exec   *e = (Exec *)proc;
  Resize *r = g_new0 (Resize, 1);
  g_autoptr (GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  r->pm = e->pm;
  r->path
      = e->attach
            ? g_strdup_printf ("/libpod/containers/%s/resize?h=%u&w=%u", e->ctr_id, height, width)
            : g_strdup_printf ("/libpod/exec/%s/resize?h=%u&w=%u", e->exec_id, height, width);
  g_task_set_task_data (task, r, (GDestroyNotify)resize_free);
  g_task_run_in_thread (task, resize_thread);
}

static void
exec_free (KsProcess *proc)
{
  Exec *e = (Exec *)proc;

  exec_abort (proc);
  /* Closing our ends of the pipes unblocks the pump. */
  g_clear_object (&e->proc.stdin_stream);
  g_clear_object (&e->proc.stdout_stream);
  g_clear_object (&e->proc.stderr_stream);
  exec_unref (e);
}

static const KsProcessVTable exec_vtable = {
  .resize = exec_resize,
  .wait_async = exec_wait_async,
  .wait_finish = exec_wait_finish,
  .abort = exec_abort,
  .free = exec_free,
};

static gboolean
make_pipe (int fds[2], GError **error)
{
  return g_unix_open_pipe (fds, FD_CLOEXEC, error);
}

static void
exec_setup_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Exec            *e = data;
  JsonObject      *body = json_object_new ();
  JsonArray       *cmd = json_array_new ();
  gboolean         tty = (e->flags & KS_EXEC_TTY) != 0;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonNode) reply = NULL;
  GError *error = NULL;
  guint   status = 0;
  int     out[2] = { -1, -1 }, err[2] = { -1, -1 }, in[2] = { -1, -1 }, wake[2] = { -1, -1 };

  if (e->attach)
    {
      json_array_unref (cmd);
      json_object_unref (body);
      path = g_strdup_printf ("/libpod/containers/%s/attach?stream=true&stdout=true&stderr=true"
                              "&stdin=%s",
                              e->ctr_id, (e->flags & KS_EXEC_STDIN) ? "true" : "false");
      e->sock = ks_podman_raw_upgrade (e->pm, path, NULL, &e->leftover, &error);
      if (e->sock < 0)
        {
          g_task_return_error (task, error);
          return;
        }
      goto streams;
    }
  for (guint i = 0; e->argv[i] != NULL; i++)
    json_array_add_string_element (cmd, e->argv[i]);
  json_object_set_array_member (body, "Cmd", cmd);
  json_object_set_boolean_member (body, "AttachStdin", (e->flags & KS_EXEC_STDIN) != 0);
  json_object_set_boolean_member (body, "AttachStdout", TRUE);
  json_object_set_boolean_member (body, "AttachStderr", TRUE);
  json_object_set_boolean_member (body, "Tty", tty);
  node = node_take_object (body);
  text = ks_json_to_string (node);
  path = g_strdup_printf ("/libpod/containers/%s/exec", e->ctr_id);
  reply = ks_podman_raw_call (e->pm, "POST", path, text, &status, &error);
  if (reply == NULL)
    {
      if (error == NULL)
        error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "podman gave no exec id");
      else if (status == 409)
        error->code = G_IO_ERROR_FAILED;
      g_task_return_error (task, error);
      return;
    }
  e->exec_id = g_strdup (ks_json_get_string (json_node_get_object (reply), "Id"));
  g_free (text);
  g_free (path);
  text = g_strdup_printf ("{\"Detach\":false,\"Tty\":%s}", tty ? "true" : "false");
  path = g_strdup_printf ("/libpod/exec/%s/start", e->exec_id);
  e->sock = ks_podman_raw_upgrade (e->pm, path, text, &e->leftover, &error);
  if (e->sock < 0)
    {
      g_task_return_error (task, error);
      return;
    }
streams:
  if (!make_pipe (out, &error) || !make_pipe (err, &error) || !make_pipe (wake, &error)
      || ((e->flags & KS_EXEC_STDIN) && !make_pipe (in, &error)))
    {
      for (int *fd = out; fd != NULL; fd = fd == out   ? err
                                           : fd == err ? in
                                           : fd == in  ? wake
                                                       : NULL)
        for (guint k = 0; k < 2; k++)
          if (fd[k] >= 0)
            close (fd[k]);
      g_task_return_error (task, error);
      return;
    }
  /* The server's ends are non-blocking; the pump's are blocking. */
  g_unix_set_fd_nonblocking (out[0], TRUE, NULL);
  g_unix_set_fd_nonblocking (err[0], TRUE, NULL);
  e->out_w = out[1];
  e->err_w = err[1];
  e->wake_r = wake[0];
  e->wake_w = wake[1];
  if (e->flags & KS_EXEC_STDOUT)
    e->proc.stdout_stream = g_unix_input_stream_new (out[0], TRUE);
  else
    close (out[0]);
  if ((e->flags & KS_EXEC_STDERR) && !tty)
    e->proc.stderr_stream = g_unix_input_stream_new (err[0], TRUE);
  else
    close (err[0]);
  if (e->flags & KS_EXEC_STDIN)
    {
      g_unix_set_fd_nonblocking (in[1], TRUE, NULL);
      e->in_r = in[0];
      e->proc.stdin_stream = g_unix_output_stream_new (in[1], TRUE);
    }
  g_atomic_int_inc (&e->ref);
  g_thread_unref (g_thread_new ("ks-exec", exec_pump, e));
  g_task_return_pointer (task, e, NULL);
}

static Exec *
exec_new (PodmanAgent *agent, const char *ctr_id, const char *const *argv, KsExecFlags flags)
{
  Exec *e = g_new0 (Exec, 1);

  e->proc.vtable = &exec_vtable;
  e->ref = 1;
  e->pm = agent->pm;
  e->ctr_id = g_strdup (ctr_id);
  e->argv = g_strdupv ((char **)argv);
  e->flags = flags;
  e->sock = e->out_w = e->err_w = e->in_r = e->wake_r = e->wake_w = -1;
  g_mutex_init (&e->lock);
  return e;
}

static void
podman_exec_async (KsNodeAgent        *base,
                   JsonObject         *pod,
                   const char         *container,
                   const char *const  *argv,
                   KsExecFlags         flags,
                   GCancellable       *cancellable,
                   GAsyncReadyCallback callback,
                   gpointer            user_data)
{
  PodmanAgent *agent = (PodmanAgent *)base;
  GTask       *task = g_task_new (NULL, cancellable, callback, user_data);
  GError      *error = NULL;
  CtrRec      *c = NULL;
  const char  *id = stream_target (agent, pod, container, FALSE, &c, &error);

  if (id != NULL && c->state != CS_RUNNING)
    {
      g_clear_error (&error);
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "cannot exec in a container that is not running (container \"%s\" in pod "
                   "\"%s\")",
                   c->name, ks_meta_name (pod));
      id = NULL;
    }
  if (id == NULL || argv == NULL || argv[0] == NULL)
    {
      if (error == NULL)
        error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "you must specify a command");
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_task_set_task_data (task, exec_new (agent, id, argv, flags), (GDestroyNotify)exec_unref);
  g_task_run_in_thread (task, exec_setup_thread);
  g_object_unref (task);
}

static void
podman_attach_async (KsNodeAgent        *base,
                     JsonObject         *pod,
                     const char         *container,
                     KsExecFlags         flags,
                     GCancellable       *cancellable,
                     GAsyncReadyCallback callback,
                     gpointer            user_data)
{
  PodmanAgent *agent = (PodmanAgent *)base;
  GTask       *task = g_task_new (NULL, cancellable, callback, user_data);
  GError      *error = NULL;
  CtrRec      *c = NULL;
  const char  *id = stream_target (agent, pod, container, FALSE, &c, &error);
  const char  *none[] = { NULL };
  Exec        *e;

  if (id != NULL && c->state != CS_RUNNING)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "cannot attach to a container that is not running (container \"%s\" in pod "
                   "\"%s\")",
                   c->name, ks_meta_name (pod));
      id = NULL;
    }
  if (id == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  /* The container's own terminal decides the framing. */
  flags = c->tty ? flags | KS_EXEC_TTY : flags & ~KS_EXEC_TTY;
  if (!ks_json_get_bool (c->spec, "stdin", FALSE))
    flags &= ~KS_EXEC_STDIN;
  e = exec_new (agent, id, none, flags);
  e->attach = TRUE;
  g_task_set_task_data (task, e, (GDestroyNotify)exec_unref);
  g_task_run_in_thread (task, exec_setup_thread);
  g_object_unref (task);
}

static KsProcess *
podman_exec_finish (KsNodeAgent *base, GAsyncResult *result, GError **error)
{
  Exec *e = g_task_propagate_pointer (G_TASK (result), error);

  if (e == NULL)
    return NULL;
  /* The task's reference becomes the caller's. */
  g_atomic_int_inc (&e->ref);
  return &e->proc;
}

/* ---- port connect: a socket made inside the pod's network namespace ---- */

typedef struct
{
  int     pid;
  guint16 port;
} PortReq;

static gpointer
netns_connect_thread (gpointer data)
{
  GTask             *task = data;
  PortReq           *r = g_task_get_task_data (task);
  g_autofree char   *ns = g_strdup_printf ("/proc/%d/ns/net", r->pid);
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (r->port) };
  int                nsfd = open (ns, O_RDONLY | O_CLOEXEC);
  int                fd, errsv;

  if (nsfd < 0 || setns (nsfd, CLONE_NEWNET) != 0)
    {
      errsv = errno;
      if (nsfd >= 0)
        close (nsfd);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               "cannot enter the pod's network namespace: %s", g_strerror (errsv));
      g_object_unref (task);
      return NULL;
    }
  close (nsfd);
  /* This thread is in the pod's namespace now; it ends right after, and the
   * socket stays where it was made. */
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || connect (fd, (struct sockaddr *)&addr, sizeof addr) != 0)
    {
      errsv = errno;
      if (fd >= 0)
        close (fd);
      g_task_return_new_error (
          task, G_IO_ERROR,
          errsv == ECONNREFUSED ? G_IO_ERROR_CONNECTION_REFUSED : g_io_error_from_errno (errsv),
          "connect to 127.0.0.1:%u in the pod: %s", r->port, g_strerror (errsv));
      g_object_unref (task);
      return NULL;
    }
  g_task_return_int (task, fd);
  g_object_unref (task);
  return NULL;
}

static void
podman_port_connect_async (KsNodeAgent        *base,
                           JsonObject         *pod,
                           guint16             port,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  PodmanAgent *agent = (PodmanAgent *)base;
  PodRec      *rec = find_rec (agent, pod);
  GTask       *task = g_task_new (NULL, cancellable, callback, user_data);
  PortReq     *r;

  if (rec == NULL || !rec->sandbox_ready || rec->infra_pid <= 0 || rec->tearing)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               "pod %s has no running sandbox", ks_meta_name (pod));
      g_object_unref (task);
      return;
    }
  r = g_new0 (PortReq, 1);
  r->pid = rec->infra_pid;
  r->port = port;
  g_task_set_task_data (task, r, g_free);
  g_thread_unref (g_thread_new ("ks-netns", netns_connect_thread, task));
}

static GIOStream *
podman_port_connect_finish (KsNodeAgent *base, GAsyncResult *result, GError **error)
{
  gssize             fd = g_task_propagate_int (G_TASK (result), error);
  GSocket           *sock;
  GSocketConnection *conn;

  if (fd < 0)
    return NULL;
  sock = g_socket_new_from_fd ((int)fd, error);
  if (sock == NULL)
    {
      close ((int)fd);
      return NULL;
    }
  conn = g_socket_connection_factory_create_connection (sock);
  g_object_unref (sock);
  return G_IO_STREAM (conn);
}

/* ---- Services of type NodePort: 127.0.0.1:nodePort to a ready pod ---- */

typedef struct
{
  PodmanAgent    *agent;
  guint16         node_port;
  char           *ns, *service;
  GSocketService *listener;
  guint           next; /* round robin */
} NodePort;

static void
node_port_free (NodePort *np)
{
  g_socket_service_stop (np->listener);
  g_socket_listener_close (G_SOCKET_LISTENER (np->listener));
  g_object_unref (np->listener);
  g_free (np->ns);
  g_free (np->service);
  g_free (np);
}

static gint64
target_port (JsonObject *pod, JsonObject *port)
{
  JsonNode  *target = json_object_get_member (port, "targetPort");
  JsonArray *containers = ks_json_get_array (ks_json_get_object (pod, "spec"), "containers");

  if (target == NULL)
    return ks_json_get_int (port, "port", 0);
  if (json_node_get_value_type (target) != G_TYPE_STRING)
    return json_node_get_int (target);
  for (guint i = 0; containers != NULL && i < json_array_get_length (containers); i++)
    {
      JsonArray *ports = ks_json_get_array (json_array_get_object_element (containers, i), "ports");
      for (guint j = 0; ports != NULL && j < json_array_get_length (ports); j++)
        {
          JsonObject *p = json_array_get_object_element (ports, j);
          if (g_strcmp0 (ks_json_get_string (p, "name"), json_node_get_string (target)) == 0)
            return ks_json_get_int (p, "containerPort", 0);
        }
    }
  return 0;
}

static gboolean
pod_is_ready (JsonObject *pod)
{
  JsonArray *conds = ks_json_get_array (ks_json_get_object (pod, "status"), "conditions");

  if (json_object_has_member (ks_meta (pod), "deletionTimestamp"))
    return FALSE;
  for (guint i = 0; conds != NULL && i < json_array_get_length (conds); i++)
    {
      JsonObject *c = json_array_get_object_element (conds, i);
      if (g_strcmp0 (ks_json_get_string (c, "type"), "Ready") == 0)
        return g_strcmp0 (ks_json_get_string (c, "status"), "True") == 0;
    }
  return FALSE;
}

/* A ready pod of the service and its address for the service port whose
 * field (nodePort, port) is value, round robin on *next. */
static GSocketAddress *
service_backend (PodmanAgent *agent,
                 const char  *ns,
                 const char  *name,
                 const char  *field,
                 gint64       value,
                 guint       *next)
{
  KsSim      *sim = agent->parent.sim;
  JsonObject *svc = ks_store_get (ks_resource_find (sim, "", "v1", "services"), ns, name);
  JsonObject *spec = ks_json_get_object (svc, "spec");
  JsonArray  *ports = ks_json_get_array (spec, "ports");
  JsonObject *port = NULL;
  g_autoptr (KsSelector) selector = NULL;
  g_autoptr (GPtrArray) ready = g_ptr_array_new ();
  GPtrArray  *pods;
  JsonObject *pod;
  gint64      target;

  for (guint i = 0; ports != NULL && i < json_array_get_length (ports); i++)
    if (ks_json_get_int (json_array_get_object_element (ports, i), field, 0) == value)
      port = json_array_get_object_element (ports, i);
  if (port == NULL || ks_json_get_object (spec, "selector") == NULL)
    return NULL;
  {
    JsonObject *wrap = json_object_new ();
    json_object_set_object_member (wrap, "matchLabels",
                                   json_object_ref (ks_json_get_object (spec, "selector")));
    selector = ks_label_selector_from_json (wrap);
    json_object_unref (wrap);
  }
  pods = ks_store_list (ks_resource_find (sim, "", "v1", "pods"), ns);
  for (guint i = 0; pods != NULL && i < pods->len; i++)
    {
      JsonObject *p = g_ptr_array_index (pods, i);
      if (ks_label_selector_matches (selector, ks_json_get_object (ks_meta (p), "labels"))
          && pod_is_ready (p) && ks_json_lookup (p, "status.podIP") != NULL)
        g_ptr_array_add (ready, p);
    }
  if (ready->len == 0)
    {
      g_clear_pointer (&pods, g_ptr_array_unref);
      return NULL;
    }
  pod = g_ptr_array_index (ready, (*next)++ % ready->len);
  target = target_port (pod, port);
  {
    GInetAddress *ip = g_inet_address_new_from_string (
        ks_json_get_string (ks_json_get_object (pod, "status"), "podIP"));
    GSocketAddress *addr = ip && target > 0 && target < 65536
                               ? g_inet_socket_address_new (ip, (guint16)target)
                               : NULL;
    g_clear_object (&ip);
    g_clear_pointer (&pods, g_ptr_array_unref);
    return addr;
  }
}

/* A proxied connection: two directions, each copying what it reads from
 * one socket to the other. At the end of one direction's input the other
 * socket's sending side is shut down (a half-close, passed on), so a
 * client reading to EOF sees the backend's close and a backend reading a
 * request to EOF sees the client's; once both directions ended, or on an
 * error in either, both connections are closed. */
#define PROXY_BUFFER (64 * 1024)

typedef struct _Proxy Proxy;

typedef struct
{
  Proxy             *proxy;
  GSocketConnection *from, *to;
  guint8            *buffer;
  gboolean           done;
} ProxyDirection;

struct _Proxy
{
  int                refs;
  GSocketConnection *client, *backend;
  GCancellable      *cancel;
  ProxyDirection     up, down; /* client -> backend, backend -> client */
  gboolean           closed;
};

static void
proxy_unref (Proxy *proxy)
{
  if (--proxy->refs > 0)
    return;
  g_object_unref (proxy->client);
  g_object_unref (proxy->backend);
  g_object_unref (proxy->cancel);
  g_free (proxy->up.buffer);
  g_free (proxy->down.buffer);
  g_free (proxy);
}

static void
proxy_close (Proxy *proxy)
{
  if (proxy->closed)
    return;
  proxy->closed = TRUE;
  g_cancellable_cancel (proxy->cancel);
  g_io_stream_close (G_IO_STREAM (proxy->client), NULL, NULL);
  g_io_stream_close (G_IO_STREAM (proxy->backend), NULL, NULL);
}

static void proxy_read (ProxyDirection *dir);

static void
proxy_written (GObject *source, GAsyncResult *result, gpointer data)
{
  ProxyDirection *dir = data;
  Proxy          *proxy = dir->proxy;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    proxy_close (proxy);
  else if (!proxy->closed)
    proxy_read (dir);
  proxy_unref (proxy);
}

static void
proxy_got (GObject *source, GAsyncResult *result, gpointer data)
{
  ProxyDirection *dir = data;
  Proxy          *proxy = dir->proxy;
  gssize          n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n < 0 || proxy->closed)
    proxy_close (proxy);
  else if (n == 0)
    {
      /* end of this direction: pass the half-close on */
      dir->done = TRUE;
      if (proxy->up.done && proxy->down.done)
        proxy_close (proxy);
      else if (!g_socket_shutdown (g_socket_connection_get_socket (dir->to), FALSE, TRUE, NULL))
        proxy_close (proxy);
    }
  else
    {
      proxy->refs++;
      g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (dir->to)),
                                       dir->buffer, (gsize)n, G_PRIORITY_DEFAULT, proxy->cancel,
                                       proxy_written, dir);
    }
  proxy_unref (proxy);
}

static void
proxy_read (ProxyDirection *dir)
{
  dir->proxy->refs++;
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (dir->from)), dir->buffer,
                             PROXY_BUFFER, G_PRIORITY_DEFAULT, dir->proxy->cancel, proxy_got, dir);
}

static void
proxy_start (GSocketConnection *client, GSocketConnection *backend)
{
  Proxy *proxy = g_new0 (Proxy, 1);

  proxy->refs = 1;
  proxy->client = g_object_ref (client);
  proxy->backend = g_object_ref (backend);
  proxy->cancel = g_cancellable_new ();
  proxy->up = (ProxyDirection){ proxy, client, backend, g_malloc (PROXY_BUFFER), FALSE };
  proxy->down = (ProxyDirection){ proxy, backend, client, g_malloc (PROXY_BUFFER), FALSE };
  proxy_read (&proxy->up);
  proxy_read (&proxy->down);
  proxy_unref (proxy); /* the pending reads hold it */
}

static void
proxy_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  GIOStream *client = data;
  g_autoptr (GSocketConnection) backend
      = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, NULL);

  if (backend != NULL)
    proxy_start (G_SOCKET_CONNECTION (client), backend);
  else
    g_io_stream_close (client, NULL, NULL);
  g_object_unref (client);
}

/* Splices an accepted connection to addr; FALSE (the connection is
 * closed) without a backend. */
static gboolean
proxy_to (GSocketConnection *connection, GSocketAddress *addr)
{
  g_autoptr (GSocketClient) client = NULL;

  if (addr == NULL)
    return FALSE;
  client = g_socket_client_new ();
  g_socket_client_set_timeout (client, 10);
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (addr), NULL, proxy_connected,
                                 g_object_ref (connection));
  return TRUE;
}

static gboolean
node_port_incoming (GSocketService    *service,
                    GSocketConnection *connection,
                    GObject           *source,
                    gpointer           data)
{
  NodePort *np = data;
  g_autoptr (GSocketAddress) addr
      = service_backend (np->agent, np->ns, np->service, "nodePort", np->node_port, &np->next);

  return proxy_to (connection, addr); /* no ready pod: the connection is closed */
}

static void
node_ports_update (KsSim *sim, KsResource *res, const char *type, JsonObject *obj, gpointer data)
{
  PodmanAgent *agent = data;
  JsonObject  *spec = ks_json_get_object (obj, "spec");
  const char  *kind = ks_json_get_string (spec, "type");
  JsonArray   *ports = ks_json_get_array (spec, "ports");
  gboolean     gone = g_strcmp0 (type, "DELETED") == 0;
  g_autoptr (GHashTable) wanted = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer       key, value;

  if (g_strcmp0 (res->kind, "Service") != 0 || res->group == NULL || *res->group != '\0')
    return;
  if (!gone && (g_strcmp0 (kind, "NodePort") == 0 || g_strcmp0 (kind, "LoadBalancer") == 0))
    for (guint i = 0; ports != NULL && i < json_array_get_length (ports); i++)
      {
        gint64 np = ks_json_get_int (json_array_get_object_element (ports, i), "nodePort", 0);
        if (np > 0 && np < 65536)
          g_hash_table_add (wanted, GINT_TO_POINTER ((gint)np));
      }
  /* Listeners of this service that it no longer asks for go. */
  g_hash_table_iter_init (&iter, agent->node_ports);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      NodePort *np = value;
      if (g_strcmp0 (np->ns, ks_meta_namespace (obj)) == 0
          && g_strcmp0 (np->service, ks_meta_name (obj)) == 0
          && !g_hash_table_contains (wanted, key))
        g_hash_table_iter_remove (&iter);
    }
  g_hash_table_iter_init (&iter, wanted);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autoptr (GInetAddress) lo = NULL;
      g_autoptr (GSocketAddress) addr = NULL;
      g_autoptr (GError) error = NULL;
      NodePort *np;
      if (g_hash_table_contains (agent->node_ports, key))
        continue;
      np = g_new0 (NodePort, 1);
      np->agent = agent;
      np->node_port = (guint16)GPOINTER_TO_INT (key);
      np->ns = g_strdup (ks_meta_namespace (obj));
      np->service = g_strdup (ks_meta_name (obj));
      np->listener = g_socket_service_new ();
      lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      addr = g_inet_socket_address_new (lo, np->node_port);
      if (!g_socket_listener_add_address (G_SOCKET_LISTENER (np->listener), addr,
                                          G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, NULL,
                                          &error))
        {
          g_printerr ("hero-virt-kube-sim: service %s/%s: cannot listen on 127.0.0.1:%u: %s\n",
                      np->ns, np->service, np->node_port, error->message);
          node_port_free (np);
          continue;
        }
      g_signal_connect (np->listener, "incoming", G_CALLBACK (node_port_incoming), np);
      g_socket_service_start (np->listener);
      g_hash_table_insert (agent->node_ports, key, np);
    }
}

/* ---- Services' ClusterIPs: a proxy per service port on the bridge ----
 *
 * Pods reach ClusterIP:port like this: a private nftables table
 * ("ip hero_virt_kube_sim_PID") DNATs TCP from this agent's pod IPs to
 * ClusterIP:port onto GATEWAY:proxyPort, where GATEWAY is the podman
 * bridge's own address (the pods' default route) and proxyPort a listener
 * of the agent's, which splices each connection to a ready pod of the
 * service as the NodePort listeners do. Only this agent's pods match, so
 * simulators sharing the bridge (and their equal ClusterIPs) stay apart.
 * The table is replaced whole on every change and deleted on exit (and,
 * when a killed simulator left one, on the next start). Names resolve
 * through each pod's /etc/hosts (write_hosts). docs/kube-sim.md has the
 * design and its limits. */

typedef struct
{
  PodmanAgent    *agent;
  char           *ns, *service, *cluster_ip;
  gint64          port;
  guint16         proxy_port;
  GSocketService *listener;
  guint           next;
} ClusterPort;

static void
cluster_port_free (ClusterPort *cp)
{
  g_socket_service_stop (cp->listener);
  g_socket_listener_close (G_SOCKET_LISTENER (cp->listener));
  g_object_unref (cp->listener);
  g_free (cp->ns);
  g_free (cp->service);
  g_free (cp->cluster_ip);
  g_free (cp);
}

static gboolean
cluster_port_incoming (GSocketService    *service,
                       GSocketConnection *connection,
                       GObject           *source,
                       gpointer           data)
{
  ClusterPort *cp = data;
  g_autoptr (GSocketAddress) addr
      = service_backend (cp->agent, cp->ns, cp->service, "port", cp->port, &cp->next);

  return proxy_to (connection, addr);
}

/* A listener on ip, on a port of the kernel's choice. IP_FREEBIND: the
 * bridge may not exist before the first pod (a per-socket option; no
 * global sysctl changes). */
static GSocketService *
listen_free_bind (const char *ip, guint16 *port, GError **error)
{
  g_autoptr (GSocket) sock = NULL;
  g_autoptr (GInetAddress) inet = g_inet_address_new_from_string (ip);
  g_autoptr (GSocketAddress) addr = NULL;
  g_autoptr (GSocketAddress) local = NULL;
  GSocketService *service;

  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "bad address %s", ip);
      return NULL;
    }
  sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (sock == NULL)
    return NULL;
  if (!g_socket_set_option (sock, IPPROTO_IP, IP_FREEBIND, 1, error))
    return NULL;
  addr = g_inet_socket_address_new (inet, 0);
  if (!g_socket_bind (sock, addr, FALSE, error) || !g_socket_listen (sock, error))
    return NULL;
  local = g_socket_get_local_address (sock, error);
  if (local == NULL)
    return NULL;
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  service = g_socket_service_new ();
  if (!g_socket_listener_add_socket (G_SOCKET_LISTENER (service), sock, NULL, error))
    {
      g_object_unref (service);
      return NULL;
    }
  return service;
}

static gboolean
run_nft (const char *script, GError **error)
{
  g_autoptr (GSubprocess) proc
      = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                              | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                          error, "nft", "-f", "-", NULL);
  g_autofree char *err = NULL;

  if (proc == NULL || !g_subprocess_communicate_utf8 (proc, script, NULL, NULL, &err, error))
    return FALSE;
  if (!g_subprocess_get_successful (proc))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "nft: %s", err ? g_strstrip (err) : "");
      return FALSE;
    }
  return TRUE;
}

/* The whole table: the set of this agent's pod IPs and one DNAT rule per
 * service port. "table" then "delete table" makes the replacement atomic
 * whether or not it existed. */
static char *
nft_script (PodmanAgent *agent)
{
  GString       *out = g_string_new (NULL);
  GHashTableIter iter;
  gpointer       value;
  gboolean       first = TRUE;

  g_string_append_printf (out, "table ip %s\ndelete table ip %s\ntable ip %s {\n", agent->nft_table,
                          agent->nft_table, agent->nft_table);
  g_string_append (out, "  set pods {\n    type ipv4_addr\n");
  g_hash_table_iter_init (&iter, agent->pods);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PodRec *rec = value;
      if (rec->tearing || rec->ip == NULL || !g_hostname_is_ip_address (rec->ip))
        continue;
      g_string_append_printf (out, "%s%s", first ? "    elements = { " : ", ", rec->ip);
      first = FALSE;
    }
  if (!first)
    g_string_append (out, " }\n");
  g_string_append (out, "  }\n  chain prerouting {\n"
                        "    type nat hook prerouting priority dstnat - 10; policy accept;\n");
  g_hash_table_iter_init (&iter, agent->cluster_ports);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ClusterPort *cp = value;
      g_string_append_printf (
          out, "    ip saddr @pods ip daddr %s tcp dport %" G_GINT64_FORMAT " dnat to %s:%u\n",
          cp->cluster_ip, cp->port, agent->gateway, cp->proxy_port);
    }
  g_string_append (out, "  }\n}\n");
  return g_string_free (out, FALSE);
}

static void nft_run (PodmanAgent *agent);

static void
nft_done (GObject *source, GAsyncResult *result, gpointer data)
{
  PodmanAgent *agent = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  gboolean         ok
      = g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, NULL, &err, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* the agent is gone */
  if (!ok || !g_subprocess_get_successful (G_SUBPROCESS (source)))
    g_printerr ("hero-virt-kube-sim: updating ClusterIP rules: %s\n", error ? error->message
                                                                      : err ? g_strstrip (err)
                                                                            : "nft failed");
  g_clear_object (&agent->nft_proc);
  if (agent->nft_dirty)
    nft_run (agent);
}

/* One update at a time; a change meanwhile runs one more after it. */
static void
nft_run (PodmanAgent *agent)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *script = NULL;

  agent->nft_dirty = FALSE;
  script = nft_script (agent);
  agent->nft_proc
      = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                              | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                          &error, "nft", "-f", "-", NULL);
  if (agent->nft_proc == NULL)
    {
      g_printerr ("hero-virt-kube-sim: updating ClusterIP rules: %s\n", error->message);
      return;
    }
  g_subprocess_communicate_utf8_async (agent->nft_proc, script, agent->nft_cancel, nft_done, agent);
}

static gboolean
nft_idle (gpointer data)
{
  PodmanAgent *agent = data;

  agent->nft_idle = 0;
  if (agent->nft_proc != NULL)
    agent->nft_dirty = TRUE;
  else
    nft_run (agent);
  return G_SOURCE_REMOVE;
}

static void
cluster_ips_sync (PodmanAgent *agent)
{
  if (agent->nft_table != NULL && agent->nft_idle == 0)
    agent->nft_idle = g_idle_add (nft_idle, agent);
}

/* Tables of simulators that died without removing theirs. */
static void
nft_remove_stale (void)
{
  g_autofree char *out = NULL;
  const char      *argv[] = { "nft", "list", "tables", NULL };
  g_auto (GStrv) lines = NULL;

  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, NULL, NULL))
    return;
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char      *name = g_str_has_prefix (lines[i], "table ip hero_virt_kube_sim_")
                                  ? lines[i] + strlen ("table ip ")
                                  : NULL;
      g_autofree char *proc = NULL;
      g_autofree char *script = NULL;
      gint64           pid;
      if (name == NULL)
        continue;
      pid = g_ascii_strtoll (name + strlen ("hero_virt_kube_sim_"), NULL, 10);
      proc = g_strdup_printf ("/proc/%" G_GINT64_FORMAT, pid);
      if (pid <= 0 || g_file_test (proc, G_FILE_TEST_EXISTS))
        continue;
      script = g_strdup_printf ("delete table ip %s\n", name);
      run_nft (script, NULL);
    }
}

/* The bridge's address from the podman network, else podman's default. */
static char *
bridge_gateway (PodmanAgent *agent)
{
  guint status = 0;
  g_autoptr (JsonNode) reply
      = ks_podman_raw_call (agent->pm, "GET", "/libpod/networks/podman/json", NULL, &status, NULL);
  JsonObject *net = ks_podman_reply_object (reply, "network inspect", NULL);
  JsonArray  *subnets = ks_json_get_array (net, "subnets");
  const char *gw = subnets && json_array_get_length (subnets) > 0
                       ? ks_json_get_string (json_array_get_object_element (subnets, 0), "gateway")
                       : NULL;

  return g_strdup (gw && g_hostname_is_ip_address (gw) ? gw : "10.88.0.1");
}

static void
cluster_ips_start (PodmanAgent *agent)
{
  g_autofree char *nft = g_find_program_in_path ("nft");
  g_autoptr (GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("hero_virt_kube_sim_%d", (int)getpid ());
  g_autofree char *probe = g_strdup_printf ("table ip %s\ndelete table ip %s\n", name, name);

  agent->cluster_ports
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)cluster_port_free);
  agent->gateway = bridge_gateway (agent);
  if (nft == NULL)
    {
      g_printerr ("hero-virt-kube-sim: nft is missing: pods cannot reach Services by "
                  "ClusterIP (install nftables)\n");
      return;
    }
  nft_remove_stale ();
  if (!run_nft (probe, &error))
    {
      g_printerr ("hero-virt-kube-sim: pods cannot reach Services by ClusterIP: %s\n",
                  error->message);
      return;
    }
  agent->nft_table = g_steal_pointer (&name);
  agent->nft_cancel = g_cancellable_new ();
}

static void
cluster_ips_stop (PodmanAgent *agent)
{
  if (agent->nft_idle)
    g_source_remove (agent->nft_idle);
  agent->nft_idle = 0;
  if (agent->nft_cancel)
    g_cancellable_cancel (agent->nft_cancel);
  if (agent->nft_proc != NULL)
    {
      /* Its script may never be written now (the main loop has ended); a
       * batch is atomic, so killing it leaves all or nothing, and the
       * delete below copes with either. */
      g_subprocess_force_exit (agent->nft_proc);
      g_subprocess_wait (agent->nft_proc, NULL, NULL);
    }
  if (agent->nft_table != NULL)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *script = g_strdup_printf ("table ip %s\ndelete table ip %s\n",
                                                 agent->nft_table, agent->nft_table);
      if (!run_nft (script, &error))
        g_printerr ("hero-virt-kube-sim: removing the ClusterIP rules: %s\n", error->message);
    }
  g_clear_pointer (&agent->cluster_ports, g_hash_table_unref);
  g_clear_object (&agent->nft_proc);
  g_clear_object (&agent->nft_cancel);
  g_clear_pointer (&agent->nft_table, g_free);
  g_clear_pointer (&agent->gateway, g_free);
}

static gboolean
has_cluster_ip (JsonObject *svc)
{
  JsonObject *spec = ks_json_get_object (svc, "spec");
  const char *ip = ks_json_get_string (spec, "clusterIP");

  return ip != NULL && g_hostname_is_ip_address (ip)
         && g_strcmp0 (ks_json_get_string (spec, "type"), "ExternalName") != 0;
}

/* /etc/hosts of a pod's containers, as kubelet's etc-hosts plus what a
 * cluster DNS would answer for Services: NAME.NS.svc.cluster.local,
 * NAME.NS.svc, NAME.NS and, in the pod's namespace, NAME. Rewritten in
 * place (the file is bind-mounted, a rename would not be seen). */
static void
write_hosts (PodRec *rec)
{
  KsResource *services = core (rec, "services");
  g_autoptr (GPtrArray) list = services ? ks_store_list (services, NULL) : NULL;
  JsonObject *spec = ks_json_get_object (rec->pod, "spec");
  const char *hostname = ks_json_get_string (spec, "hostname");
  JsonArray  *aliases = ks_json_get_array (spec, "hostAliases");
  g_autoptr (GString) out = g_string_new ("# Kubernetes-managed hosts file (hero-virt-kube-sim).\n"
                                          "127.0.0.1\tlocalhost\n"
                                          "::1\tlocalhost ip6-localhost ip6-loopback\n");
  g_autofree char *dir = NULL;
  int              fd;

  if (rec->hosts_path == NULL || rec->tearing)
    return;
  if (rec->ip != NULL)
    g_string_append_printf (out, "%s\t%s\n", rec->ip, hostname ? hostname : rec->name);
  for (guint i = 0; aliases != NULL && i < json_array_get_length (aliases); i++)
    {
      JsonObject *a = json_array_get_object_element (aliases, i);
      JsonArray  *names = ks_json_get_array (a, "hostnames");
      const char *ip = ks_json_get_string (a, "ip");
      if (ip == NULL || !g_hostname_is_ip_address (ip) || names == NULL)
        continue;
      g_string_append (out, ip);
      for (guint j = 0; j < json_array_get_length (names); j++)
        {
          JsonNode *n = json_array_get_element (names, j);
          if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
              && strpbrk (json_node_get_string (n), " \t\n#") == NULL)
            g_string_append_printf (out, " %s", json_node_get_string (n));
        }
      g_string_append_c (out, '\n');
    }
  g_string_append (out, "# Services\n");
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      JsonObject *svc = g_ptr_array_index (list, i);
      const char *name = ks_meta_name (svc), *ns = ks_meta_namespace (svc);
      if (!has_cluster_ip (svc) || name == NULL || ns == NULL)
        continue;
      g_string_append_printf (out, "%s\t%s.%s.svc.cluster.local %s.%s.svc %s.%s",
                              ks_json_get_string (ks_json_get_object (svc, "spec"), "clusterIP"),
                              name, ns, name, ns, name, ns);
      if (strcmp (ns, rec->ns) == 0)
        g_string_append_printf (out, " %s", name);
      g_string_append_c (out, '\n');
    }
  dir = g_path_get_dirname (rec->hosts_path);
  g_mkdir_with_parents (dir, 0755);
  fd = open (rec->hosts_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0 || write (fd, out->str, out->len) != (ssize_t)out->len)
    g_printerr ("hero-virt-kube-sim: writing %s: %s\n", rec->hosts_path, g_strerror (errno));
  if (fd >= 0)
    close (fd);
}

static void
cluster_ips_update (KsSim *sim, KsResource *res, const char *type, JsonObject *obj, gpointer data)
{
  PodmanAgent     *agent = data;
  JsonArray       *ports = ks_json_get_array (ks_json_get_object (obj, "spec"), "ports");
  const char      *ip = ks_json_get_string (ks_json_get_object (obj, "spec"), "clusterIP");
  gboolean         gone = g_strcmp0 (type, "DELETED") == 0 || !has_cluster_ip (obj);
  g_autofree char *prefix = NULL;
  g_autoptr (GHashTable) wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer       key, value;
  gboolean       changed = FALSE;

  if (g_strcmp0 (res->kind, "Service") != 0 || res->group == NULL || *res->group != '\0')
    return;
  prefix = g_strdup_printf ("%s/%s/", ks_meta_namespace (obj), ks_meta_name (obj));
  for (guint i = 0; !gone && ports != NULL && i < json_array_get_length (ports); i++)
    {
      JsonObject *p = json_array_get_object_element (ports, i);
      gint64      port = ks_json_get_int (p, "port", 0);
      if (port > 0 && port < 65536 && g_strcmp0 (ks_json_get_string (p, "protocol"), "UDP") != 0
          && g_strcmp0 (ks_json_get_string (p, "protocol"), "SCTP") != 0)
        g_hash_table_add (wanted, g_strdup_printf ("%s%s:%" G_GINT64_FORMAT, prefix, ip, port));
    }
  g_hash_table_iter_init (&iter, agent->cluster_ports);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_str_has_prefix (key, prefix) && !g_hash_table_contains (wanted, key))
      {
        g_hash_table_iter_remove (&iter);
        changed = TRUE;
      }
  g_hash_table_iter_init (&iter, wanted);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autoptr (GError) error = NULL;
      ClusterPort *cp;
      if (g_hash_table_contains (agent->cluster_ports, key))
        continue;
      cp = g_new0 (ClusterPort, 1);
      cp->agent = agent;
      cp->ns = g_strdup (ks_meta_namespace (obj));
      cp->service = g_strdup (ks_meta_name (obj));
      cp->cluster_ip = g_strdup (ip);
      cp->port = g_ascii_strtoll (strrchr (key, ':') + 1, NULL, 10);
      cp->listener = listen_free_bind (agent->gateway, &cp->proxy_port, &error);
      if (cp->listener == NULL)
        {
          g_printerr ("hero-virt-kube-sim: service %s/%s: cannot listen on %s: %s\n", cp->ns,
                      cp->service, agent->gateway, error->message);
          g_free (cp->ns);
          g_free (cp->service);
          g_free (cp->cluster_ip);
          g_free (cp);
          continue;
        }
      g_signal_connect (cp->listener, "incoming", G_CALLBACK (cluster_port_incoming), cp);
      g_socket_service_start (cp->listener);
      g_hash_table_insert (agent->cluster_ports, g_strdup (key), cp);
      changed = TRUE;
    }
  if (changed)
    cluster_ips_sync (agent);
  /* Names: every pod's hosts file. */
  g_hash_table_iter_init (&iter, agent->pods);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((PodRec *)value)->sandbox_ready)
      write_hosts (value);
}

/* ---- life ---- */

static void
podman_free (KsNodeAgent *base)
{
  PodmanAgent   *agent = (PodmanAgent *)base;
  GHashTableIter iter;
  gpointer       value;

  if (agent->poll_source)
    g_source_remove (agent->poll_source);
  ks_store_remove_listener (base->sim, node_ports_update, agent);
  ks_store_remove_listener (base->sim, cluster_ips_update, agent);
  g_hash_table_unref (agent->node_ports);
  g_hash_table_iter_init (&iter, agent->pods);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PodRec *rec = value;
      rec->gone = TRUE;
      if (rec->retry_source)
        g_source_remove (rec->retry_source);
      rec->retry_source = 0;
      for (guint i = 0; i < rec->ctrs->len; i++)
        {
          CtrRec *c = g_ptr_array_index (rec->ctrs, i);
          stop_probes (c);
          if (c->backoff_source)
            g_source_remove (c->backoff_source);
          c->backoff_source = 0;
        }
    }
  /* Pending callbacks keep their own references; they never run after
   * this (the main loop has ended). */
  g_hash_table_unref (agent->pods);
  g_clear_object (&agent->http);
  cluster_ips_stop (agent);
  ks_podman_stop (agent->pm);
  g_free (base->node_name);
  g_free (agent);
}

static const KsNodeAgentVTable podman_vtable = {
  .name = "podman",
  .pod_scheduled = podman_pod_scheduled,
  .pod_terminating = podman_pod_terminating,
  .pod_removed = podman_pod_removed,
  .logs_open_async = podman_logs_open_async,
  .logs_open_finish = podman_logs_open_finish,
  .exec_async = podman_exec_async,
  .exec_finish = podman_exec_finish,
  .attach_async = podman_attach_async,
  .attach_finish = podman_exec_finish,
  .port_connect_async = podman_port_connect_async,
  .port_connect_finish = podman_port_connect_finish,
  .free = podman_free,
};

KsNodeAgent *
ks_podman_agent_new (KsSim *sim, const char *node_name, const char *root, GError **error)
{
  PodmanAgent     *agent;
  KsPodman        *pm;
  struct sigaction action;

  /* Exec and log pipes: a reader that went away is EPIPE, not a signal. */
  if (sigaction (SIGPIPE, NULL, &action) == 0 && action.sa_handler == SIG_DFL)
    signal (SIGPIPE, SIG_IGN);
  pm = ks_podman_start (root, error);
  if (pm == NULL)
    return NULL;
  agent = g_new0 (PodmanAgent, 1);
  agent->parent.vtable = &podman_vtable;
  agent->parent.sim = sim;
  agent->parent.node_name = g_strdup (node_name);
  /* this agent serves NodePort services on 127.0.0.1 */
  agent->parent.node_address = "127.0.0.1";
  agent->pm = pm;
  agent->pods = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)rec_unref);
  agent->http = soup_session_new_with_options ("timeout", 10, "max-conns", 256,
                                               "max-conns-per-host", 16, NULL);
  agent->poll_source = g_timeout_add (POLL_MS, poll_tick, agent);
  agent->node_ports = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)node_port_free);
  ks_store_add_listener (sim, node_ports_update, agent);
  cluster_ips_start (agent);
  ks_store_add_listener (sim, cluster_ips_update, agent);
  return &agent->parent;
}
