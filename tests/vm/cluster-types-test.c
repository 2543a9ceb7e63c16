/* cluster-types-test.c: cluster kinds, names, selectors, resources,
 * errors and the watch stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <hero-virt.h>

static void
test_names (void)
{
  static const char *const labels_ok[] = { "a", "my-name", "123-abc", "x0" };
  static const char *const labels_bad[]
      = { "",
          "-a",
          "a-",
          "A",
          "a_b",
          "a.b",
          "x; rm -rf /",
          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" /* 64 */ };
  static const char *const subdomains_ok[] = { "example.com", "web-1", "a.b-c.d", "0" };
  static const char *const subdomains_bad[]
      = { "", ".a", "a.", "a..b", "Web", "a/b", "a_b", "--privileged" };
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (labels_ok); i++)
    g_assert_true (hero_virt_kube_validate_dns1123_label (labels_ok[i], NULL));
  for (guint i = 0; i < G_N_ELEMENTS (labels_bad); i++)
    g_assert_false (hero_virt_kube_validate_dns1123_label (labels_bad[i], NULL));
  for (guint i = 0; i < G_N_ELEMENTS (subdomains_ok); i++)
    g_assert_true (hero_virt_kube_validate_dns1123_subdomain (subdomains_ok[i], NULL));
  for (guint i = 0; i < G_N_ELEMENTS (subdomains_bad); i++)
    g_assert_false (hero_virt_kube_validate_dns1123_subdomain (subdomains_bad[i], NULL));

  g_assert_false (hero_virt_kube_validate_dns1123_label ("a.b", &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "must not contain dots"));
  g_clear_error (&error);
  g_assert_false (hero_virt_kube_validate_dns1123_subdomain ("Web", &error));
  g_assert_nonnull (strstr (error->message, "a lowercase RFC 1123 subdomain must consist of"));
  g_clear_error (&error);

  g_assert_true (hero_virt_kube_validate_dns1035_label ("web", NULL));
  g_assert_false (hero_virt_kube_validate_dns1035_label ("1web", &error));
  g_assert_nonnull (strstr (error->message, "DNS-1035"));
  g_clear_error (&error);

  g_assert_true (hero_virt_kube_validate_label_key ("app", NULL));
  g_assert_true (hero_virt_kube_validate_label_key ("app.kubernetes.io/name", NULL));
  g_assert_false (hero_virt_kube_validate_label_key ("Bad_Prefix/name", NULL));
  g_assert_false (hero_virt_kube_validate_label_key ("a/", NULL));
  g_assert_false (hero_virt_kube_validate_label_key ("-a", NULL));
  g_assert_true (hero_virt_kube_validate_label_value ("", NULL));
  g_assert_true (hero_virt_kube_validate_label_value ("v1.2_3-x", NULL));
  g_assert_false (hero_virt_kube_validate_label_value ("a b", NULL));
}

static void
test_kinds (void)
{
  g_autoptr (HeroVirtClusterKind) pod = hero_virt_cluster_kind_lookup ("v1", "Pod");
  g_autoptr (HeroVirtClusterKind) deploy = hero_virt_cluster_kind_lookup (NULL, "deployments");
  g_autoptr (HeroVirtClusterKind) route
      = hero_virt_cluster_kind_lookup ("traefik.io/v1alpha1", "IngressRoute");
  g_autoptr (HeroVirtClusterKind) ns = hero_virt_cluster_kind_lookup ("v1", "Namespace");
  g_autoptr (HeroVirtClusterKind) svc = hero_virt_cluster_kind_lookup ("v1", "Service");
  g_autoptr (HeroVirtClusterKind) custom
      = hero_virt_cluster_kind_new ("example.com", "v1", "Widget", "widgets", TRUE);
  g_autoptr (HeroVirtClusterKind) hostile
      = hero_virt_cluster_kind_new ("x", "v1", "Bad", "../secrets", TRUE);
  g_autoptr (GError) error = NULL;
  g_autofree char *api_version = NULL;
  char            *path;

  g_assert_nonnull (pod);
  g_assert_cmpstr (hero_virt_cluster_kind_get_group (pod), ==, "");
  g_assert_true (hero_virt_cluster_kind_get_namespaced (pod));
  g_assert_cmpstr (hero_virt_cluster_kind_get_kind (deploy), ==, "Deployment");
  api_version = hero_virt_cluster_kind_get_api_version (deploy);
  g_assert_cmpstr (api_version, ==, "apps/v1");
  g_assert_cmpstr (hero_virt_cluster_kind_get_plural (route), ==, "ingressroutes");
  g_assert_null (hero_virt_cluster_kind_lookup ("traefik.containo.us/v1alpha1", "IngressRoute"));
  g_assert_null (hero_virt_cluster_kind_lookup ("apps/v1", "Pod"));
  g_assert_false (hero_virt_cluster_kind_get_namespaced (ns));

  path = hero_virt_cluster_kind_get_path (pod, "web", "nginx-0", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, "/api/v1/namespaces/web/pods/nginx-0");
  g_free (path);
  path = hero_virt_cluster_kind_get_path (route, "apps", NULL, &error);
  g_assert_cmpstr (path, ==, "/apis/traefik.io/v1alpha1/namespaces/apps/ingressroutes");
  g_free (path);
  path = hero_virt_cluster_kind_get_path (ns, NULL, "team-a", &error);
  g_assert_cmpstr (path, ==, "/api/v1/namespaces/team-a");
  g_free (path);
  path = hero_virt_cluster_kind_get_path (custom, NULL, NULL, &error);
  g_assert_cmpstr (path, ==, "/apis/example.com/v1/widgets");
  g_free (path);

  g_assert_null (hero_virt_cluster_kind_get_path (ns, "default", "x", &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (hero_virt_cluster_kind_get_path (pod, "web", "../../secrets", &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (hero_virt_cluster_kind_get_path (pod, "Web?x=1", "a", &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (hero_virt_cluster_kind_get_path (hostile, "web", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Each kind's own name rule. */
  g_assert_true (hero_virt_cluster_kind_validate_name (pod, "web.1", NULL));
  g_assert_false (hero_virt_cluster_kind_validate_name (ns, "web.1", NULL));
  g_assert_false (hero_virt_cluster_kind_validate_name (svc, "1web", NULL));
  g_assert_true (hero_virt_cluster_kind_validate_name (pod, "1web", NULL));
}

static void
test_resources (void)
{
  g_autoptr (HeroVirtClusterKind) route = hero_virt_cluster_kind_lookup (NULL, "IngressRoute");
  g_autoptr (HeroVirtClusterKind) found = NULL;
  g_autoptr (JsonNode) resource = hero_virt_kube_resource_new (route, "apps", "web");
  g_autoptr (JsonNode) list = NULL;
  g_autoptr (JsonNode) unknown
      = json_from_string ("{\"apiVersion\":\"x.io/v1\",\"kind\":\"Thing\"}", NULL);
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *json = json_to_string (resource, FALSE);

  g_assert_cmpstr (json, ==,
                   "{\"apiVersion\":\"traefik.io/v1alpha1\",\"kind\":\"IngressRoute\","
                   "\"metadata\":{\"name\":\"web\",\"namespace\":\"apps\"}}");
  g_assert_cmpstr (hero_virt_kube_resource_get_name (resource), ==, "web");
  g_assert_cmpstr (hero_virt_kube_resource_get_namespace (resource), ==, "apps");
  g_assert_cmpstr (hero_virt_kube_resource_get_kind (resource), ==, "IngressRoute");
  g_assert_null (hero_virt_kube_resource_get_uid (resource));

  found = hero_virt_cluster_kind_new_for_resource (resource, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_cluster_kind_get_plural (found), ==, "ingressroutes");
  g_assert_null (hero_virt_cluster_kind_new_for_resource (unknown, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  list = json_from_string (
      "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"10245\"},"
      "\"items\":[{\"metadata\":{\"name\":\"a\",\"uid\":\"u-1\",\"resourceVersion\":\"7\","
      "\"labels\":{\"app\":\"web\"}}},{\"metadata\":{\"name\":\"b\"}}]}",
      NULL);
  g_assert_cmpstr (hero_virt_kube_resource_get_resource_version (list), ==, "10245");
  items = hero_virt_kube_list_get_items (list);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (hero_virt_kube_resource_get_uid (g_ptr_array_index (items, 0)), ==, "u-1");
  g_assert_cmpstr (hero_virt_kube_resource_get_label (g_ptr_array_index (items, 0), "app"), ==,
                   "web");
  g_assert_null (hero_virt_kube_resource_get_label (g_ptr_array_index (items, 1), "app"));
}

static void
test_status_errors (void)
{
  static const struct
  {
    guint       http;
    const char *body;
    int         code;
  } cases[] = {
    { 404,
      "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"pods \\\"x\\\" not "
      "found\",\"reason\":\"NotFound\",\"code\":404}",
      HERO_VIRT_ERROR_NOT_FOUND },
    { 409,
      "{\"kind\":\"Status\",\"message\":\"pods \\\"x\\\" already "
      "exists\",\"reason\":\"AlreadyExists\",\"code\":409}",
      HERO_VIRT_ERROR_EXISTS },
    { 409,
      "{\"kind\":\"Status\",\"message\":\"Operation cannot be "
      "fulfilled\",\"reason\":\"Conflict\",\"code\":409}",
      HERO_VIRT_ERROR_CONFLICT },
    { 422,
      "{\"kind\":\"Status\",\"message\":\"Deployment.apps \\\"X\\\" is "
      "invalid\",\"reason\":\"Invalid\",\"code\":422}",
      HERO_VIRT_ERROR_INVALID_ARGUMENT },
    { 403,
      "{\"kind\":\"Status\",\"message\":\"pods is "
      "forbidden\",\"reason\":\"Forbidden\",\"code\":403}",
      HERO_VIRT_ERROR_AUTH },
    { 415,
      "{\"kind\":\"Status\",\"message\":\"unknown "
      "format\",\"reason\":\"UnsupportedMediaType\",\"code\":415}",
      HERO_VIRT_ERROR_NOT_SUPPORTED },
    { 500, NULL, HERO_VIRT_ERROR_NETWORK },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonNode) status = cases[i].body ? json_from_string (cases[i].body, NULL) : NULL;
      g_autoptr (GError) error = NULL;

      hero_virt_kube_set_error_from_status (&error, cases[i].http, status);
      g_assert_error (error, HERO_VIRT_ERROR, cases[i].code);
    }
  {
    g_autoptr (JsonNode) status = json_from_string (cases[0].body, NULL);
    g_autoptr (GError) error = NULL;

    hero_virt_kube_set_error_from_status (&error, 404, status);
    g_assert_cmpstr (error->message, ==, "pods \"x\" not found (NotFound)");
  }
}

static void
test_list_options (void)
{
  static const char *const good_labels[] = {
    "app=web", "app==web,tier!=db", "env in (prod, staging)",     "env notin (dev)",
    "app",     "!canary",           "app.kubernetes.io/name=web",
  };
  static const char *const bad_labels[] = {
    "=web", "app=web!", "env in prod", "env in (a b)", "Bad_/x=1", "app=a,", "a=b\n",
  };
  g_autoptr (HeroVirtClusterListOptions) options = hero_virt_cluster_list_options_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (
      hero_virt_cluster_list_options_add_label (
          hero_virt_cluster_list_options_add_label (options, "app", "web"), "canary", NULL)
      == options);
  g_assert_cmpstr (hero_virt_cluster_list_options_get_label_selector (options), ==,
                   "app=web,canary");
  hero_virt_cluster_list_options_set_field_selector (options,
                                                     "status.phase=Running,metadata.name!=x");
  hero_virt_cluster_list_options_set_limit (options, 500);
  hero_virt_cluster_list_options_set_timeout_seconds (options, 30);
  g_assert_true (hero_virt_cluster_list_options_validate (options, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (good_labels); i++)
    {
      hero_virt_cluster_list_options_set_label_selector (options, good_labels[i]);
      if (!hero_virt_cluster_list_options_validate (options, &error))
        g_error ("“%s” rejected: %s", good_labels[i], error->message);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_labels); i++)
    {
      hero_virt_cluster_list_options_set_label_selector (options, bad_labels[i]);
      if (hero_virt_cluster_list_options_validate (options, &error))
        g_error ("“%s” accepted", bad_labels[i]);
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }
  hero_virt_cluster_list_options_set_label_selector (options, NULL);
  hero_virt_cluster_list_options_set_field_selector (options, "status.phase");
  g_assert_false (hero_virt_cluster_list_options_validate (options, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
}

static HeroVirtClusterWatchEvent *
event_for (const char *type, const char *name)
{
  g_autofree char *json = g_strdup_printf (
      "{\"type\":\"%s\",\"object\":{\"metadata\":{\"name\":\"%s\"}}}", type, name);
  g_autoptr (JsonNode) node = json_from_string (json, NULL);
  g_autoptr (GError) error = NULL;
  HeroVirtClusterWatchEvent *event = hero_virt_cluster_watch_event_new_from_json (node, &error);

  g_assert_no_error (error);
  return event;
}

static gpointer
produce (gpointer data)
{
  HeroVirtClusterWatch    *watch = data;
  static const char *const types[] = { "ADDED", "MODIFIED", "DELETED" };

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *name = g_strdup_printf ("pod-%u", i);
      g_autoptr (HeroVirtClusterWatchEvent) event = event_for (types[i % 3], name);

      g_assert_true (hero_virt_cluster_watch_push (watch, event));
    }
  hero_virt_cluster_watch_close (watch);
  return NULL;
}

static void
test_watch_sync_across_threads (void)
{
  g_autoptr (HeroVirtClusterWatch) watch = hero_virt_cluster_watch_new ();
  g_autoptr (GError) error = NULL;
  GThread *thread = g_thread_new ("producer", produce, watch);
  guint    n = 0;

  for (;;)
    {
      g_autoptr (HeroVirtClusterWatchEvent) event
          = hero_virt_cluster_watch_next (watch, NULL, &error);
      g_autofree char *expected = NULL;

      g_assert_no_error (error);
      if (event == NULL)
        break;
      expected = g_strdup_printf ("pod-%u", n);
      g_assert_cmpstr (
          hero_virt_kube_resource_get_name (hero_virt_cluster_watch_event_get_object (event)), ==,
          expected);
      g_assert_cmpint (hero_virt_cluster_watch_event_get_event_type (event), ==, n % 3);
      n++;
    }
  g_thread_join (thread);
  g_assert_cmpuint (n, ==, 300);
  g_assert_true (hero_virt_cluster_watch_is_closed (watch));
  /* The end is sticky. */
  g_assert_null (hero_virt_cluster_watch_next (watch, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr (HeroVirtClusterWatchEvent) late = event_for ("ADDED", "late");
    g_assert_false (hero_virt_cluster_watch_push (watch, late));
  }
}

static void
test_watch_close_with_error (void)
{
  g_autoptr (HeroVirtClusterWatch) watch = hero_virt_cluster_watch_new ();
  g_autoptr (HeroVirtClusterWatchEvent) event = event_for ("ADDED", "a");
  g_autoptr (HeroVirtClusterWatchEvent) got = NULL;
  g_autoptr (GError) failure
      = g_error_new_literal (HERO_VIRT_ERROR, HERO_VIRT_ERROR_NETWORK, "connection reset");
  g_autoptr (GError) error = NULL;

  hero_virt_cluster_watch_push (watch, event);
  hero_virt_cluster_watch_fail (watch, failure);
  got = hero_virt_cluster_watch_next (watch, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (got);
  g_assert_null (hero_virt_cluster_watch_next (watch, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NETWORK);
}

static void
test_watch_cancel_sync (void)
{
  g_autoptr (HeroVirtClusterWatch) watch = hero_virt_cluster_watch_new ();
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_null (hero_virt_cluster_watch_next (watch, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Interrupting a read does not end the stream. */
  g_assert_false (hero_virt_cluster_watch_is_closed (watch));
  g_assert_false (g_cancellable_is_cancelled (hero_virt_cluster_watch_get_cancellable (watch)));
}

typedef struct
{
  GMainLoop                 *loop;
  HeroVirtClusterWatchEvent *event;
  GError                    *error;
  gboolean                   done;
} AsyncRead;

static void
read_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncRead *read = user_data;

  read->event = hero_virt_cluster_watch_next_finish (HERO_VIRT_CLUSTER_WATCH (source), result,
                                                     &read->error);
  read->done = TRUE;
  g_main_loop_quit (read->loop);
}

static gboolean
push_later (gpointer data)
{
  g_autoptr (HeroVirtClusterWatchEvent) event = event_for ("MODIFIED", "later");

  g_assert_true (hero_virt_cluster_watch_push (data, event));
  return G_SOURCE_REMOVE;
}

static gpointer
stop_from_thread (gpointer data)
{
  hero_virt_cluster_watch_stop (data);
  return NULL;
}

static void
test_watch_async (void)
{
  g_autoptr (HeroVirtClusterWatch) watch = hero_virt_cluster_watch_new ();
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  AsyncRead read = { loop, NULL, NULL, FALSE };
  GThread  *thread;

  /* Waiting, then fed from the main loop. */
  hero_virt_cluster_watch_next_async (watch, cancellable, read_done, &read);
  g_idle_add (push_later, watch);
  g_main_loop_run (loop);
  g_assert_no_error (read.error);
  g_assert_cmpstr (
      hero_virt_kube_resource_get_name (hero_virt_cluster_watch_event_get_object (read.event)), ==,
      "later");
  g_clear_object (&read.event);

  /* Waiting, then cancelled: the stream stays open. */
  read.done = FALSE;
  hero_virt_cluster_watch_next_async (watch, cancellable, read_done, &read);
  g_cancellable_cancel (cancellable);
  if (!read.done)
    g_main_loop_run (loop);
  g_assert_error (read.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&read.error);
  g_assert_false (hero_virt_cluster_watch_is_closed (watch));

  /* Waiting, then stopped from another thread: a clean end, and the
   * provider's cancellable fires. */
  read.done = FALSE;
  hero_virt_cluster_watch_next_async (watch, NULL, read_done, &read);
  thread = g_thread_new ("stopper", stop_from_thread, watch);
  g_main_loop_run (loop);
  g_thread_join (thread);
  g_assert_no_error (read.error);
  g_assert_null (read.event);
  g_assert_true (g_cancellable_is_cancelled (hero_virt_cluster_watch_get_cancellable (watch)));
}

typedef struct
{
  GMainLoop *loop;
  guint      n;
  gboolean   ended;
} AsyncDrain;

static void
drain_next (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncDrain           *drain = user_data;
  HeroVirtClusterWatch *watch = HERO_VIRT_CLUSTER_WATCH (source);
  g_autoptr (HeroVirtClusterWatchEvent) event = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = NULL;

  event = hero_virt_cluster_watch_next_finish (watch, result, &error);
  g_assert_no_error (error);
  if (event == NULL)
    {
      drain->ended = TRUE;
      g_main_loop_quit (drain->loop);
      return;
    }
  expected = g_strdup_printf ("pod-%u", drain->n++);
  g_assert_cmpstr (
      hero_virt_kube_resource_get_name (hero_virt_cluster_watch_event_get_object (event)), ==,
      expected);
  hero_virt_cluster_watch_next_async (watch, NULL, drain_next, drain);
}

static void
test_watch_async_across_threads (void)
{
  g_autoptr (HeroVirtClusterWatch) watch = hero_virt_cluster_watch_new ();
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncDrain drain = { loop, 0, FALSE };
  GThread   *thread;

  /* Readers wait in the main loop while another thread pushes: events
   * arrive in order, callbacks run in the reader's context. */
  hero_virt_cluster_watch_next_async (watch, NULL, drain_next, &drain);
  thread = g_thread_new ("producer", produce, watch);
  g_main_loop_run (loop);
  g_thread_join (thread);
  g_assert_true (drain.ended);
  g_assert_cmpuint (drain.n, ==, 300);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cluster/names", test_names);
  g_test_add_func ("/cluster/kinds", test_kinds);
  g_test_add_func ("/cluster/resources", test_resources);
  g_test_add_func ("/cluster/status-errors", test_status_errors);
  g_test_add_func ("/cluster/list-options", test_list_options);
  g_test_add_func ("/cluster/watch/sync-across-threads", test_watch_sync_across_threads);
  g_test_add_func ("/cluster/watch/close-with-error", test_watch_close_with_error);
  g_test_add_func ("/cluster/watch/cancel-sync", test_watch_cancel_sync);
  g_test_add_func ("/cluster/watch/async", test_watch_async);
  g_test_add_func ("/cluster/watch/async-across-threads", test_watch_async_across_threads);

  return g_test_run ();
}
