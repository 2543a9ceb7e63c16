/* k8s-config.h: kubeconfig and in-cluster configuration, read as kubectl
 * reads them
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <hero-virt.h>

G_BEGIN_DECLS

#define K8S_MAX_CONFIG_BYTES (16 * 1024 * 1024)
#define K8S_MAX_YAML_DEPTH 64
#define K8S_MAX_YAML_NODES 1000000

typedef struct
{
  char *context_name;
  char *server; /* no trailing slash */
  char *namespace;
  char    *ca_pem; /* nullable */
  gboolean insecure;
  char    *tls_server_name;
  char    *cert_pem; /* nullable */
  char    *key_pem;  /* nullable */
  char    *token;
  char    *token_file;
  char    *username;
  char    *password;
  char   **exec_argv; /* nullable: no exec plugin */
  char   **exec_env;  /* KEY=VALUE additions */
  char    *exec_api_version;
  gboolean exec_provide_cluster_info;
  gboolean in_cluster;
} K8sConnInfo;

void k8s_conn_info_free (K8sConnInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (K8sConnInfo, k8s_conn_info_free)

JsonNode  *k8s_yaml_parse (const char *data, gsize length, GError **error);
GPtrArray *k8s_yaml_parse_all (const char *data, gsize length, GError **error);

/* kubeconfig: a path (no merging), or NULL for $KUBECONFIG / ~/.kube/config,
 * then in-cluster. */
K8sConnInfo *k8s_conn_info_load (const char *kubeconfig,
                                 const char *context,
                                 gboolean    allow_http,
                                 GError    **error);

G_END_DECLS
