/* qemu-argv.c: the qemu-system-x86_64 command line for a VmSpec
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "HeroVirt-Qemu"

#include "qemu-argv.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

char *
qemu_escape_option_value (const char *value)
{
  GString *out = g_string_sized_new (strlen (value) + 8);

  for (const char *p = value; *p != '\0'; p++)
    {
      g_string_append_c (out, *p);
      if (*p == ',')
        g_string_append_c (out, ',');
    }
  return g_string_free (out, FALSE);
}

static gboolean
parse_port (const char *text, guint *port)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, 65535, &value, NULL))
    return FALSE;
  *port = (guint)value;
  return TRUE;
}

static gboolean
is_ipv4 (const char *text)
{
  g_auto (GStrv) parts = g_strsplit (text, ".", -1);

  if (g_strv_length (parts) != 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    if (!g_ascii_string_to_unsigned (parts[i], 10, 0, 255, NULL, NULL))
      return FALSE;
  return TRUE;
}

char *
qemu_parse_hostfwd (const char *arg, GError **error)
{
  g_auto (GStrv) sides = NULL;
  g_auto (GStrv) host = NULL;
  g_auto (GStrv) guest = NULL;
  const char *rest;
  const char *proto;
  guint       host_port, guest_port;

  if (!g_str_has_prefix (arg, "hostfwd="))
    return NULL;
  rest = arg + strlen ("hostfwd=");
  if (g_str_has_prefix (rest, "tcp:"))
    proto = "tcp";
  else if (g_str_has_prefix (rest, "udp:"))
    proto = "udp";
  else
    goto bad;
  rest += 4;
  sides = g_strsplit (rest, "-", -1);
  if (g_strv_length (sides) != 2)
    goto bad;
  host = g_strsplit (sides[0], ":", -1);
  guest = g_strsplit (sides[1], ":", -1);
  if (g_strv_length (host) != 2 || g_strv_length (guest) != 2)
    goto bad;
  if ((*host[0] != '\0' && !is_ipv4 (host[0])) || (*guest[0] != '\0' && !is_ipv4 (guest[0]))
      || !parse_port (host[1], &host_port) || !parse_port (guest[1], &guest_port))
    goto bad;
  return g_strdup_printf ("%s:%s:%u-%s:%u", proto, *host[0] != '\0' ? host[0] : "127.0.0.1",
                          host_port, guest[0], guest_port);

bad:
  hero_virt_set_invalid_argument (
      error, "port forward", arg,
      "write hostfwd=tcp|udp:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT with IPv4 addresses");
  return NULL;
}

static void
add (GPtrArray *argv, const char *arg)
{
  g_ptr_array_add (argv, g_strdup (arg));
}

G_GNUC_PRINTF (2, 3)
static void
addf (GPtrArray *argv, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (argv, g_strdup_vprintf (format, args));
  va_end (args);
}

/* "-opt" then "prefix<escaped path>suffix". */
static void
add_path_option (GPtrArray  *argv,
                 const char *option,
                 const char *prefix,
                 const char *path,
                 const char *suffix)
{
  g_autofree char *escaped = qemu_escape_option_value (path);

  add (argv, option);
  addf (argv, "%s%s%s", prefix, escaped, suffix != NULL ? suffix : "");
}

static void
add_serial (GPtrArray *argv, HeroVirtVmSpec *spec, const QemuLaunch *launch)
{
  const char *path = hero_virt_vm_spec_get_serial_path (spec);

  switch (hero_virt_vm_spec_get_serial_mode (spec))
    {
    case HERO_VIRT_VM_SERIAL_MODE_OFF:
      return;
    case HERO_VIRT_VM_SERIAL_MODE_PTY:
      add (argv, "-chardev");
      add (argv, "pty,id=serial0");
      break;
    case HERO_VIRT_VM_SERIAL_MODE_SOCKET:
      add_path_option (argv, "-chardev", "socket,id=serial0,path=", path, ",server=on,wait=off");
      break;
    case HERO_VIRT_VM_SERIAL_MODE_FILE:
      add_path_option (argv, "-chardev", "file,id=serial0,path=", path, NULL);
      break;
    case HERO_VIRT_VM_SERIAL_MODE_DEFAULT:
    default:
      add_path_option (argv, "-chardev", "file,id=serial0,path=", launch->console_log, NULL);
      break;
    }
  add (argv, "-serial");
  add (argv, "chardev:serial0");
}

GPtrArray *
qemu_build_argv (HeroVirtVmSpec *spec, const QemuLaunch *launch)
{
  GPtrArray         *argv = g_ptr_array_new_with_free_func (g_free);
  GPtrArray         *disks = hero_virt_vm_spec_get_disks (spec);
  GPtrArray         *nets = hero_virt_vm_spec_get_nets (spec);
  const char *const *extra = hero_virt_vm_spec_get_extra_args (spec);
  const char        *kernel = hero_virt_vm_spec_get_kernel (spec);
  guint              vcpus = hero_virt_vm_spec_get_vcpus (spec);
  gboolean           user_seen = FALSE;

  add (argv, launch->binary);
  /* The VM's name is a DNS label: nothing to escape. */
  add (argv, "-name");
  addf (argv, "guest=%s", hero_virt_vm_spec_get_name (spec));
  add (argv, "-nodefaults");
  add (argv, "-no-user-config");
  add (argv, "-accel");
  add (argv, launch->accel);
  if (g_strcmp0 (launch->accel, "kvm") == 0)
    {
      add (argv, "-cpu");
      add (argv, "host");
    }
  add (argv, "-m");
  addf (argv, "%" G_GUINT64_FORMAT "M", hero_virt_vm_spec_get_memory_mb (spec));
  add (argv, "-smp");
  if (launch->max_vcpus > vcpus)
    addf (argv, "%u,maxcpus=%u", vcpus, launch->max_vcpus);
  else
    addf (argv, "%u", vcpus);
  add (argv, "-display");
  add (argv, "none");
  add_path_option (argv, "-chardev", "socket,id=qmp,path=", launch->qmp_socket,
                   ",server=on,wait=off");
  add (argv, "-mon");
  add (argv, "chardev=qmp,mode=control");
  add_serial (argv, spec, launch);

  if (kernel != NULL)
    {
      add (argv, "-kernel");
      add (argv, kernel);
      if (hero_virt_vm_spec_get_initramfs (spec) != NULL)
        {
          add (argv, "-initrd");
          add (argv, hero_virt_vm_spec_get_initramfs (spec));
        }
      if (hero_virt_vm_spec_get_cmdline (spec) != NULL)
        {
          add (argv, "-append");
          add (argv, hero_virt_vm_spec_get_cmdline (spec));
        }
    }
  else
    {
      add (argv, "-bios");
      add (argv, hero_virt_vm_spec_get_firmware (spec));
    }

  for (guint i = 0; i < disks->len; i++)
    {
      HeroVirtVmDisk  *disk = g_ptr_array_index (disks, i);
      g_autofree char *suffix
          = g_strdup_printf (",if=virtio,format=%s,readonly=%s,id=disk%u", launch->formats[i],
                             hero_virt_vm_disk_get_readonly (disk) ? "on" : "off", i);

      add_path_option (argv, "-drive", "file=", hero_virt_vm_disk_get_path (disk), suffix);
    }

  for (guint i = 0; i < nets->len; i++)
    {
      HeroVirtVmNet   *net = g_ptr_array_index (nets, i);
      const char      *mac = hero_virt_vm_net_get_mac (net);
      g_autofree char *tap = NULL;

      add (argv, "-netdev");
      if (hero_virt_vm_net_get_mode (net) == HERO_VIRT_VM_NET_MODE_USER)
        {
          GString   *netdev = g_string_new (NULL);
          GPtrArray *forwards = hero_virt_vm_net_get_port_forwards (net);

          g_string_append_printf (netdev, "user,id=net%u", i);
          /* Validated: tcp|udp, dotted IPv4, ports in range; nothing to
           * escape. */
          for (guint j = 0; j < forwards->len; j++)
            {
              g_autofree char *forward
                  = hero_virt_vm_port_forward_to_string (g_ptr_array_index (forwards, j));

              g_string_append_printf (netdev, ",hostfwd=%s", forward);
            }
          /* The older form, extra arguments `hostfwd=…`, goes to the first
           * user-mode device. */
          for (guint j = 0; !user_seen && extra != NULL && extra[j] != NULL; j++)
            {
              g_autofree char *forward = qemu_parse_hostfwd (extra[j], NULL);

              if (forward != NULL)
                g_string_append_printf (netdev, ",hostfwd=%s", forward);
            }
          g_ptr_array_add (argv, g_string_free (netdev, FALSE));
          user_seen = TRUE;
        }
      else if (hero_virt_vm_net_get_tap (net) != NULL)
        {
          tap = qemu_escape_option_value (hero_virt_vm_net_get_tap (net));
          addf (argv, "tap,id=net%u,ifname=%s,script=no,downscript=no", i, tap);
        }
      else
        addf (argv, "tap,id=net%u,script=no,downscript=no", i);
      add (argv, "-device");
      /* A kernel boot needs no PXE option ROM; leaving it out saves time. */
      addf (argv, "virtio-net-pci,netdev=net%u%s%s%s", i, mac != NULL ? ",mac=" : "",
            mac != NULL ? mac : "", kernel != NULL ? ",romfile=" : "");
    }

  if (launch->incoming)
    {
      add (argv, "-S");
      add (argv, "-incoming");
      add (argv, "defer");
    }
  if (launch->daemonize)
    {
      add (argv, "-daemonize");
      add (argv, "-pidfile");
      add (argv, launch->pidfile);
    }
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    if (!g_str_has_prefix (extra[i], "hostfwd="))
      add (argv, extra[i]);
  g_ptr_array_add (argv, NULL);
  return argv;
}

const char *
qemu_detect_image_format (const char *path)
{
  unsigned char magic[4] = { 0 };
  int           fd = open (path, O_RDONLY | O_CLOEXEC);
  gssize        n = -1;

  if (fd >= 0)
    {
      n = read (fd, magic, sizeof magic);
      close (fd);
    }
  if (n == 4 && memcmp (magic, "QFI\xfb", 4) == 0)
    return "qcow2";
  return "raw";
}
