/* test-builders.c: the fluent Kubernetes resource builders (core and
 * Traefik) from C, against hero-virt-kube-sim (started on port 0 in a
 * temp dir, stopped by its PID): build() field by field, apply() creating
 * then updating, validation before any request, reset() and md().
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <hero-virt.h>
#include <libsoup/soup.h>
#include <string.h>

#include "testlib.h"

static HtKubeSim *sim;

/* How many requests the simulator has served (its /kube-sim/requests
 * log), asked with the admin client certificate. */
static gint64
sim_requests (void)
{
  g_autofree char *ca = g_build_filename (sim->dir, "ca.crt", NULL);
  g_autofree char *crt = g_build_filename (sim->dir, "admin.crt", NULL);
  g_autofree char *key = g_build_filename (sim->dir, "admin.key", NULL);
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u/kube-sim/requests", sim->port);
  g_autoptr (GError) error = NULL;
  g_autoptr (GTlsDatabase) db = g_tls_file_database_new (ca, &error);
  g_autoptr (GTlsCertificate) cert = NULL;
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();

  g_assert_no_error (error);
  cert = g_tls_certificate_new_from_files (crt, key, &error);
  g_assert_no_error (error);
  soup_session_set_tls_database (session, db);
  soup_message_set_tls_client_certificate (msg, cert);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                             g_bytes_get_size (body), &error));
  return json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "total");
}

static HeroVirtKubernetesManager *
manager (const char *ns)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtKubernetesConfig) config
      = hero_virt_kubernetes_config_with_retries (hero_virt_kubernetes_config_new (), 2, 20, 100);
  HeroVirtKubernetesManager *km;

  hero_virt_kubernetes_config_with_rate_limit (config, 0, 1);
  km = hero_virt_kubernetes_manager_new_full (ns, sim->kubeconfig, NULL, config, &error);
  g_assert_no_error (error);
  return km;
}

/* The JSON text of what @path (JSONPath) selects first in @node, so a
 * field is checked with its type: "3", "\"web\"", "true". */
static char *
at (JsonNode *node, const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) found = json_path_query (path, node, &error);
  JsonArray *array;

  g_assert_no_error (error);
  array = json_node_get_array (found);
  if (json_array_get_length (array) == 0)
    return NULL;
  return json_to_string (json_array_get_element (array, 0), FALSE);
}

#define assert_at(node, path, expected)                                                            \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autofree char *value_ = at (node, path);                                                     \
    g_assert_cmpstr (value_, ==, expected);                                                        \
  }                                                                                                \
  G_STMT_END

#define B(x) HERO_VIRT_KUBE_RESOURCE_BUILDER (x)
#define W(x) HERO_VIRT_KUBE_WORKLOAD_BUILDER (x)

static JsonNode *
build_ok (gpointer builder)
{
  g_autoptr (GError) error = NULL;
  JsonNode *node = hero_virt_kube_resource_builder_build (B (builder), &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static void
test_pod_build (void)
{
  g_autoptr (HeroVirtKubernetesManager) km = manager ("apps");
  g_autoptr (HeroVirtPodBuilder) pod = hero_virt_pod_builder_new (km, "web-1");
  g_autoptr (HeroVirtKubeProbe) ready = hero_virt_kube_probe_new_http_get ("/healthz", 8080);
  g_autoptr (HeroVirtKubeProbe) live = NULL;
  g_autoptr (HeroVirtKubeProbe) startup = hero_virt_kube_probe_new_tcp_socket (8080);
  const char *cmd[] = { "/bin/server", NULL };
  const char *args[] = { "--port", "8080", NULL };
  const char *check[] = { "cat", "/tmp/healthy", NULL };
  g_autoptr (JsonNode) node = NULL;

  live = hero_virt_kube_probe_new_exec (check);
  hero_virt_kube_probe_failure_threshold (
      hero_virt_kube_probe_period (hero_virt_kube_probe_initial_delay (live, 3), 5), 4);
  hero_virt_kube_probe_timeout (hero_virt_kube_probe_period (ready, 10), 2);
  hero_virt_kube_resource_builder_label (B (pod), "app", "web");
  hero_virt_kube_resource_builder_annotation (B (pod), "example.com/note", "line 1\nline 2");
  hero_virt_kube_workload_builder_image (W (pod), "registry.local:5000/web:1.0");
  hero_virt_kube_workload_builder_image_pull_policy (W (pod), "IfNotPresent");
  hero_virt_kube_workload_builder_command (W (pod), cmd);
  hero_virt_kube_workload_builder_args (W (pod), args);
  hero_virt_kube_workload_builder_env (W (pod), "MODE", "fast");
  hero_virt_kube_workload_builder_env_from_config_map (W (pod), "LEVEL", "settings", "level");
  hero_virt_kube_workload_builder_env_from_secret (W (pod), "TOKEN", "creds", "token");
  hero_virt_kube_workload_builder_port_full (W (pod), "http", 8080, NULL);
  hero_virt_kube_workload_builder_port_full (W (pod), "dns", 53, "UDP");
  hero_virt_kube_workload_builder_requests (W (pod), "250m", "64Mi");
  hero_virt_kube_workload_builder_limits (W (pod), "1", "128Mi");
  hero_virt_kube_workload_builder_readiness_probe (W (pod), ready);
  hero_virt_kube_workload_builder_liveness_probe (W (pod), live);
  hero_virt_kube_workload_builder_startup_probe (W (pod), startup);
  hero_virt_kube_workload_builder_volume_config_map (W (pod), "cfg", "settings", "/etc/web");
  hero_virt_kube_workload_builder_volume_secret (W (pod), "tls", "web-tls", "/etc/tls");
  hero_virt_kube_workload_builder_volume_empty_dir (W (pod), "scratch", "/tmp");
  hero_virt_kube_workload_builder_volume_host_path (W (pod), "logs", "/var/log/web", "/logs");
  hero_virt_kube_workload_builder_privileged (W (pod), TRUE);
  hero_virt_kube_workload_builder_node_selector (W (pod), "kubernetes.io/arch", "amd64");
  hero_virt_kube_workload_builder_restart_policy (W (pod), "Never");
  /* a sidecar sharing the scratch volume */
  hero_virt_kube_workload_builder_container (W (pod), "log-shipper");
  hero_virt_kube_workload_builder_image (W (pod), "busybox:1.36");
  hero_virt_kube_workload_builder_mount (W (pod), "scratch", "/data", TRUE);

  node = build_ok (pod);
  assert_at (node, "$.apiVersion", "\"v1\"");
  assert_at (node, "$.kind", "\"Pod\"");
  assert_at (node, "$.metadata.name", "\"web-1\"");
  assert_at (node, "$.metadata.namespace", "\"apps\"");
  assert_at (node, "$.metadata.labels.app", "\"web\"");
  assert_at (node, "$.metadata.annotations['example.com/note']", "\"line 1\\nline 2\"");
  assert_at (node, "$.spec.containers[0].name", "\"web-1\"");
  assert_at (node, "$.spec.containers[0].image", "\"registry.local:5000/web:1.0\"");
  assert_at (node, "$.spec.containers[0].imagePullPolicy", "\"IfNotPresent\"");
  assert_at (node, "$.spec.containers[0].command", "[\"/bin/server\"]");
  assert_at (node, "$.spec.containers[0].args", "[\"--port\",\"8080\"]");
  assert_at (node, "$.spec.containers[0].env[0]", "{\"name\":\"MODE\",\"value\":\"fast\"}");
  assert_at (node, "$.spec.containers[0].env[1].valueFrom.configMapKeyRef",
             "{\"name\":\"settings\",\"key\":\"level\"}");
  assert_at (node, "$.spec.containers[0].env[2].valueFrom.secretKeyRef",
             "{\"name\":\"creds\",\"key\":\"token\"}");
  assert_at (node, "$.spec.containers[0].ports[0]",
             "{\"name\":\"http\",\"containerPort\":8080,\"protocol\":\"TCP\"}");
  assert_at (node, "$.spec.containers[0].ports[1].protocol", "\"UDP\"");
  assert_at (node, "$.spec.containers[0].resources",
             "{\"requests\":{\"cpu\":\"250m\",\"memory\":\"64Mi\"},"
             "\"limits\":{\"cpu\":\"1\",\"memory\":\"128Mi\"}}");
  assert_at (node, "$.spec.containers[0].readinessProbe",
             "{\"httpGet\":{\"path\":\"/healthz\",\"port\":8080},\"periodSeconds\":10,"
             "\"timeoutSeconds\":2}");
  assert_at (node, "$.spec.containers[0].livenessProbe",
             "{\"exec\":{\"command\":[\"cat\",\"/tmp/healthy\"]},\"initialDelaySeconds\":3,"
             "\"periodSeconds\":5,\"failureThreshold\":4}");
  assert_at (node, "$.spec.containers[0].startupProbe", "{\"tcpSocket\":{\"port\":8080}}");
  assert_at (node, "$.spec.containers[0].volumeMounts[0]",
             "{\"name\":\"cfg\",\"mountPath\":\"/etc/web\",\"readOnly\":true}");
  assert_at (node, "$.spec.containers[0].volumeMounts[2]",
             "{\"name\":\"scratch\",\"mountPath\":\"/tmp\"}");
  assert_at (node, "$.spec.containers[0].securityContext.privileged", "true");
  assert_at (node, "$.spec.containers[1].name", "\"log-shipper\"");
  assert_at (node, "$.spec.containers[1].image", "\"busybox:1.36\"");
  assert_at (node, "$.spec.containers[1].volumeMounts[0]",
             "{\"name\":\"scratch\",\"mountPath\":\"/data\",\"readOnly\":true}");
  assert_at (node, "$.spec.containers[1].securityContext", NULL);
  assert_at (node, "$.spec.volumes[0]", "{\"name\":\"cfg\",\"configMap\":{\"name\":\"settings\"}}");
  assert_at (node, "$.spec.volumes[1]",
             "{\"name\":\"tls\",\"secret\":{\"secretName\":\"web-tls\"}}");
  assert_at (node, "$.spec.volumes[2]", "{\"name\":\"scratch\",\"emptyDir\":{}}");
  assert_at (node, "$.spec.volumes[3]",
             "{\"name\":\"logs\",\"hostPath\":{\"path\":\"/var/log/web\"}}");
  assert_at (node, "$.spec.nodeSelector", "{\"kubernetes.io/arch\":\"amd64\"}");
  assert_at (node, "$.spec.restartPolicy", "\"Never\"");
}

static void
test_deployment_service_build (void)
{
  g_autoptr (HeroVirtDeploymentBuilder) d = hero_virt_deployment_builder_new (NULL, "api");
  g_autoptr (HeroVirtServiceBuilder) s = hero_virt_service_builder_new (NULL, "api");
  g_autoptr (JsonNode) dn = NULL, sn = NULL;

  hero_virt_kube_workload_builder_image (W (d), "nginx:1.27");
  hero_virt_kube_workload_builder_port (W (d), 80);
  hero_virt_kube_workload_builder_volume_pvc (W (d), "data", "api-data", "/data");
  hero_virt_kube_resource_builder_label (B (d), "tier", "back");
  hero_virt_deployment_builder_recreate (hero_virt_deployment_builder_replicas (d, 3), TRUE);
  dn = build_ok (d);
  assert_at (dn, "$.apiVersion", "\"apps/v1\"");
  assert_at (dn, "$.kind", "\"Deployment\"");
  assert_at (dn, "$.metadata.namespace", NULL); /* no manager, no namespace */
  assert_at (dn, "$.metadata.labels", "{\"tier\":\"back\",\"app\":\"api\"}");
  assert_at (dn, "$.spec.replicas", "3");
  assert_at (dn, "$.spec.selector", "{\"matchLabels\":{\"app\":\"api\"}}");
  assert_at (dn, "$.spec.strategy", "{\"type\":\"Recreate\"}");
  assert_at (dn, "$.spec.template.metadata.labels", "{\"tier\":\"back\",\"app\":\"api\"}");
  assert_at (dn, "$.spec.template.spec.containers[0].name", "\"api\"");
  assert_at (dn, "$.spec.template.spec.containers[0].ports[0].containerPort", "80");
  assert_at (dn, "$.spec.template.spec.volumes[0]",
             "{\"name\":\"data\",\"persistentVolumeClaim\":{\"claimName\":\"api-data\"}}");
  g_assert_cmpint (hero_virt_deployment_builder_replicas (d, 0) == d, ==, TRUE);
  {
    g_autoptr (JsonNode) zero = build_ok (d);
    int replicas;

    assert_at (zero, "$.spec.replicas", "0");
    g_object_get (d, "replicas", &replicas, NULL);
    g_assert_cmpint (replicas, ==, 0);
  }

  hero_virt_service_builder_port_full (s, "http", 80, 8080, NULL, 30080);
  hero_virt_service_builder_port_full (s, "metrics", 9090, 0, "TCP", 0);
  hero_virt_service_builder_service_type (s, "NodePort");
  sn = build_ok (s);
  assert_at (sn, "$.kind", "\"Service\"");
  assert_at (sn, "$.spec.type", "\"NodePort\"");
  assert_at (sn, "$.spec.selector", "{\"app\":\"api\"}");
  assert_at (sn, "$.spec.ports[0]",
             "{\"name\":\"http\",\"protocol\":\"TCP\",\"port\":80,\"targetPort\":8080,"
             "\"nodePort\":30080}");
  assert_at (sn, "$.spec.ports[1]",
             "{\"name\":\"metrics\",\"protocol\":\"TCP\",\"port\":9090,\"targetPort\":9090}");
  hero_virt_service_builder_selector (s, "tier", "back");
  hero_virt_service_builder_cluster_ip (s, "None");
  g_clear_pointer (&sn, json_node_unref);
  sn = build_ok (s);
  assert_at (sn, "$.spec.selector", "{\"tier\":\"back\"}");
  assert_at (sn, "$.spec.clusterIP", "\"None\"");
}

static void
test_data_build (void)
{
  g_autoptr (HeroVirtConfigMapBuilder) cm = hero_virt_config_map_builder_new (NULL, "settings");
  g_autoptr (HeroVirtSecretBuilder) secret = hero_virt_secret_builder_new (NULL, "creds");
  g_autoptr (HeroVirtSecretBuilder) tls = hero_virt_secret_builder_new (NULL, "web-tls");
  g_autoptr (HeroVirtNamespaceBuilder) ns = hero_virt_namespace_builder_new (NULL, "team-a");
  g_autoptr (GBytes) bin = g_bytes_new ("\x00\xff", 2);
  g_autoptr (JsonNode) cn = NULL, sn = NULL, nn = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;

  hero_virt_config_map_builder_data (cm, "level", "debug");
  hero_virt_config_map_builder_data (cm, "app.conf", "a=1\nb=2\n");
  hero_virt_config_map_builder_binary_data (cm, "blob", bin);
  cn = build_ok (cm);
  assert_at (cn, "$.kind", "\"ConfigMap\"");
  assert_at (cn, "$.data", "{\"level\":\"debug\",\"app.conf\":\"a=1\\nb=2\\n\"}");
  assert_at (cn, "$.binaryData", "{\"blob\":\"AP8=\"}");

  hero_virt_secret_builder_data (secret, "password", "s3cr3t");
  hero_virt_secret_builder_data_bytes (secret, "raw", bin);
  hero_virt_secret_builder_string_data (secret, "user", "admin");
  sn = build_ok (secret);
  assert_at (sn, "$.type", "\"Opaque\"");
  assert_at (sn, "$.data", "{\"password\":\"czNjcjN0\",\"raw\":\"AP8=\"}");
  assert_at (sn, "$.stringData", "{\"user\":\"admin\"}");

  /* a TLS secret needs both keys */
  hero_virt_secret_builder_secret_type (tls, "kubernetes.io/tls");
  hero_virt_secret_builder_data (tls, "tls.crt", "CERT");
  g_assert_false (hero_virt_kube_resource_builder_validate (B (tls), &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "tls.key"));
  g_clear_error (&error);
  hero_virt_secret_builder_data (tls, "tls.key", "KEY");
  g_assert_true (hero_virt_kube_resource_builder_validate (B (tls), &error));

  hero_virt_kube_resource_builder_label (B (ns), "team", "a");
  nn = build_ok (ns);
  assert_at (nn, "$",
             "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"team-a\","
             "\"labels\":{\"team\":\"a\"}}}");
  json = hero_virt_kube_resource_builder_to_json (B (ns), FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json, ==,
                   "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":"
                   "\"team-a\",\"labels\":{\"team\":\"a\"}}}");
}

static void
test_traefik_build (void)
{
  g_autoptr (HeroVirtKubernetesManager) km = manager ("edge");
  g_autoptr (HeroVirtIngressRouteBuilder) r = hero_virt_ingress_route_builder_new (km, "web");
  g_autoptr (HeroVirtMiddlewareBuilder) strip = hero_virt_middleware_builder_new (km, "strip");
  g_autoptr (HeroVirtMiddlewareBuilder) auth = hero_virt_middleware_builder_new (km, "auth");
  g_autoptr (HeroVirtMiddlewareBuilder) hdr = hero_virt_middleware_builder_new (km, "hdr");
  g_autoptr (HeroVirtMiddlewareBuilder) redir = hero_virt_middleware_builder_new (km, "redir");
  g_autoptr (HeroVirtTlsOptionBuilder) opt = hero_virt_tls_option_builder_new (km, "modern");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) rn = NULL, mn = NULL, an = NULL, hn = NULL, dn = NULL, on = NULL;
  g_autofree char *host = NULL, *prefix = NULL, *rule = NULL, *quoted = NULL, *hdrs = NULL;
  g_autofree char *either = NULL;

  /* quoting: raw backtick strings, else Go's interpreted strings */
  quoted = hero_virt_traefik_quote ("a`b\"c\\d", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (quoted, ==, "\"a`b\\\"c\\\\d\"");
  host = hero_virt_traefik_host ("app.example.com", &error);
  prefix = hero_virt_traefik_path_prefix ("/api", &error);
  hdrs = hero_virt_traefik_headers ("X-Env", "a`b", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (host, ==, "Host(`app.example.com`)");
  g_assert_cmpstr (prefix, ==, "PathPrefix(`/api`)");
  g_assert_cmpstr (hdrs, ==, "Headers(`X-Env`, \"a`b\")");
  {
    g_autofree char *p1 = hero_virt_traefik_path ("/a", NULL);
    g_autofree char *p2 = hero_virt_traefik_path ("/b", NULL);
    const char      *paths[] = { p1, p2, NULL };
    const char      *both[3] = { host, NULL, NULL };

    either = hero_virt_traefik_or (paths, &error);
    g_assert_no_error (error);
    both[1] = either;
    rule = hero_virt_traefik_and (both, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (rule, ==, "Host(`app.example.com`) && (Path(`/a`) || Path(`/b`))");
  }
  g_assert_null (hero_virt_traefik_host ("bad host", &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (hero_virt_traefik_path_prefix ("api", &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (hero_virt_traefik_quote ("a\nb", &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (hero_virt_traefik_validate_rule ("!Path(`/x`) && (Host(`a`) || Host(`b`))", NULL));
  g_assert_false (hero_virt_traefik_validate_rule ("Host(`a`) &&", NULL));
  g_assert_false (hero_virt_traefik_validate_rule ("Host(`a`", NULL));
  g_assert_false (hero_virt_traefik_validate_rule ("Hots(`a`)", NULL));
  g_assert_false (hero_virt_traefik_validate_rule ("Host(a)", NULL));

  hero_virt_ingress_route_builder_entry_point (r, "web");
  hero_virt_ingress_route_builder_entry_point (r, "websecure");
  hero_virt_ingress_route_builder_route_for (r, "app.example.com", "/api");
  hero_virt_ingress_route_builder_weighted_service (r, "api-v1", 80, 90);
  hero_virt_ingress_route_builder_weighted_service (r, "api-v2", 8080, 10);
  hero_virt_ingress_route_builder_middleware (r, "strip", NULL);
  hero_virt_ingress_route_builder_middleware (r, "auth", "security");
  hero_virt_ingress_route_builder_priority (r, 10);
  hero_virt_ingress_route_builder_route (r, rule);
  hero_virt_ingress_route_builder_service (r, "site", 80);
  hero_virt_ingress_route_builder_tls_secret (r, "web-tls");
  hero_virt_ingress_route_builder_tls_options (r, "modern", NULL);
  rn = build_ok (r);
  assert_at (rn, "$.apiVersion", "\"traefik.io/v1alpha1\"");
  assert_at (rn, "$.kind", "\"IngressRoute\"");
  assert_at (rn, "$.metadata.namespace", "\"edge\"");
  assert_at (rn, "$.spec.entryPoints", "[\"web\",\"websecure\"]");
  assert_at (rn, "$.spec.routes[0].kind", "\"Rule\"");
  assert_at (rn, "$.spec.routes[0].match", "\"Host(`app.example.com`) && PathPrefix(`/api`)\"");
  assert_at (rn, "$.spec.routes[0].priority", "10");
  assert_at (rn, "$.spec.routes[0].services",
             "[{\"kind\":\"Service\",\"name\":\"api-v1\",\"port\":80,\"weight\":90},"
             "{\"kind\":\"Service\",\"name\":\"api-v2\",\"port\":8080,\"weight\":10}]");
  assert_at (rn, "$.spec.routes[0].middlewares",
             "[{\"name\":\"strip\"},{\"name\":\"auth\",\"namespace\":\"security\"}]");
  assert_at (rn, "$.spec.routes[1].match",
             "\"Host(`app.example.com`) && (Path(`/a`) || Path(`/b`))\"");
  assert_at (rn, "$.spec.routes[1].services",
             "[{\"kind\":\"Service\",\"name\":\"site\",\"port\":80}]");
  assert_at (rn, "$.spec.tls", "{\"secretName\":\"web-tls\",\"options\":{\"name\":\"modern\"}}");

  hero_virt_middleware_builder_strip_prefix (strip, "/api");
  hero_virt_middleware_builder_strip_prefix (strip, "/v1");
  mn = build_ok (strip);
  assert_at (mn, "$.kind", "\"Middleware\"");
  assert_at (mn, "$.spec", "{\"stripPrefix\":{\"prefixes\":[\"/api\",\"/v1\"]}}");
  hero_virt_middleware_builder_basic_auth (auth, "users");
  an = build_ok (auth);
  assert_at (an, "$.spec", "{\"basicAuth\":{\"secret\":\"users\"}}");
  hero_virt_middleware_builder_request_header (hdr, "X-Forwarded-Proto", "https");
  hero_virt_middleware_builder_response_header (hdr, "Server", "");
  hn = build_ok (hdr);
  assert_at (hn, "$.spec",
             "{\"headers\":{\"customRequestHeaders\":{\"X-Forwarded-Proto\":\"https\"},"
             "\"customResponseHeaders\":{\"Server\":\"\"}}}");
  hero_virt_middleware_builder_redirect_scheme (redir, "https", TRUE);
  dn = build_ok (redir);
  assert_at (dn, "$.spec", "{\"redirectScheme\":{\"scheme\":\"https\",\"permanent\":true}}");

  hero_virt_tls_option_builder_min_version (opt, "VersionTLS12");
  hero_virt_tls_option_builder_max_version (opt, "VersionTLS13");
  hero_virt_tls_option_builder_cipher_suite (opt, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  hero_virt_tls_option_builder_sni_strict (opt, TRUE);
  on = build_ok (opt);
  assert_at (on, "$.kind", "\"TLSOption\"");
  assert_at (on, "$.spec",
             "{\"minVersion\":\"VersionTLS12\",\"maxVersion\":\"VersionTLS13\","
             "\"cipherSuites\":[\"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\"],\"sniStrict\":true}");
}

/* Each bad builder must fail apply() with INVALID_ARGUMENT naming
 * @field, without a single request reaching the server. */
static void
assert_refused (gpointer builder, const char *field)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) applied = NULL;
  gint64 before = sim_requests ();

  applied = hero_virt_kube_resource_builder_apply (B (builder), NULL, &error);
  g_assert_null (applied);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  if (strstr (error->message, field) == NULL)
    g_error ("“%s” does not name %s", error->message, field);
  /* (the simulator does not count its own /kube-sim/ endpoints) */
  g_assert_cmpint (sim_requests (), ==, before);
  g_object_unref (builder);
}

static void
test_validation (void)
{
  g_autoptr (HeroVirtKubernetesManager) km = manager ("default");
  const char *empty[] = { NULL };
  gpointer    b;

  assert_refused (hero_virt_pod_builder_new (km, "Bad_Name"), "metadata.name");
  assert_refused (hero_virt_pod_builder_new (km, ""), "metadata.name");
  assert_refused (hero_virt_pod_builder_new (km, "no-image"), "spec.containers[0].image");
  b = hero_virt_pod_builder_new (km, "x");
  assert_refused (hero_virt_kube_workload_builder_image (W (b), "UPPER/Case"),
                  "spec.containers[0].image");
  b = hero_virt_pod_builder_new (km, "dotted.name");
  assert_refused (hero_virt_kube_workload_builder_image (W (b), "nginx"),
                  "spec.containers[0].name");
  b = hero_virt_pod_builder_new (km, "x");
  hero_virt_kube_workload_builder_image (W (b), "nginx");
  assert_refused (hero_virt_kube_resource_builder_label (B (b), "bad key!", "v"),
                  "metadata.labels");
  b = hero_virt_pod_builder_new (km, "x");
  hero_virt_kube_workload_builder_image (W (b), "nginx");
  assert_refused (hero_virt_kube_workload_builder_port (W (b), 70000),
                  "spec.containers[0].ports[0].containerPort");
  b = hero_virt_pod_builder_new (km, "x");
  hero_virt_kube_workload_builder_image (W (b), "nginx");
  assert_refused (hero_virt_kube_workload_builder_env (W (b), "1BAD", "v"),
                  "spec.containers[0].env[0].name");
  b = hero_virt_pod_builder_new (km, "x");
  hero_virt_kube_workload_builder_image (W (b), "nginx");
  assert_refused (hero_virt_kube_workload_builder_limits (W (b), NULL, "lots"),
                  "spec.containers[0].resources.limits.memory");
  b = hero_virt_pod_builder_new (km, "x");
  hero_virt_kube_workload_builder_image (W (b), "nginx");
  assert_refused (hero_virt_kube_workload_builder_mount (W (b), "nope", "/x", FALSE),
                  "spec.containers[0].volumeMounts[0].name");
  b = hero_virt_pod_builder_new (km, "x");
  hero_virt_kube_workload_builder_image (W (b), "nginx");
  assert_refused (hero_virt_kube_workload_builder_volume_host_path (W (b), "h", "relative", "/h"),
                  "spec.volumes[0].hostPath.path");
  b = hero_virt_pod_builder_new (km, "x");
  hero_virt_kube_workload_builder_image (W (b), "nginx");
  {
    g_autoptr (HeroVirtKubeProbe) probe = hero_virt_kube_probe_new_exec (empty);
    assert_refused (hero_virt_kube_workload_builder_readiness_probe (W (b), probe),
                    "spec.containers[0].readinessProbe.exec.command");
  }
  b = hero_virt_pod_builder_new (km, "x");
  hero_virt_kube_workload_builder_image (W (b), "nginx");
  {
    g_autoptr (HeroVirtKubeProbe) probe = hero_virt_kube_probe_new_tcp_socket (80);
    hero_virt_kube_probe_period (probe, 0);
    assert_refused (hero_virt_kube_workload_builder_liveness_probe (W (b), probe),
                    "spec.containers[0].livenessProbe.periodSeconds");
  }
  b = hero_virt_deployment_builder_new (km, "d");
  hero_virt_kube_workload_builder_image (W (b), "nginx");
  assert_refused (hero_virt_deployment_builder_replicas (b, -1), "spec.replicas");
  b = hero_virt_deployment_builder_new (km, "d");
  hero_virt_kube_workload_builder_image (W (b), "nginx");
  assert_refused (hero_virt_kube_workload_builder_restart_policy (W (b), "Never"),
                  "spec.template.spec.restartPolicy");
  assert_refused (hero_virt_service_builder_new (km, "1svc"), "metadata.name");
  assert_refused (hero_virt_service_builder_new (km, "svc"), "spec.ports");
  b = hero_virt_service_builder_new (km, "svc");
  assert_refused (hero_virt_service_builder_port_full (b, NULL, 80, 0, NULL, 30001),
                  "spec.ports[0].nodePort");
  b = hero_virt_config_map_builder_new (km, "cm");
  assert_refused (hero_virt_config_map_builder_data (b, "bad/key", "v"), "data");
  b = hero_virt_secret_builder_new (km, "s");
  hero_virt_secret_builder_data (b, "k", "v");
  assert_refused (hero_virt_secret_builder_string_data (b, "k", "v"), "stringData");
  /* Traefik */
  assert_refused (hero_virt_ingress_route_builder_new (km, "r"), "spec.routes");
  b = hero_virt_ingress_route_builder_new (km, "r");
  hero_virt_ingress_route_builder_route (b, "Host(`a`)");
  assert_refused (b, "spec.routes[0].services");
  b = hero_virt_ingress_route_builder_new (km, "r");
  hero_virt_ingress_route_builder_route (b, "Host(`a`");
  assert_refused (hero_virt_ingress_route_builder_service (b, "s", 80), "spec.routes[0].match");
  b = hero_virt_ingress_route_builder_new (km, "r");
  hero_virt_ingress_route_builder_route_for (b, "a.example", NULL);
  assert_refused (hero_virt_ingress_route_builder_weighted_service (b, "s", 80, -5),
                  "spec.routes[0].services[0].weight");
  b = hero_virt_ingress_route_builder_new (km, "r");
  hero_virt_ingress_route_builder_route_for (b, "a.example", NULL);
  hero_virt_ingress_route_builder_service (b, "s", 80);
  assert_refused (hero_virt_ingress_route_builder_middleware (b, "m@file", NULL),
                  "spec.routes[0].middlewares[0].name");
  b = hero_virt_ingress_route_builder_new (km, "r");
  hero_virt_ingress_route_builder_route_for (b, "a.example", NULL);
  hero_virt_ingress_route_builder_service (b, "s", 80);
  hero_virt_ingress_route_builder_tls_secret (b, "t");
  assert_refused (hero_virt_ingress_route_builder_tls_cert_resolver (b, "le"), "spec.tls");
  b = hero_virt_ingress_route_builder_new (km, "r");
  assert_refused (hero_virt_ingress_route_builder_route_for (b, "bad host", "/"),
                  "spec.routes[0].match");
  assert_refused (hero_virt_middleware_builder_new (km, "m"), "spec");
  b = hero_virt_middleware_builder_new (km, "m");
  hero_virt_middleware_builder_strip_prefix (b, "/a");
  assert_refused (hero_virt_middleware_builder_basic_auth (b, "s"), "spec");
  b = hero_virt_middleware_builder_new (km, "m");
  assert_refused (hero_virt_middleware_builder_redirect_scheme (b, "ftp", FALSE),
                  "spec.redirectScheme.scheme");
  b = hero_virt_tls_option_builder_new (km, "t");
  assert_refused (hero_virt_tls_option_builder_min_version (b, "TLS1.2"), "spec.minVersion");
  b = hero_virt_tls_option_builder_new (km, "t");
  hero_virt_tls_option_builder_min_version (b, "VersionTLS13");
  assert_refused (hero_virt_tls_option_builder_max_version (b, "VersionTLS12"), "spec.maxVersion");
  b = hero_virt_tls_option_builder_new (km, "t");
  assert_refused (hero_virt_tls_option_builder_cipher_suite (b, "TLS_FAKE"),
                  "spec.cipherSuites[0]");
  assert_refused (hero_virt_namespace_builder_new (km, "has.dot"), "metadata.name");
  /* while a good one does reach the server */
  {
    g_autoptr (HeroVirtConfigMapBuilder) good = hero_virt_config_map_builder_new (km, "good");
    g_autoptr (GError) error = NULL;
    g_autoptr (JsonNode) node = NULL;
    gint64 before = sim_requests ();

    node = hero_virt_kube_resource_builder_apply (B (good), NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (sim_requests (), >, before);
    g_assert_true (hero_virt_kube_resource_builder_delete (B (good), NULL, &error));
  }
  /* no manager: nothing to apply through */
  b = hero_virt_config_map_builder_new (NULL, "cm");
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (JsonNode) node = hero_virt_kube_resource_builder_apply (B (b), NULL, &error);

    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
    g_object_unref (b);
  }
  /* a secret's values never appear in messages */
  b = hero_virt_secret_builder_new (km, "s");
  hero_virt_secret_builder_string_data (b, "k", "hunter2");
  hero_virt_secret_builder_data (b, "k", "hunter2");
  {
    g_autoptr (GError) error = NULL;

    g_assert_false (hero_virt_kube_resource_builder_validate (B (b), &error));
    g_assert_null (strstr (error->message, "hunter2"));
    g_object_unref (b);
  }
}

typedef struct
{
  GMainLoop *loop;
  JsonNode  *node;
  GError    *error;
} Async;

static void
applied (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Async *a = user_data;

  a->node = hero_virt_kube_resource_builder_apply_finish (B (source), result, &a->error);
  g_main_loop_quit (a->loop);
}

static void
test_apply (void)
{
  g_autoptr (HeroVirtKubernetesManager) km = manager ("default");
  g_autoptr (HeroVirtDeploymentBuilder) d = hero_virt_deployment_builder_new (km, "rollout");
  g_autoptr (HeroVirtConfigMapBuilder) cm = hero_virt_config_map_builder_new (km, "applied");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) first = NULL, second = NULL, got = NULL, rolled = NULL;
  g_autofree char *uid = NULL;
  Async            a = { g_main_loop_new (NULL, FALSE), NULL, NULL };

  hero_virt_kube_workload_builder_image (W (d), "nginx:1.27");
  hero_virt_kube_workload_builder_port (W (d), 80);
  first = hero_virt_kube_resource_builder_apply (B (d), NULL, &error);
  g_assert_no_error (error);
  assert_at (first, "$.spec.replicas", "1");
  uid = g_strdup (hero_virt_kube_resource_get_uid (first));
  g_assert_nonnull (uid);

  /* a second apply updates the same object */
  hero_virt_deployment_builder_replicas (d, 3);
  hero_virt_kube_resource_builder_label (B (d), "tier", "front");
  second = hero_virt_kube_resource_builder_apply (B (d), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_kube_resource_get_uid (second), ==, uid);
  got = hero_virt_kubernetes_manager_deployment_get (km, "rollout", NULL, &error);
  g_assert_no_error (error);
  assert_at (got, "$.spec.replicas", "3");
  assert_at (got, "$.metadata.labels.tier", "\"front\"");
  assert_at (got, "$.metadata.managedFields[0].manager", "\"hero-virt\"");
  rolled
      = hero_virt_kubernetes_manager_wait_for (km, hero_virt_kube_resource_builder_get_kind (B (d)),
                                               "rollout", "rollout", 30000, NULL, &error);
  g_assert_no_error (error);
  assert_at (rolled, "$.status.readyReplicas", "3");

  /* async, and delete() */
  hero_virt_config_map_builder_data (cm, "k", "v");
  hero_virt_kube_resource_builder_apply_async (B (cm), NULL, applied, &a);
  g_main_loop_run (a.loop);
  g_assert_no_error (a.error);
  assert_at (a.node, "$.data.k", "\"v\"");
  g_clear_pointer (&a.node, json_node_unref);
  hero_virt_config_map_builder_data (cm, "k", "w");
  hero_virt_kube_resource_builder_apply_async (B (cm), NULL, applied, &a);
  g_main_loop_run (a.loop);
  g_assert_no_error (a.error);
  assert_at (a.node, "$.data.k", "\"w\"");
  g_clear_pointer (&a.node, json_node_unref);
  g_main_loop_unref (a.loop);
  g_assert_true (hero_virt_kube_resource_builder_delete (B (cm), NULL, &error));
  g_assert_no_error (error);
  g_assert_false (hero_virt_kube_resource_builder_delete (B (cm), NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (hero_virt_kube_resource_builder_delete (B (d), NULL, &error));
}

static void
test_traefik_apply (void)
{
  g_autoptr (HeroVirtKubernetesManager) km = manager ("default");
  g_autoptr (HeroVirtIngressRouteBuilder) r = hero_virt_ingress_route_builder_new (km, "site");
  g_autoptr (HeroVirtMiddlewareBuilder) m = hero_virt_middleware_builder_new (km, "strip");
  g_autoptr (HeroVirtTlsOptionBuilder) t = hero_virt_tls_option_builder_new (km, "modern");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) rn = NULL, mn = NULL, tn = NULL, again = NULL;

  hero_virt_middleware_builder_strip_prefix (m, "/api");
  mn = hero_virt_kube_resource_builder_apply (B (m), NULL, &error);
  g_assert_no_error (error);
  assert_at (mn, "$.spec.stripPrefix.prefixes", "[\"/api\"]");
  hero_virt_tls_option_builder_min_version (t, "VersionTLS12");
  tn = hero_virt_kube_resource_builder_apply (B (t), NULL, &error);
  g_assert_no_error (error);
  assert_at (tn, "$.spec.minVersion", "\"VersionTLS12\"");
  hero_virt_ingress_route_builder_entry_point (r, "websecure");
  hero_virt_ingress_route_builder_route_for (r, "site.example", "/api");
  hero_virt_ingress_route_builder_service (r, "site", 80);
  hero_virt_ingress_route_builder_middleware (r, "strip", NULL);
  hero_virt_ingress_route_builder_tls_cert_resolver (r, "letsencrypt");
  hero_virt_ingress_route_builder_tls_options (r, "modern", NULL);
  rn = hero_virt_kube_resource_builder_apply (B (r), NULL, &error);
  g_assert_no_error (error);
  assert_at (rn, "$.spec.routes[0].match", "\"Host(`site.example`) && PathPrefix(`/api`)\"");
  assert_at (rn, "$.spec.tls.certResolver", "\"letsencrypt\"");
  /* update: another weighted service */
  hero_virt_ingress_route_builder_weighted_service (r, "site-canary", 80, 5);
  again = hero_virt_kube_resource_builder_apply (B (r), NULL, &error);
  g_assert_no_error (error);
  assert_at (again, "$.spec.routes[0].services[1].weight", "5");
  g_assert_cmpstr (hero_virt_kube_resource_get_uid (again), ==,
                   hero_virt_kube_resource_get_uid (rn));
}

static void
test_namespace_reset_md (void)
{
  g_autoptr (HeroVirtKubernetesManager) km = manager ("default");
  g_autoptr (HeroVirtNamespaceBuilder) ns = hero_virt_namespace_builder_new (km, "md-test");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autofree char           *md = NULL;
  g_autofree char           *after = NULL;
  HeroVirtKubernetesManager *nsm;

  hero_virt_kube_resource_builder_label (B (ns), "team", "a");
  /* reset of a namespace that does not exist yet just creates it */
  g_assert_true (hero_virt_namespace_builder_reset (ns, 30000, NULL, &error));
  g_assert_no_error (error);
  nsm = hero_virt_namespace_builder_get_namespace_manager (ns);
  g_assert_cmpstr (hero_virt_kubernetes_manager_get_namespace (nsm), ==, "md-test");
  {
    g_autoptr (HeroVirtDeploymentBuilder) d = hero_virt_namespace_builder_deployment (ns, "web");
    g_autoptr (HeroVirtServiceBuilder) s = hero_virt_namespace_builder_service (ns, "web");
    g_autoptr (HeroVirtConfigMapBuilder) c = hero_virt_namespace_builder_config_map (ns, "cfg");
    g_autoptr (HeroVirtSecretBuilder) x = hero_virt_namespace_builder_secret (ns, "creds");
    g_autoptr (HeroVirtIngressRouteBuilder) r
        = hero_virt_namespace_builder_ingress_route (ns, "web");

    hero_virt_kube_workload_builder_image (W (d), "nginx:1.27");
    hero_virt_deployment_builder_replicas (d, 2);
    hero_virt_service_builder_port (s, 80, 0);
    hero_virt_config_map_builder_data (c, "mode", "fast");
    hero_virt_secret_builder_data (x, "password", "hunter2");
    hero_virt_ingress_route_builder_route_for (r, "web.example", NULL);
    hero_virt_ingress_route_builder_service (r, "web", 80);
    for (guint i = 0; i < 5; i++)
      {
        gpointer builders[] = { d, s, c, x, r };
        g_autoptr (JsonNode) done
            = hero_virt_kube_resource_builder_apply (B (builders[i]), NULL, &error);

        g_assert_no_error (error);
        assert_at (done, "$.metadata.namespace", "\"md-test\"");
      }
    node = hero_virt_kubernetes_manager_wait_for (nsm,
                                                  hero_virt_kube_resource_builder_get_kind (B (d)),
                                                  "web", "rollout", 30000, NULL, &error);
    g_assert_no_error (error);
  }
  md = hero_virt_namespace_builder_md (ns, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", md);
  g_assert_true (g_str_has_prefix (md, "# Namespace `md-test`\n"));
  g_assert_nonnull (strstr (md, "- Status: Active\n"));
  g_assert_nonnull (strstr (md, "- Labels: team=a"));
  g_assert_nonnull (strstr (md, "## Deployments (1)"));
  g_assert_nonnull (strstr (md, "| web | 2/2 | 2 | 2 | nginx:1.27 |"));
  g_assert_nonnull (strstr (md, "## Pods (2)"));
  g_assert_nonnull (strstr (md, "| Running | 1/1 | 0 |"));
  g_assert_nonnull (strstr (md, "## Services (1)"));
  g_assert_nonnull (strstr (md, "| web | ClusterIP |"));
  g_assert_nonnull (strstr (md, "| 80/TCP | app=web |"));
  g_assert_nonnull (strstr (md, "| cfg | mode |"));
  g_assert_nonnull (strstr (md, "| creds | Opaque | password |"));
  g_assert_nonnull (strstr (md, "| web | (default) | Host(`web.example`) |"));
  g_assert_null (strstr (md, "hunter2"));
  g_assert_null (strstr (md, "aHVudGVyMg")); /* nor its base64 */

  /* reset: delete, wait for termination, recreate, empty */
  g_assert_true (hero_virt_namespace_builder_reset (ns, 30000, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr (JsonNode) again = hero_virt_kubernetes_manager_get (
        km, hero_virt_kube_resource_builder_get_kind (B (ns)), "md-test", NULL, &error);
    g_autoptr (JsonNode) maps = hero_virt_kubernetes_manager_configmaps_list (nsm, NULL, &error);
    g_autoptr (GPtrArray) items = NULL;

    g_assert_no_error (error);
    assert_at (again, "$.status.phase", "\"Active\"");
    assert_at (again, "$.metadata.labels.team", "\"a\"");
    items = hero_virt_kube_list_get_items (maps);
    for (guint i = 0; i < items->len; i++)
      g_assert_cmpstr (hero_virt_kube_resource_get_name (g_ptr_array_index (items, i)), !=, "cfg");
  }
  after = hero_virt_namespace_builder_md (ns, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (after, "## Deployments (0)\n\n_none_\n"));
  g_assert_nonnull (strstr (after, "## Pods (0)"));
  g_assert_true (hero_virt_kube_resource_builder_delete (B (ns), NULL, &error));
  g_assert_no_error (error);
  /* md of a namespace that is gone */
  {
    g_autoptr (JsonNode) gone = hero_virt_kubernetes_manager_wait_for (
        km, hero_virt_kube_resource_builder_get_kind (B (ns)), "md-test", "deleted", 30000, NULL,
        &error);
    g_autofree char *none = NULL;

    g_assert_no_error (error);
    none = hero_virt_namespace_builder_md (ns, NULL, &error);
    g_assert_null (none);
    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
  }
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  if ((sim = ht_kube_sim_start ("test-builders-", NULL)) == NULL)
    return 0;
  g_test_add_func ("/builders/pod/build", test_pod_build);
  g_test_add_func ("/builders/deployment-service/build", test_deployment_service_build);
  g_test_add_func ("/builders/data/build", test_data_build);
  g_test_add_func ("/builders/traefik/build", test_traefik_build);
  g_test_add_func ("/builders/validation", test_validation);
  g_test_add_func ("/builders/apply", test_apply);
  g_test_add_func ("/builders/traefik/apply", test_traefik_apply);
  g_test_add_func ("/builders/namespace/reset-md", test_namespace_reset_md);
  rc = g_test_run ();
  ht_kube_sim_stop (g_steal_pointer (&sim));
  return rc;
}
