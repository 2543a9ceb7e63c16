/* vm-types-test.c: the VM data types: builder, validation, JSON records
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <hero-virt.h>

static HeroVirtVmBuilder *
kernel_builder (const char *name)
{
  HeroVirtVmBuilder *builder = hero_virt_vm_builder_new (name);

  hero_virt_vm_builder_set_kernel (builder, "/boot/vmlinux");
  return builder;
}

static void
test_builder_chain (void)
{
  g_autoptr (HeroVirtVmBuilder) builder = hero_virt_vm_builder_new ("web-1");
  g_autoptr (HeroVirtVmDisk) data
      = hero_virt_vm_disk_set_format (hero_virt_vm_disk_new ("/vms/data.raw"), "raw");
  g_autoptr (HeroVirtVmNet) net
      = hero_virt_vm_net_set_mac (hero_virt_vm_net_new_for_tap ("tap7"), "52:54:00:aa:bb:cc");
  g_autoptr (HeroVirtVmSpec) spec = NULL;
  g_autoptr (GError) error = NULL;
  HeroVirtVmDisk    *disk;
  HeroVirtVmBuilder *same;

  same = hero_virt_vm_builder_add_extra_arg (
      hero_virt_vm_builder_add_net_device (
          hero_virt_vm_builder_add_user_net (hero_virt_vm_builder_add_disk_device (
              hero_virt_vm_builder_add_disk (
                  hero_virt_vm_builder_set_serial (
                      hero_virt_vm_builder_set_memory_mb (
                          hero_virt_vm_builder_set_vcpus (
                              hero_virt_vm_builder_set_cmdline (
                                  hero_virt_vm_builder_set_initramfs (
                                      hero_virt_vm_builder_set_kernel (builder, "/boot/vmlinux"),
                                      "/boot/initrd.img"),
                                  "console=ttyS0 root=/dev/vda"),
                              4),
                          2048),
                      HERO_VIRT_VM_SERIAL_MODE_FILE, "/vms/web-1/console.log"),
                  "/vms/web-1.qcow2", FALSE),
              data)),
          net),
      "--seccomp=false");
  g_assert_true (same == builder);

  spec = hero_virt_vm_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_vm_spec_get_name (spec), ==, "web-1");
  g_assert_cmpstr (hero_virt_vm_spec_get_kernel (spec), ==, "/boot/vmlinux");
  g_assert_cmpstr (hero_virt_vm_spec_get_initramfs (spec), ==, "/boot/initrd.img");
  g_assert_cmpstr (hero_virt_vm_spec_get_cmdline (spec), ==, "console=ttyS0 root=/dev/vda");
  g_assert_null (hero_virt_vm_spec_get_firmware (spec));
  g_assert_cmpuint (hero_virt_vm_spec_get_vcpus (spec), ==, 4);
  g_assert_cmpuint (hero_virt_vm_spec_get_memory_mb (spec), ==, 2048);
  g_assert_cmpint (hero_virt_vm_spec_get_serial_mode (spec), ==, HERO_VIRT_VM_SERIAL_MODE_FILE);
  g_assert_cmpstr (hero_virt_vm_spec_get_serial_path (spec), ==, "/vms/web-1/console.log");
  g_assert_cmpstrv (hero_virt_vm_spec_get_extra_args (spec),
                    ((const char *[]){ "--seccomp=false", NULL }));

  g_assert_cmpuint (hero_virt_vm_spec_get_disks (spec)->len, ==, 2);
  disk = g_ptr_array_index (hero_virt_vm_spec_get_disks (spec), 1);
  g_assert_cmpstr (hero_virt_vm_disk_get_path (disk), ==, "/vms/data.raw");
  g_assert_cmpstr (hero_virt_vm_disk_get_format (disk), ==, "raw");
  g_assert_false (hero_virt_vm_disk_get_readonly (disk));
  g_assert_cmpuint (hero_virt_vm_spec_get_nets (spec)->len, ==, 2);
  g_assert_cmpint (
      hero_virt_vm_net_get_mode (g_ptr_array_index (hero_virt_vm_spec_get_nets (spec), 0)), ==,
      HERO_VIRT_VM_NET_MODE_USER);
  g_assert_cmpstr (
      hero_virt_vm_net_get_mac (g_ptr_array_index (hero_virt_vm_spec_get_nets (spec), 1)), ==,
      "52:54:00:aa:bb:cc");

  /* The spec shares nothing with what built it. */
  hero_virt_vm_disk_set_path (data, "/elsewhere.raw");
  hero_virt_vm_builder_set_vcpus (builder, 1);
  g_assert_cmpstr (hero_virt_vm_disk_get_path (disk), ==, "/vms/data.raw");
  g_assert_cmpuint (hero_virt_vm_spec_get_vcpus (spec), ==, 4);
}

static void
test_builder_properties (void)
{
  g_autoptr (HeroVirtVmBuilder) builder = NULL;
  g_autoptr (HeroVirtVmSpec) spec = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *firmware = NULL;
  gint             notified = 0;

  builder = g_object_new (HERO_VIRT_TYPE_VM_BUILDER, "name", "fw", "firmware",
                          "/usr/share/cloud-hypervisor/hypervisor-fw", "vcpus", 2, "memory-mb",
                          (guint64)256, NULL);
  g_signal_connect_swapped (builder, "notify::memory-mb", G_CALLBACK (g_atomic_int_inc), &notified);
  hero_virt_vm_builder_set_memory_mb (builder, 256); /* unchanged: no notify */
  hero_virt_vm_builder_set_memory_mb (builder, 384);
  g_assert_cmpint (notified, ==, 1);

  g_object_get (builder, "firmware", &firmware, NULL);
  g_assert_cmpstr (firmware, ==, "/usr/share/cloud-hypervisor/hypervisor-fw");

  spec = hero_virt_vm_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hero_virt_vm_spec_get_memory_mb (spec), ==, 384);
  g_assert_cmpuint (hero_virt_vm_spec_get_nets (spec)->len, ==, 0);
  g_assert_cmpint (hero_virt_vm_spec_get_serial_mode (spec), ==, HERO_VIRT_VM_SERIAL_MODE_DEFAULT);
}

typedef void (*BreakFunc) (HeroVirtVmBuilder *builder);

static void
no_boot (HeroVirtVmBuilder *b)
{
  hero_virt_vm_builder_set_kernel (b, NULL);
}
static void
both_boot (HeroVirtVmBuilder *b)
{
  hero_virt_vm_builder_set_firmware (b, "/fw");
}
static void
zero_vcpus (HeroVirtVmBuilder *b)
{
  hero_virt_vm_builder_set_vcpus (b, 0);
}
static void
many_vcpus (HeroVirtVmBuilder *b)
{
  hero_virt_vm_builder_set_vcpus (b, 5000);
}
static void
tiny_memory (HeroVirtVmBuilder *b)
{
  hero_virt_vm_builder_set_memory_mb (b, 8);
}
static void
no_name (HeroVirtVmBuilder *b)
{
  hero_virt_vm_builder_set_name (b, NULL);
}
static void
bad_name (HeroVirtVmBuilder *b)
{
  hero_virt_vm_builder_set_name (b, "../etc");
}
static void
flag_name (HeroVirtVmBuilder *b)
{
  hero_virt_vm_builder_set_name (b, "-rf");
}
static void
relative_kernel (HeroVirtVmBuilder *b)
{
  hero_virt_vm_builder_set_kernel (b, "vmlinux");
}
static void
comma_disk (HeroVirtVmBuilder *b)
{
  hero_virt_vm_builder_add_disk (b, "/a,readonly=off", FALSE);
}
static void
twice_disk (HeroVirtVmBuilder *b)
{
  hero_virt_vm_builder_add_disk (b, "/a.qcow2", FALSE);
  hero_virt_vm_builder_add_disk (b, "/a.qcow2", TRUE);
}
static void
vhd_disk (HeroVirtVmBuilder *b)
{
  g_autoptr (HeroVirtVmDisk) disk
      = hero_virt_vm_disk_set_format (hero_virt_vm_disk_new ("/a.vhd"), "vhd");
  hero_virt_vm_builder_add_disk_device (b, disk);
}
static void
long_tap (HeroVirtVmBuilder *b)
{
  hero_virt_vm_builder_add_tap_net (b, "tap-name-too-long0");
}
static void
twice_tap (HeroVirtVmBuilder *b)
{
  hero_virt_vm_builder_add_tap_net (b, "tap0");
  hero_virt_vm_builder_add_tap_net (b, "tap0");
}
static void
bad_mac (HeroVirtVmBuilder *b)
{
  g_autoptr (HeroVirtVmNet) net
      = hero_virt_vm_net_set_mac (hero_virt_vm_net_new_user (), "52:54:00:zz:00:01");
  hero_virt_vm_builder_add_net_device (b, net);
}
static void
initrd_no_kernel (HeroVirtVmBuilder *b)
{
  hero_virt_vm_builder_set_kernel (b, NULL);
  hero_virt_vm_builder_set_firmware (b, "/fw");
  hero_virt_vm_builder_set_initramfs (b, "/initrd");
}
static void
serial_path_pty (HeroVirtVmBuilder *b)
{
  hero_virt_vm_builder_set_serial (b, HERO_VIRT_VM_SERIAL_MODE_PTY, "/x");
}

static void
test_validation (void)
{
  static const struct
  {
    BreakFunc   func;
    const char *message_part;
  } cases[] = {
    { no_boot, "kernel or a firmware" },
    { both_boot, "both a kernel and a firmware" },
    { zero_vcpus, "at least one vCPU" },
    { many_vcpus, "at most 1024" },
    { tiny_memory, "at least 16 MiB" },
    { no_name, "needs a name" },
    { bad_name, "Invalid VM name" },
    { flag_name, "Invalid VM name" },
    { relative_kernel, "not absolute" },
    { comma_disk, "comma" },
    { twice_disk, "attached twice" },
    { vhd_disk, "Unsupported VM disk format" },
    { long_tap, "Invalid tap interface name" },
    { twice_tap, "used twice" },
    { bad_mac, "Invalid MAC address" },
    { initrd_no_kernel, "no kernel" },
    { serial_path_pty, "serial path" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (HeroVirtVmBuilder) builder = kernel_builder ("vm");
      g_autoptr (HeroVirtVmSpec) spec = NULL;
      g_autoptr (GError) error = NULL;

      cases[i].func (builder);
      spec = hero_virt_vm_builder_build (builder, &error);
      g_assert_null (spec);
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
      if (strstr (error->message, cases[i].message_part) == NULL)
        g_error ("case %u: “%s” does not mention “%s”", i, error->message, cases[i].message_part);
    }
}

static void
test_spec_json_round_trip (void)
{
  g_autoptr (HeroVirtVmBuilder) builder = kernel_builder ("db");
  g_autoptr (HeroVirtVmSpec) spec = NULL;
  g_autoptr (HeroVirtVmSpec) again = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;

  hero_virt_vm_builder_add_disk (builder, "/vms/db.qcow2", TRUE);
  hero_virt_vm_builder_add_tap_net (builder, NULL);
  hero_virt_vm_builder_set_serial (builder, HERO_VIRT_VM_SERIAL_MODE_SOCKET, "/run/db.sock");
  hero_virt_vm_builder_add_extra_arg (builder, "-v");
  spec = hero_virt_vm_builder_build (builder, &error);
  g_assert_no_error (error);

  json = hero_virt_vm_spec_to_json (spec, FALSE);
  g_assert_nonnull (strstr (json, "\"serial\":{\"mode\":\"socket\",\"path\":\"/run/db.sock\"}"));
  g_assert_nonnull (strstr (json, "\"memory_mb\":512"));
  again = hero_virt_vm_spec_new_from_json (json, &error);
  g_assert_no_error (error);
  json_again = hero_virt_vm_spec_to_json (again, FALSE);
  g_assert_cmpstr (json, ==, json_again);
  g_assert_true (
      hero_virt_vm_disk_get_readonly (g_ptr_array_index (hero_virt_vm_spec_get_disks (again), 0)));
  g_assert_true (hero_virt_vm_spec_validate (again, &error));
}

static void
test_spec_json_errors (void)
{
  static const char *const bad[] = {
    "[]",
    "{\"vcpus\":\"two\"}",
    "{\"vcpus\":-1}",
    "{\"disks\":{}}",
    "{\"disks\":[{\"readonly\":true}]}",
    "{\"nets\":[{\"mode\":\"bridge\"}]}",
    "{\"serial\":{\"mode\":\"tty\"}}",
    "{\"extra_args\":[1]}",
    "not json",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (HeroVirtVmSpec) spec = hero_virt_vm_spec_new_from_json (bad[i], &error);

      g_assert_null (spec);
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE);
    }
}

static void
test_info_json_round_trip (void)
{
  g_autoptr (HeroVirtVmBuilder) builder = kernel_builder ("api");
  g_autoptr (HeroVirtVmSpec) spec = hero_virt_vm_builder_build (builder, NULL);
  g_autoptr (HeroVirtVmInfo) info = hero_virt_vm_info_new ("api", HERO_VIRT_VM_STATE_RUNNING);
  g_autoptr (HeroVirtVmInfo) again = NULL;
  g_autoptr (JsonNode) details
      = json_from_string ("{\"state\":\"Running\",\"memory_actual_size\":536870912}", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;

  g_assert_true (hero_virt_vm_info_set_pid (hero_virt_vm_info_set_spec (info, spec), 4242) == info);
  hero_virt_vm_info_set_directory (info, "/data/vms/api");
  hero_virt_vm_info_set_console_path (info, "/data/vms/api/logs/console.log");
  hero_virt_vm_info_set_api_socket (info, "/data/vms/api/api.sock");
  hero_virt_vm_info_set_log_path (info, "/data/vms/api/logs/cloud-hypervisor.log");
  hero_virt_vm_info_set_details (info, details);
  g_assert_true (hero_virt_vm_info_is_running (info));

  json = hero_virt_vm_info_to_json (info, TRUE);
  again = hero_virt_vm_info_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_vm_info_get_id (again), ==, "api");
  g_assert_cmpint (hero_virt_vm_info_get_state (again), ==, HERO_VIRT_VM_STATE_RUNNING);
  g_assert_cmpint (hero_virt_vm_info_get_pid (again), ==, 4242);
  g_assert_cmpstr (hero_virt_vm_info_get_api_socket (again), ==, "/data/vms/api/api.sock");
  g_assert_cmpstr (hero_virt_vm_info_get_console_path (again), ==,
                   "/data/vms/api/logs/console.log");
  g_assert_cmpstr (hero_virt_vm_info_get_directory (again), ==, "/data/vms/api");
  g_assert_cmpstr (hero_virt_vm_info_get_log_path (again), ==,
                   "/data/vms/api/logs/cloud-hypervisor.log");
  g_assert_cmpstr (hero_virt_vm_spec_get_kernel (hero_virt_vm_info_get_spec (again)), ==,
                   "/boot/vmlinux");
  g_assert_true (json_node_equal (hero_virt_vm_info_get_details (again), details));
  json_again = hero_virt_vm_info_to_json (again, TRUE);
  g_assert_cmpstr (json, ==, json_again);

  /* A stopped VM, written by an older or newer version. */
  g_clear_object (&again);
  again = hero_virt_vm_info_new_from_json (
      "{\"id\":\"old\",\"state\":\"hibernating\",\"future\":1}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (hero_virt_vm_info_get_state (again), ==, HERO_VIRT_VM_STATE_UNKNOWN);
  g_assert_null (hero_virt_vm_info_get_spec (again));
  g_assert_false (hero_virt_vm_info_is_running (again));

  g_clear_object (&again);
  again = hero_virt_vm_info_new_from_json ("{\"state\":\"running\"}", &error);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE);
  g_assert_null (again);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vm/builder/chain", test_builder_chain);
  g_test_add_func ("/vm/builder/properties", test_builder_properties);
  g_test_add_func ("/vm/spec/validation", test_validation);
  g_test_add_func ("/vm/spec/json-round-trip", test_spec_json_round_trip);
  g_test_add_func ("/vm/spec/json-errors", test_spec_json_errors);
  g_test_add_func ("/vm/info/json-round-trip", test_info_json_round_trip);

  return g_test_run ();
}
