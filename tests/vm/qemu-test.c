/* qemu-test.c: the qemu hypervisor provider, through the registry, with a
 * real guest (Debian's kernel + a busybox initramfs, tests/vm/guest/)
 * booted under TCG (KVM where the CPU has it).
 *
 * One cold boot serves the whole lifecycle: start (twice at once: one
 * wins), console marker, pause (the console stops) and resume (it goes
 * on), a second process reading the record, snapshot, vCPU hot-plug,
 * the ACPI power button; then a restore of the snapshot (no boot), and a
 * kill -9 of qemu that info reports as stopped. Hostile specs are checked
 * without booting anything.
 *
 * The record root has a comma in its name, so the QMP socket and the
 * console log paths qemu is given need qemu's comma escaping to work.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <hero-virt.h>

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu-argv.h"
#include "testlib.h"

#define BOOT_TIMEOUT_S 90

static struct
{
  char                       *tmp;
  char                       *root; /* record root, with a comma */
  char                       *kernel;
  char                       *initrd;
  char                       *disk;
  HeroVirtHypervisorProvider *provider;
  HeroVirtExecutor           *executor;
  gboolean                    ready;
} fx;

static gboolean
setup_guest (void)
{
  g_autofree char *script = NULL;
  g_autofree char *outdir = NULL;
  g_autofree char *out = NULL;
  g_auto (GStrv) lines = NULL;
  const char *argv[] = { "bash", NULL, NULL, NULL };

  if (fx.ready)
    return TRUE;
  if (!ht_require_program ("qemu-system-x86_64") || !ht_require_program ("cpio")
      || !ht_require_program ("apt-get"))
    return FALSE;
  script = g_test_build_filename (G_TEST_DIST, "vm", "guest", "build-guest.sh", NULL);
  outdir = g_build_filename (fx.tmp, "guest", NULL);
  argv[1] = script;
  argv[2] = outdir;
  out = ht_run (argv, FALSE);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "KERNEL="))
        fx.kernel = g_strdup (lines[i] + strlen ("KERNEL="));
      else if (g_str_has_prefix (lines[i], "INITRD="))
        fx.initrd = g_strdup (lines[i] + strlen ("INITRD="));
    }
  g_assert_nonnull (fx.kernel);
  g_assert_nonnull (fx.initrd);
  fx.ready = TRUE;
  return TRUE;
}

static HeroVirtVmBuilder *
guest_builder (const char *name)
{
  HeroVirtVmBuilder *builder = hero_virt_vm_builder_new (name);

  hero_virt_vm_builder_set_kernel (builder, fx.kernel);
  hero_virt_vm_builder_set_initramfs (builder, fx.initrd);
  hero_virt_vm_builder_set_cmdline (builder, "console=ttyS0 quiet panic=-1");
  hero_virt_vm_builder_set_memory_mb (builder, 256);
  return builder;
}

static guint
count_records (void)
{
  g_autoptr (GDir) dir = g_dir_open (fx.root, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static char *
read_console (HeroVirtVmInfo *info)
{
  char *text = NULL;

  if (!g_file_get_contents (hero_virt_vm_info_get_console_path (info), &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

static gsize
console_size (HeroVirtVmInfo *info)
{
  struct stat st;

  if (stat (hero_virt_vm_info_get_console_path (info), &st) < 0)
    return 0;
  return (gsize)st.st_size;
}

static gboolean
wait_for_console (HeroVirtVmInfo *info, const char *marker, guint timeout_s, guint occurrences)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_s * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *text = read_console (info);
      guint            n = 0;

      for (const char *p = text; (p = strstr (p, marker)) != NULL; p += strlen (marker))
        n++;
      if (n >= occurrences)
        return TRUE;
      g_usleep (50000);
    }
  return FALSE;
}

static HeroVirtVmInfo *
get_info (const char *id)
{
  g_autoptr (GError) error = NULL;
  HeroVirtVmInfo *info
      = hero_virt_hypervisor_provider_info (fx.provider, fx.executor, id, NULL, &error);

  g_assert_no_error (error);
  return info;
}

/* ---- no boot ---- */

static void
test_escape (void)
{
  g_autofree char *escaped = qemu_escape_option_value ("/x/a.qcow2,readonly=off");
  g_autoptr (HeroVirtVmSpec) spec = NULL;
  g_autoptr (GPtrArray) argv = NULL;
  const char *formats[] = { "qcow2", NULL };
  QemuLaunch  launch = { .binary = "qemu-system-x86_64",
                         .accel = "tcg",
                         .qmp_socket = "/run/a,b/qmp.sock",
                         .pidfile = "/run/a,b/qemu.pid",
                         .console_log = "/run/a,b/console.log",
                         .formats = formats,
                         .daemonize = TRUE };
  gboolean    saw_drive = FALSE, saw_qmp = FALSE, saw_serial = FALSE;

  g_assert_cmpstr (escaped, ==, "/x/a.qcow2,,readonly=off");
  /* A spec that skipped validation: the comma still cannot become an
   * option. */
  spec = hero_virt_vm_spec_new_from_json (
      "{\"name\": \"c\", \"kernel\": \"/k\", \"memory_mb\": 64,"
      " \"disks\": [{\"path\": \"/x/a.qcow2,readonly=off\", \"readonly\": true}]}",
      NULL);
  g_assert_nonnull (spec);
  argv = qemu_build_argv (spec, &launch);
  for (guint i = 0; g_ptr_array_index (argv, i) != NULL; i++)
    {
      const char *arg = g_ptr_array_index (argv, i);

      if (g_str_has_prefix (arg, "file="))
        {
          g_assert_cmpstr (
              arg, ==, "file=/x/a.qcow2,,readonly=off,if=virtio,format=qcow2,readonly=on,id=disk0");
          saw_drive = TRUE;
        }
      if (g_str_has_prefix (arg, "socket,id=qmp,"))
        {
          g_assert_cmpstr (arg, ==, "socket,id=qmp,path=/run/a,,b/qmp.sock,server=on,wait=off");
          saw_qmp = TRUE;
        }
      if (g_str_has_prefix (arg, "file,id=serial0,"))
        {
          g_assert_cmpstr (arg, ==, "file,id=serial0,path=/run/a,,b/console.log");
          saw_serial = TRUE;
        }
    }
  g_assert_true (saw_drive && saw_qmp && saw_serial);

  /* Port forwards: normalized, loopback unless an address is given. */
  {
    const char *bad[]
        = { "hostfwd=icmp::1-:2",   "hostfwd=tcp::99999-:22", "hostfwd=tcp::22",
            "hostfwd=tcp:a,b:1-:2", "hostfwd=tcp:1.2.3:1-:2", "hostfwd=tcp::1-:2,guestfwd=x",
            "hostfwd=tcp::0-:22" };
    g_autofree char *ok = qemu_parse_hostfwd ("hostfwd=tcp::2222-:22", NULL);
    g_autofree char *ok2 = qemu_parse_hostfwd ("hostfwd=udp:127.0.0.2:53-10.0.2.15:53", NULL);

    g_assert_cmpstr (ok, ==, "tcp:127.0.0.1:2222-:22");
    g_assert_cmpstr (ok2, ==, "udp:127.0.0.2:53-10.0.2.15:53");
    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr (GError) error = NULL;
        g_autofree char *forward = qemu_parse_hostfwd (bad[i], &error);

        g_assert_null (forward);
        g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
      }
  }
  {
    g_autoptr (HeroVirtVmSpec) net_spec = hero_virt_vm_spec_new_from_json (
        "{\"name\": \"n\", \"kernel\": \"/k\", \"nets\": [{\"mode\": \"user\"}],"
        " \"extra_args\": [\"hostfwd=tcp::2222-:22\", \"-no-hpet\"]}",
        NULL);
    g_autoptr (GPtrArray) net_argv = NULL;
    gboolean saw_netdev = FALSE;

    g_assert_nonnull (net_spec);
    net_argv = qemu_build_argv (net_spec, &launch);
    for (guint i = 0; g_ptr_array_index (net_argv, i) != NULL; i++)
      {
        const char *arg = g_ptr_array_index (net_argv, i);

        g_assert_false (g_str_has_prefix (arg, "hostfwd="));
        if (g_str_has_prefix (arg, "user,"))
          {
            g_assert_cmpstr (arg, ==, "user,id=net0,hostfwd=tcp:127.0.0.1:2222-:22");
            saw_netdev = TRUE;
          }
      }
    g_assert_true (saw_netdev);
    g_assert_cmpstr (g_ptr_array_index (net_argv, net_argv->len - 2), ==, "-no-hpet");
  }
  /* Port forwards of the VmNet API: each user-mode device gets its own,
   * the older extra arguments go to the first one. */
  {
    g_autoptr (HeroVirtVmBuilder) builder = hero_virt_vm_builder_new ("f");
    g_autoptr (HeroVirtVmNet) second = hero_virt_vm_net_new_user ();
    g_autoptr (HeroVirtVmPortForward) dns
        = hero_virt_vm_port_forward_new ("udp", "127.0.0.2", 5353, 53);
    g_autoptr (HeroVirtVmSpec) fwd_spec = NULL;
    g_autoptr (GPtrArray) fwd_argv = NULL;
    g_autoptr (GPtrArray) all = NULL;
    g_autoptr (GError) error = NULL;
    guint users = 0;

    hero_virt_vm_net_add_port_forward (second, dns);
    hero_virt_vm_builder_set_kernel (builder, "/k");
    hero_virt_vm_builder_add_user_net (builder);
    hero_virt_vm_builder_add_net_device (builder, second);
    hero_virt_vm_builder_add_port_forward (builder, "tcp", NULL, 2222, 22);
    hero_virt_vm_builder_add_port_forward (builder, "tcp", "0.0.0.0", 8080, 80);
    hero_virt_vm_builder_add_extra_arg (builder, "hostfwd=tcp::2223-:23");
    fwd_spec = hero_virt_vm_builder_build (builder, &error);
    g_assert_no_error (error);
    /* the device passed in is not changed by the builder */
    g_assert_cmpuint (hero_virt_vm_net_get_port_forwards (second)->len, ==, 1);
    all = hero_virt_vm_spec_list_port_forwards (fwd_spec);
    g_assert_cmpuint (all->len, ==, 4);
    fwd_argv = qemu_build_argv (fwd_spec, &launch);
    for (guint i = 0; g_ptr_array_index (fwd_argv, i) != NULL; i++)
      {
        const char *arg = g_ptr_array_index (fwd_argv, i);

        g_assert_false (g_str_has_prefix (arg, "hostfwd="));
        if (g_str_has_prefix (arg, "user,id=net0"))
          g_assert_cmpstr (arg, ==,
                           "user,id=net0,hostfwd=tcp:127.0.0.1:2222-:22,"
                           "hostfwd=tcp:0.0.0.0:8080-:80,hostfwd=tcp:127.0.0.1:2223-:23");
        if (g_str_has_prefix (arg, "user,id=net1"))
          g_assert_cmpstr (arg, ==, "user,id=net1,hostfwd=udp:127.0.0.2:5353-:53");
        users += g_str_has_prefix (arg, "user,");
      }
    g_assert_cmpuint (users, ==, 2);

    /* a tap device forwards nothing; a forwards member that is no array */
    {
      g_autoptr (HeroVirtVmNet) tap = hero_virt_vm_net_new_for_tap ("tap0");
      g_autoptr (HeroVirtVmSpec) bad = NULL;

      hero_virt_vm_net_add_port_forward (tap, dns);
      g_assert_false (hero_virt_vm_net_validate (tap, &error));
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
      bad = hero_virt_vm_spec_new_from_json (
          "{\"name\": \"b\", \"kernel\": \"/k\", \"nets\": [{\"mode\": \"user\","
          " \"port_forwards\": 3}]}",
          &error);
      g_assert_null (bad);
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE);
      g_clear_error (&error);
      bad = hero_virt_vm_spec_new_from_json (
          "{\"name\": \"b\", \"kernel\": \"/k\", \"nets\": [{\"mode\": \"user\","
          " \"port_forwards\": [{\"protocol\": \"tcp\", \"host_address\": \"1.2.3.4,x=y\","
          " \"host_port\": 1, \"guest_port\": 2}]}]}",
          &error);
      g_assert_no_error (error);
      g_assert_false (hero_virt_vm_spec_validate (bad, &error));
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
    }
  }
  g_assert_cmpstr (g_ptr_array_index (argv, 3), ==, "-nodefaults");
  g_assert_cmpstr (g_ptr_array_index (argv, 4), ==, "-no-user-config");
}

static void
expect_create_fails (HeroVirtVmSpec *spec, gint code, const char *what)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id
      = hero_virt_hypervisor_provider_create (fx.provider, fx.executor, spec, NULL, &error);

  g_test_message ("%s: %s", what, error != NULL ? error->message : "(no error)");
  g_assert_null (id);
  g_assert_error (error, HERO_VIRT_ERROR, code);
  g_assert_cmpuint (count_records (), ==, 0);
}

static HeroVirtVmSpec *spec_from_json (const char *format, ...) G_GNUC_PRINTF (1, 2);

static HeroVirtVmSpec *
spec_from_json (const char *format, ...)
{
  g_autofree char *json = NULL;
  g_autoptr (GError) error = NULL;
  HeroVirtVmSpec *spec;
  va_list         args;

  va_start (args, format);
  json = g_strdup_vprintf (format, args);
  va_end (args);
  spec = hero_virt_vm_spec_new_from_json (json, &error);
  g_assert_no_error (error);
  return spec;
}

static void
test_hostile_specs (void)
{
  g_autofree char *comma_disk = NULL;
  g_autofree char *missing = NULL;

  if (!setup_guest ())
    return;
  comma_disk = g_build_filename (fx.tmp, "a.qcow2,readonly=off", NULL);
  g_assert_true (g_file_set_contents (comma_disk, "", 0, NULL));
  missing = g_build_filename (fx.tmp, "missing", NULL);

#define K "\"kernel\": \"%s\", \"initramfs\": \"%s\""
  {
    g_autoptr (HeroVirtVmSpec) spec
        = spec_from_json ("{\"name\": \"bad_name\", " K "}", fx.kernel, fx.initrd);
    expect_create_fails (spec, HERO_VIRT_ERROR_INVALID_ARGUMENT, "not a DNS label");
  }
  {
    g_autoptr (HeroVirtVmSpec) spec
        = spec_from_json ("{\"name\": \"a..b\", " K "}", fx.kernel, fx.initrd);
    expect_create_fails (spec, HERO_VIRT_ERROR_INVALID_ARGUMENT, "..");
  }
  {
    g_autoptr (HeroVirtVmSpec) spec
        = spec_from_json ("{\"name\": \"../etc\", " K "}", fx.kernel, fx.initrd);
    expect_create_fails (spec, HERO_VIRT_ERROR_INVALID_ARGUMENT, "../etc");
  }
  {
    g_autoptr (HeroVirtVmSpec) spec
        = spec_from_json ("{\"name\": \"v\", \"vcpus\": 0, " K "}", fx.kernel, fx.initrd);
    expect_create_fails (spec, HERO_VIRT_ERROR_INVALID_ARGUMENT, "0 vCPUs");
  }
  {
    g_autoptr (HeroVirtVmSpec) spec
        = spec_from_json ("{\"name\": \"v\", \"vcpus\": 300, " K "}", fx.kernel, fx.initrd);
    expect_create_fails (spec, HERO_VIRT_ERROR_INVALID_ARGUMENT, "300 vCPUs");
  }
  {
    g_autoptr (HeroVirtVmSpec) spec
        = spec_from_json ("{\"name\": \"v\", \"memory_mb\": 4, " K "}", fx.kernel, fx.initrd);
    expect_create_fails (spec, HERO_VIRT_ERROR_INVALID_ARGUMENT, "4 MiB");
  }
  {
    g_autoptr (HeroVirtVmSpec) spec = spec_from_json (
        "{\"name\": \"v\", \"memory_mb\": 2199023255552, " K "}", fx.kernel, fx.initrd);
    expect_create_fails (spec, HERO_VIRT_ERROR_INVALID_ARGUMENT, "absurd memory");
  }
  {
    g_autoptr (HeroVirtVmSpec) spec
        = spec_from_json ("{\"name\": \"v\", \"memory_mb\": 200000, " K "}", fx.kernel, fx.initrd);
    expect_create_fails (spec, HERO_VIRT_ERROR_INVALID_ARGUMENT, "more than the host");
  }
  {
    g_autoptr (HeroVirtVmSpec) spec
        = spec_from_json ("{\"name\": \"v\", " K "}", missing, fx.initrd);
    expect_create_fails (spec, HERO_VIRT_ERROR_NOT_FOUND, "missing kernel");
  }
  {
    g_autoptr (HeroVirtVmSpec) spec = spec_from_json (
        "{\"name\": \"v\", " K ", \"disks\": [{\"path\": \"%s\", \"format\": \"raw\"}]}", fx.kernel,
        fx.initrd, missing);
    expect_create_fails (spec, HERO_VIRT_ERROR_NOT_FOUND, "missing disk");
  }
  {
    g_autoptr (HeroVirtVmSpec) spec = spec_from_json (
        "{\"name\": \"v\", " K ", \"disks\": [{\"path\": \"%s\", \"format\": \"qcow2\"}]}",
        fx.kernel, fx.initrd, comma_disk);
    expect_create_fails (spec, HERO_VIRT_ERROR_INVALID_ARGUMENT, "comma in a disk path");
  }
  {
    g_autoptr (HeroVirtVmSpec) spec
        = spec_from_json ("{\"name\": \"v\", " K "}", comma_disk, fx.initrd);
    expect_create_fails (spec, HERO_VIRT_ERROR_INVALID_ARGUMENT, "comma in the kernel path");
  }
  {
    g_autoptr (HeroVirtVmSpec) spec
        = spec_from_json ("{\"name\": \"v\", " K ", \"disks\": [{\"path\": \"relative.img\"}]}",
                          fx.kernel, fx.initrd);
    expect_create_fails (spec, HERO_VIRT_ERROR_INVALID_ARGUMENT, "relative disk path");
  }
  {
    g_autoptr (HeroVirtVmSpec) spec
        = spec_from_json ("{\"name\": \"v\", " K ", \"extra_args\": [\"hostfwd=tcp::2222-:22\"]}",
                          fx.kernel, fx.initrd);
    expect_create_fails (spec, HERO_VIRT_ERROR_INVALID_ARGUMENT, "port forward without network");
  }
  {
    g_autoptr (HeroVirtVmSpec) spec = spec_from_json (
        "{\"name\": \"v\", " K ", \"nets\": [{\"mode\": \"user\"}],"
        " \"extra_args\": [\"hostfwd=tcp::2222-:22,guestfwd=tcp:10.0.2.100:1-cmd:sh\"]}",
        fx.kernel, fx.initrd);
    expect_create_fails (spec, HERO_VIRT_ERROR_INVALID_ARGUMENT, "options smuggled in a forward");
  }
#undef K
  {
    g_autoptr (GError) error = NULL;

    g_assert_false (
        hero_virt_hypervisor_provider_start (fx.provider, fx.executor, "../x", NULL, &error));
    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
    g_assert_null (
        hero_virt_hypervisor_provider_info (fx.provider, fx.executor, "nope", NULL, &error));
    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
  }
  g_unlink (comma_disk);
}

/* ---- the booted guest ---- */

typedef struct
{
  guint   done;
  guint   ok;
  GError *error;
} StartRace;

static void
start_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  StartRace *race = user_data;
  GError    *error = NULL;

  if (hero_virt_hypervisor_provider_start_finish (HERO_VIRT_HYPERVISOR_PROVIDER (source), result,
                                                  &error))
    race->ok++;
  else if (race->error == NULL)
    race->error = error;
  else
    g_error_free (error);
  race->done++;
}

/* Runs in a subprocess: another process reads the record. */
static void
test_second_process_child (void)
{
  g_autoptr (HeroVirtVmInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autofree char *pid_file = g_build_filename (fx.tmp, "qemu-pid", NULL);
  g_autofree char *pid = NULL;

  if (!g_test_subprocess ())
    {
      g_test_skip ("runs as a second process of /qemu/lifecycle");
      return;
    }
  g_assert_true (g_file_get_contents (pid_file, &pid, NULL, NULL));
  info = get_info ("guest");
  g_assert_cmpint (hero_virt_vm_info_get_state (info), ==, HERO_VIRT_VM_STATE_RUNNING);
  g_assert_cmpint (hero_virt_vm_info_get_pid (info), ==, g_ascii_strtoll (pid, NULL, 10));
  list = hero_virt_hypervisor_provider_list (fx.provider, fx.executor, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_print ("second process sees %s running\n",
           hero_virt_vm_info_get_id (g_ptr_array_index (list, 0)));
}

static void
test_lifecycle (void)
{
  g_autoptr (HeroVirtVmBuilder) builder = NULL;
  g_autoptr (HeroVirtVmSpec) spec = NULL;
  g_autoptr (HeroVirtVmInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *snapshot = NULL;
  g_autofree char *text = NULL;
  g_autofree char *pid_text = NULL;
  g_autofree char *pid_file = NULL;
  g_autofree char *forward = NULL;
  guint16          forward_port;
  StartRace        race = { 0 };
  gsize            before, after;
  gint64           pid;
  gint64           t0;

  if (!setup_guest ())
    return;
  fx.disk = g_build_filename (fx.tmp, "data.raw", NULL);
  {
    g_autofree char *zeros = g_malloc0 (1024 * 1024);
    g_assert_true (g_file_set_contents (fx.disk, zeros, 1024 * 1024, NULL));
  }
  builder = guest_builder ("guest");
  hero_virt_vm_builder_set_vcpus (builder, 2); /* room to hot-plug up to 4 */
  hero_virt_vm_builder_add_disk_device (
      builder, hero_virt_vm_disk_set_format (hero_virt_vm_disk_new (fx.disk), "raw"));
  hero_virt_vm_builder_add_user_net (builder);
  forward_port = ht_free_port ();
  forward = g_strdup_printf ("hostfwd=tcp::%u-:22", forward_port);
  hero_virt_vm_builder_add_extra_arg (builder, forward);
  spec = hero_virt_vm_builder_build (builder, &error);
  g_assert_no_error (error);

  id = hero_virt_hypervisor_provider_create (fx.provider, fx.executor, spec, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "guest");
  g_assert_null (
      hero_virt_hypervisor_provider_create (fx.provider, fx.executor, spec, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS);
  g_clear_error (&error);
  info = get_info ("guest");
  g_assert_cmpint (hero_virt_vm_info_get_state (info), ==, HERO_VIRT_VM_STATE_CREATED);
  g_clear_object (&info);

  /* Two starts at once: one boots the VM, the other finds it running. */
  t0 = g_get_monotonic_time ();
  hero_virt_hypervisor_provider_start_async (fx.provider, fx.executor, "guest", NULL, start_done,
                                             &race);
  hero_virt_hypervisor_provider_start_async (fx.provider, fx.executor, "guest", NULL, start_done,
                                             &race);
  while (race.done < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (race.ok, ==, 1);
  g_assert_error (race.error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS);
  g_clear_error (&race.error);
  g_test_message ("start returned after %.2f s",
                  (g_get_monotonic_time () - t0) / (double)G_USEC_PER_SEC);

  info = get_info ("guest");
  g_assert_cmpint (hero_virt_vm_info_get_state (info), ==, HERO_VIRT_VM_STATE_RUNNING);
  pid = hero_virt_vm_info_get_pid (info);
  g_assert_cmpint (pid, >, 0);
  g_assert_true (strchr (hero_virt_vm_info_get_console_path (info), ',') != NULL);
  /* qemu's user network listens on the forwarded loopback port. */
  g_assert_true (ht_wait_for_tcp ("127.0.0.1", forward_port, 10000));
  g_assert_true (wait_for_console (info, "HEROVIRT-GUEST-READY", BOOT_TIMEOUT_S, 1));
  g_test_message ("guest ready after %.2f s",
                  (g_get_monotonic_time () - t0) / (double)G_USEC_PER_SEC);
  text = read_console (info);
  g_assert_nonnull (strstr (text, "disks=vda"));
  g_clear_pointer (&text, g_free);
  g_assert_true (wait_for_console (info, "HEROVIRT-TICK 3", 10, 1));

  /* A snapshot needs a paused VM. */
  {
    g_autofree char *early = g_build_filename (fx.tmp, "early-snap", NULL);

    g_assert_false (hero_virt_hypervisor_provider_snapshot (fx.provider, fx.executor, "guest",
                                                            early, NULL, &error));
    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED);
    g_clear_error (&error);
    g_assert_false (g_file_test (early, G_FILE_TEST_EXISTS));
  }

  /* Pause: the console stops; resume: it goes on. */
  g_assert_true (
      hero_virt_hypervisor_provider_pause (fx.provider, fx.executor, "guest", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (
      hero_virt_hypervisor_provider_pause (fx.provider, fx.executor, "guest", NULL, &error));
  g_clear_object (&info);
  info = get_info ("guest");
  g_assert_cmpint (hero_virt_vm_info_get_state (info), ==, HERO_VIRT_VM_STATE_PAUSED);
  g_usleep (300000);
  before = console_size (info);
  g_usleep (1200000);
  after = console_size (info);
  g_assert_cmpuint (before, ==, after);

  /* Snapshot while paused (a migration stream). */
  snapshot = g_build_filename (fx.tmp, "snap", NULL);
  g_assert_true (hero_virt_hypervisor_provider_snapshot (fx.provider, fx.executor, "guest",
                                                         snapshot, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (
      hero_virt_hypervisor_provider_resume (fx.provider, fx.executor, "guest", NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&info);
  info = get_info ("guest");
  g_assert_cmpint (hero_virt_vm_info_get_state (info), ==, HERO_VIRT_VM_STATE_RUNNING);
  for (guint i = 0; i < 100 && console_size (info) == after; i++)
    g_usleep (50000);
  g_assert_cmpuint (console_size (info), >, after);

  /* Another process sees the same VM, running, with the same pid. */
  pid_text = g_strdup_printf ("%" G_GINT64_FORMAT, pid);
  pid_file = g_build_filename (fx.tmp, "qemu-pid", NULL);
  g_assert_true (g_file_set_contents (pid_file, pid_text, -1, NULL));
  g_test_trap_subprocess ("/qemu/second-process", 30 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*second process sees guest running*");

  /* vCPU hot-plug up (within room for twice the boot count); down, past
   * the room, and memory are not supported. */
  g_assert_true (
      hero_virt_hypervisor_provider_resize (fx.provider, fx.executor, "guest", 3, 0, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&info);
  info = get_info ("guest");
  g_assert_cmpint (json_object_get_int_member (
                       json_node_get_object (hero_virt_vm_info_get_details (info)), "vcpus"),
                   ==, 3);
  g_assert_false (
      hero_virt_hypervisor_provider_resize (fx.provider, fx.executor, "guest", 1, 0, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_false (
      hero_virt_hypervisor_provider_resize (fx.provider, fx.executor, "guest", 5, 0, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_false (hero_virt_hypervisor_provider_resize (fx.provider, fx.executor, "guest", 0, 512,
                                                        NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  /* The ACPI power button: the guest powers itself off. */
  t0 = g_get_monotonic_time ();
  g_assert_true (hero_virt_hypervisor_provider_stop (fx.provider, fx.executor, "guest", FALSE, 30,
                                                     NULL, &error));
  g_assert_no_error (error);
  g_test_message ("power button to stopped in %.2f s",
                  (g_get_monotonic_time () - t0) / (double)G_USEC_PER_SEC);
  g_assert_true (wait_for_console (info, "Power down", 5, 1));
  g_clear_object (&info);
  info = get_info ("guest");
  g_assert_cmpint (hero_virt_vm_info_get_state (info), ==, HERO_VIRT_VM_STATE_STOPPED);
  g_assert_cmpint (hero_virt_vm_info_get_pid (info), ==, 0);
  /* qemu's SHUTDOWN event said the guest powered itself off. */
  g_assert_cmpstr (
      json_object_get_string_member (json_node_get_object (hero_virt_vm_info_get_details (info)),
                                     "last_shutdown"),
      ==, "guest-shutdown");
  g_assert_true (hero_virt_hypervisor_provider_stop (fx.provider, fx.executor, "guest", FALSE, 1,
                                                     NULL, &error));
  g_assert_false (
      hero_virt_hypervisor_provider_pause (fx.provider, fx.executor, "guest", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "stopped"));
  g_clear_error (&error);

  /* Not from a directory that holds no snapshot. */
  g_assert_false (hero_virt_hypervisor_provider_restore (fx.provider, fx.executor, "guest", fx.tmp,
                                                         NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Restore the snapshot: paused, then on from where it was (no boot). */
  t0 = g_get_monotonic_time ();
  g_assert_true (hero_virt_hypervisor_provider_restore (fx.provider, fx.executor, "guest", snapshot,
                                                        NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&info);
  info = get_info ("guest");
  g_assert_cmpint (hero_virt_vm_info_get_state (info), ==, HERO_VIRT_VM_STATE_PAUSED);
  g_assert_true (
      hero_virt_hypervisor_provider_resume (fx.provider, fx.executor, "guest", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (wait_for_console (info, "HEROVIRT-TICK", 30, 2));
  g_test_message ("restore to console lines in %.2f s",
                  (g_get_monotonic_time () - t0) / (double)G_USEC_PER_SEC);
  text = read_console (info);
  g_assert_null (strstr (text, "HEROVIRT-GUEST-READY")); /* no new boot */
  g_clear_pointer (&text, g_free);

  /* kill -9 of qemu: reported stopped, never running. */
  g_clear_object (&info);
  info = get_info ("guest");
  pid = hero_virt_vm_info_get_pid (info);
  g_assert_cmpint (pid, >, 0);
  g_assert_cmpint (kill ((pid_t)pid, SIGKILL), ==, 0);
  for (guint i = 0; i < 200; i++)
    {
      g_clear_object (&info);
      info = get_info ("guest");
      if (hero_virt_vm_info_get_state (info) == HERO_VIRT_VM_STATE_STOPPED)
        break;
      g_usleep (10000);
    }
  g_assert_cmpint (hero_virt_vm_info_get_state (info), ==, HERO_VIRT_VM_STATE_STOPPED);
  g_assert_cmpint (hero_virt_vm_info_get_pid (info), ==, 0);

  /* Delete without disks: the record goes, the disk stays. */
  g_assert_true (hero_virt_hypervisor_provider_delete (fx.provider, fx.executor, "guest", FALSE,
                                                       NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_records (), ==, 0);
  g_assert_true (g_file_test (fx.disk, G_FILE_TEST_EXISTS));
  g_assert_null (
      hero_virt_hypervisor_provider_info (fx.provider, fx.executor, "guest", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Delete with disks (never started). */
  g_free (hero_virt_hypervisor_provider_create (fx.provider, fx.executor, spec, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (
      hero_virt_hypervisor_provider_delete (fx.provider, fx.executor, "guest", TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (fx.disk, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_records (), ==, 0);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *env_root = NULL;
  int              rc;

  g_test_init (&argc, &argv, NULL);

  /* A subprocess (g_test_trap_subprocess) reuses the parent's paths. */
  env_root = g_strdup (g_getenv ("HERO_VIRT_TEST_QEMU_TMP"));
  if (env_root != NULL)
    fx.tmp = g_strdup (env_root);
  else
    {
      fx.tmp = ht_tmpdir_new ("qemu");
      g_setenv ("HERO_VIRT_TEST_QEMU_TMP", fx.tmp, TRUE);
    }
  fx.root = g_build_filename (fx.tmp, "vms,with-comma", NULL);
  g_setenv ("HERO_VIRT_VM_DIR", fx.root, TRUE);

  fx.provider = HERO_VIRT_HYPERVISOR_PROVIDER (hero_virt_registry_get_provider (
      hero_virt_registry_get_default (), HERO_VIRT_PROVIDER_KIND_HYPERVISOR, "qemu", &error));
  g_assert_no_error (error);
  fx.executor = hero_virt_executor_get_default ();

  g_test_add_func ("/qemu/escape", test_escape);
  g_test_add_func ("/qemu/hostile-specs", test_hostile_specs);
  g_test_add_func ("/qemu/lifecycle", test_lifecycle);
  g_test_add_func ("/qemu/second-process", test_second_process_child);
  rc = g_test_run ();

  if (env_root == NULL)
    {
      /* Nothing may outlive the test: stop whatever a failure left. */
      g_autoptr (GPtrArray) list
          = hero_virt_hypervisor_provider_list (fx.provider, fx.executor, NULL, NULL);

      for (guint i = 0; list != NULL && i < list->len; i++)
        hero_virt_hypervisor_provider_delete (
            fx.provider, fx.executor, hero_virt_vm_info_get_id (g_ptr_array_index (list, i)), FALSE,
            NULL, NULL);
      ht_tmpdir_free (g_steal_pointer (&fx.tmp));
    }
  g_clear_object (&fx.provider);
  return rc;
}
