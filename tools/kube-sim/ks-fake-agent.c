/* ks-fake-agent.c: a node agent that runs nothing. A scheduled pod becomes
 * Running and Ready after a delay; a terminating pod goes away shortly after. */
#include "ks-node-agent.h"

#include <string.h>

typedef struct
{
  KsNodeAgent parent;
  guint       ready_delay_ms;
  GHashTable *timers; /* pod uid -> source id */
} FakeAgent;

typedef struct
{
  FakeAgent *agent;
  char      *ns, *name, *uid;
  gboolean   terminating;
  gboolean   completing; /* a job's pod: it ends with exit code 0 */
} PodTimer;

static void
pod_timer_free (PodTimer *t)
{
  g_free (t->ns);
  g_free (t->name);
  g_free (t->uid);
  g_free (t);
}

static JsonObject *
condition (const char *type, gboolean value, const char *now)
{
  JsonObject *c = json_object_new ();

  json_object_set_string_member (c, "type", type);
  json_object_set_string_member (c, "status", value ? "True" : "False");
  json_object_set_null_member (c, "lastProbeTime");
  json_object_set_string_member (c, "lastTransitionTime", now);
  return c;
}

static JsonObject *
running_status (KsSim *sim, JsonObject *pod)
{
  JsonObject      *status = json_object_new ();
  JsonArray       *conditions = json_array_new ();
  JsonArray       *statuses = json_array_new ();
  JsonArray       *containers = ks_json_get_array (ks_json_get_object (pod, "spec"), "containers");
  g_autofree char *now = ks_now_rfc3339 ();
  const char      *old_ip = ks_json_get_string (ks_json_get_object (pod, "status"), "podIP");
  g_autofree char *ip = old_ip ? g_strdup (old_ip) : ks_allocate_pod_ip (sim);
  JsonArray       *ips = json_array_new ();
  JsonObject      *ip_obj = json_object_new ();

  json_object_set_string_member (status, "phase", "Running");
  json_array_add_object_element (conditions, condition ("PodReadyToStartContainers", TRUE, now));
  json_array_add_object_element (conditions, condition ("Initialized", TRUE, now));
  json_array_add_object_element (conditions, condition ("Ready", TRUE, now));
  json_array_add_object_element (conditions, condition ("ContainersReady", TRUE, now));
  json_array_add_object_element (conditions, condition ("PodScheduled", TRUE, now));
  json_object_set_array_member (status, "conditions", conditions);
  json_object_set_string_member (status, "hostIP", "10.0.0.10");
  {
    JsonArray  *hips = json_array_new ();
    JsonObject *h = json_object_new ();
    json_object_set_string_member (h, "ip", "10.0.0.10");
    json_array_add_object_element (hips, h);
    json_object_set_array_member (status, "hostIPs", hips);
  }
  json_object_set_string_member (status, "podIP", ip);
  json_object_set_string_member (ip_obj, "ip", ip);
  json_array_add_object_element (ips, ip_obj);
  json_object_set_array_member (status, "podIPs", ips);
  json_object_set_string_member (status, "startTime", now);
  for (guint i = 0; containers != NULL && i < json_array_get_length (containers); i++)
    {
      JsonObject      *c = json_array_get_object_element (containers, i);
      JsonObject      *cs = json_object_new ();
      JsonObject      *state = json_object_new ();
      JsonObject      *running = json_object_new ();
      const char      *image = ks_json_get_string (c, "image");
      g_autofree char *id
          = g_strdup_printf ("containerd://%08x%08x", g_random_int (), g_random_int ());
      json_object_set_string_member (cs, "name", ks_json_get_string (c, "name"));
      json_object_set_string_member (running, "startedAt", now);
      json_object_set_object_member (state, "running", running);
      json_object_set_object_member (cs, "state", state);
      json_object_set_object_member (cs, "lastState", json_object_new ());
      json_object_set_boolean_member (cs, "ready", TRUE);
      json_object_set_int_member (cs, "restartCount", 0);
      json_object_set_string_member (cs, "image", image ? image : "");
      json_object_set_string_member (cs, "imageID", image ? image : "");
      json_object_set_string_member (cs, "containerID", id);
      json_object_set_boolean_member (cs, "started", TRUE);
      json_array_add_object_element (statuses, cs);
    }
  json_object_set_array_member (status, "containerStatuses", statuses);
  json_object_set_string_member (status, "qosClass", "BestEffort");
  return status;
}

static gboolean
owned_by_job (JsonObject *pod)
{
  JsonArray *refs = ks_json_get_array (ks_meta (pod), "ownerReferences");

  for (guint i = 0; refs != NULL && i < json_array_get_length (refs); i++)
    if (g_strcmp0 (ks_json_get_string (json_array_get_object_element (refs, i), "kind"), "Job")
        == 0)
      return TRUE;
  return FALSE;
}

static JsonObject *
completed_status (JsonObject *pod)
{
  JsonObject      *status = ks_json_object_deep_copy (ks_json_get_object (pod, "status"));
  JsonArray       *conditions = ks_json_get_array (status, "conditions");
  JsonArray       *statuses = ks_json_get_array (status, "containerStatuses");
  g_autofree char *now = ks_now_rfc3339 ();

  json_object_set_string_member (status, "phase", "Succeeded");
  for (guint i = 0; conditions != NULL && i < json_array_get_length (conditions); i++)
    {
      JsonObject *c = json_array_get_object_element (conditions, i);
      const char *type = ks_json_get_string (c, "type");
      if (g_strcmp0 (type, "Ready") == 0 || g_strcmp0 (type, "ContainersReady") == 0)
        {
          json_object_set_string_member (c, "status", "False");
          json_object_set_string_member (c, "reason", "PodCompleted");
          json_object_set_string_member (c, "lastTransitionTime", now);
        }
    }
  for (guint i = 0; statuses != NULL && i < json_array_get_length (statuses); i++)
    {
      JsonObject *cs = json_array_get_object_element (statuses, i);
      JsonObject *state = json_object_new ();
      JsonObject *done = json_object_new ();
      const char *started = ks_json_get_string (
          ks_json_get_object (ks_json_get_object (cs, "state"), "running"), "startedAt");
      json_object_set_int_member (done, "exitCode", 0);
      json_object_set_string_member (done, "reason", "Completed");
      json_object_set_string_member (done, "startedAt", started ? started : now);
      json_object_set_string_member (done, "finishedAt", now);
      if (ks_json_get_string (cs, "containerID"))
        json_object_set_string_member (done, "containerID", ks_json_get_string (cs, "containerID"));
      json_object_set_object_member (state, "terminated", done);
      json_object_set_object_member (cs, "state", state);
      json_object_set_boolean_member (cs, "ready", FALSE);
      json_object_set_boolean_member (cs, "started", FALSE);
    }
  return status;
}

static void schedule (FakeAgent  *agent,
                      JsonObject *pod,
                      guint       delay,
                      gboolean    terminating,
                      gboolean    completing);

static gboolean
timer_fired (gpointer data)
{
  PodTimer   *t = data;
  FakeAgent  *agent = t->agent;
  KsSim      *sim = agent->parent.sim;
  KsResource *pods = ks_resource_find (sim, "", "v1", "pods");
  JsonObject *pod = ks_store_get (pods, t->ns, t->name);

  g_hash_table_remove (agent->timers, t->uid);
  if (pod == NULL || g_strcmp0 (ks_meta_uid (pod), t->uid) != 0)
    return G_SOURCE_REMOVE;
  if (t->terminating)
    ks_pod_remove (sim, t->ns, t->name, t->uid);
  else if (t->completing)
    {
      g_autoptr (JsonObject) status = completed_status (pod);
      ks_pod_set_status (sim, t->ns, t->name, t->uid, status);
    }
  else if (!json_object_has_member (ks_meta (pod), "deletionTimestamp"))
    {
      g_autoptr (JsonObject) status = running_status (sim, pod);
      JsonArray *containers = ks_json_get_array (ks_json_get_object (pod, "spec"), "containers");
      json_object_ref (pod);
      for (guint i = 0; containers != NULL && i < json_array_get_length (containers); i++)
        {
          JsonObject      *c = json_array_get_object_element (containers, i);
          g_autofree char *pulled = g_strdup_printf ("Container image \"%s\" already present on "
                                                     "machine",
                                                     ks_json_get_string (c, "image"));
          g_autofree char *created
              = g_strdup_printf ("Created container: %s", ks_json_get_string (c, "name"));
          g_autofree char *started
              = g_strdup_printf ("Started container %s", ks_json_get_string (c, "name"));
          ks_event_record (sim, pods, pod, "Normal", "Pulled", "kubelet", pulled);
          ks_event_record (sim, pods, pod, "Normal", "Created", "kubelet", created);
          ks_event_record (sim, pods, pod, "Normal", "Started", "kubelet", started);
        }
      ks_pod_set_status (sim, t->ns, t->name, t->uid, status);
      if (owned_by_job (pod))
        schedule (agent, pod, agent->ready_delay_ms, FALSE, TRUE);
      json_object_unref (pod);
    }
  return G_SOURCE_REMOVE;
}

static void
schedule (FakeAgent *agent, JsonObject *pod, guint delay, gboolean terminating, gboolean completing)
{
  PodTimer *t = g_new0 (PodTimer, 1);
  guint     id;

  t->agent = agent;
  t->ns = g_strdup (ks_meta_namespace (pod));
  t->name = g_strdup (ks_meta_name (pod));
  t->uid = g_strdup (ks_meta_uid (pod));
  t->terminating = terminating;
  t->completing = completing;
  id = g_timeout_add_full (G_PRIORITY_DEFAULT, delay, timer_fired, t,
                           (GDestroyNotify)pod_timer_free);
  g_hash_table_replace (agent->timers, g_strdup (t->uid), GUINT_TO_POINTER (id));
}

static void
fake_pod_scheduled (KsNodeAgent *base, JsonObject *pod)
{
  schedule ((FakeAgent *)base, pod, ((FakeAgent *)base)->ready_delay_ms, FALSE, FALSE);
}

static void
fake_pod_terminating (KsNodeAgent *base, JsonObject *pod)
{
  FakeAgent *agent = (FakeAgent *)base;
  gpointer   id;

  if (g_hash_table_lookup_extended (agent->timers, ks_meta_uid (pod), NULL, &id))
    {
      g_source_remove (GPOINTER_TO_UINT (id));
      g_hash_table_remove (agent->timers, ks_meta_uid (pod));
    }
  /* Containers "stop" quickly; the grace period is an upper bound. */
  schedule (agent, pod, MIN (agent->ready_delay_ms, 200), TRUE, FALSE);
}

static void
fake_pod_removed (KsNodeAgent *base, JsonObject *pod)
{
  FakeAgent *agent = (FakeAgent *)base;
  gpointer   id;

  if (g_hash_table_lookup_extended (agent->timers, ks_meta_uid (pod), NULL, &id))
    {
      g_source_remove (GPOINTER_TO_UINT (id));
      g_hash_table_remove (agent->timers, ks_meta_uid (pod));
    }
}

static char *
fake_pod_logs (KsNodeAgent *base, JsonObject *pod, const char *container)
{
  return g_strdup_printf ("kube-sim: pod %s/%s is simulated and writes no logs\n",
                          ks_meta_namespace (pod), ks_meta_name (pod));
}

static void
fake_free (KsNodeAgent *base)
{
  FakeAgent     *agent = (FakeAgent *)base;
  GHashTableIter iter;
  gpointer       id;

  g_hash_table_iter_init (&iter, agent->timers);
  while (g_hash_table_iter_next (&iter, NULL, &id))
    g_source_remove (GPOINTER_TO_UINT (id));
  g_hash_table_unref (agent->timers);
  g_free (base->node_name);
  g_free (agent);
}

static const KsNodeAgentVTable fake_vtable = {
  .name = "fake",
  .pod_scheduled = fake_pod_scheduled,
  .pod_terminating = fake_pod_terminating,
  .pod_removed = fake_pod_removed,
  .pod_logs = fake_pod_logs,
  .free = fake_free,
};

KsNodeAgent *
ks_fake_agent_new (KsSim *sim, const char *node_name, guint ready_delay_ms)
{
  FakeAgent *agent = g_new0 (FakeAgent, 1);

  agent->parent.vtable = &fake_vtable;
  agent->parent.sim = sim;
  agent->parent.node_name = g_strdup (node_name);
  agent->ready_delay_ms = ready_delay_ms;
  agent->timers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return &agent->parent;
}
