/* testlib.h: helpers for HeroVirt's C tests: temp dirs, daemons started
 * and stopped by PID, free ports, required tools.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <hero-virt.h>

G_BEGIN_DECLS

/* A directory under $TMPDIR removed (recursively) by ht_tmpdir_free(). */
char *ht_tmpdir_new (const char *name_prefix);
void  ht_tmpdir_free (char *path);

/* Fails the test (in CI, where CI is set) or skips it with a reason when
 * @program is not in PATH. Returns TRUE when the program is there. */
gboolean ht_require_program (const char *program);

/* A TCP port on 127.0.0.1 that was free a moment ago. */
guint16 ht_free_port (void);

/* A daemon run in the background with its output in @log_path. */
typedef struct _HtDaemon HtDaemon;
HtDaemon                *ht_daemon_start (const char *const *argv,
                                          const char *const *extra_env, /* NAME=VALUE, nullable */
                                          const char        *log_path,  /* nullable: /dev/null */
                                          GError           **error);
GPid                     ht_daemon_get_pid (HtDaemon *daemon);
gboolean                 ht_daemon_is_running (HtDaemon *daemon);
/* SIGTERM, then SIGKILL after @grace_ms; waits for the process; frees. */
void ht_daemon_stop (HtDaemon *daemon, guint grace_ms);

/* hero-virt-kube-sim ($KUBE_SIM) on 127.0.0.1 with a port of its own
 * choosing, in a temp dir that holds its kubeconfig, CA, admin client
 * certificate and log (sim.log). It dies with the test process. */
typedef struct
{
  GSubprocess *process;
  char        *dir;        /* ca.crt, admin.crt, admin.key, sim.log */
  char        *kubeconfig; /* in dir */
  guint16      port;
} HtKubeSim;

/* Starts it with --port 0 --kubeconfig DIR/kubeconfig --pod-ready-delay
 * 100 and @extra_args (nullable) in a temp dir named after @dir_prefix,
 * and waits for its ready line. Returns NULL when $KUBE_SIM is not an
 * executable: the test is then marked skipped, or aborts with CI=true. */
HtKubeSim *ht_kube_sim_start (const char *dir_prefix, const char *const *extra_args);
/* SIGTERM by PID, waits for it, removes the temp dir, frees. NULL is fine. */
void ht_kube_sim_stop (HtKubeSim *sim);

gboolean ht_wait_for_tcp (const char *host, guint16 port, guint timeout_ms);
gboolean ht_wait_for_unix_socket (const char *path, guint timeout_ms);
gboolean ht_wait_for_file (const char *path, guint timeout_ms);

/* Runs argv synchronously (test setup only); asserts success unless
 * @may_fail; returns stdout. */
char *ht_run (const char *const *argv, gboolean may_fail);

/* Writes a containers.conf (runtime runc, ulimits this machine allows)
 * and a storage.conf (graphroot/runroot under @dir) into @dir and returns
 * the environment that points buildah/podman at them:
 * CONTAINERS_CONF, CONTAINERS_STORAGE_CONF, CONTAINERS_REGISTRIES_CONF
 * (empty registries file) and REGISTRY_AUTH_FILE (a private file). */
char **ht_containers_env_new (const char *dir);

/* Scans every process's /proc/PID/cmdline over and over in a thread,
 * counting those that contain @secret and those that contain @marker (a
 * word the test puts on the command line it runs, to prove the scan saw
 * it running). */
typedef struct _HtProcWatch HtProcWatch;

HtProcWatch *ht_proc_watch_start (const char *secret, const char *marker);
/* Stops the thread; returns the sightings of the secret. */
guint ht_proc_watch_stop (HtProcWatch *watch, guint *out_marker_seen, guint *out_scans);

G_END_DECLS
