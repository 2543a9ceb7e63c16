/* hero-virt-vm-spec.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-vm-private.h"

/**
 * HeroVirtVmSpec:
 *
 * What a virtual machine is made of: a name, what it boots (a kernel
 * with optional initramfs and command line, or a firmware), vCPUs,
 * memory, disks, network devices, where its serial console goes and
 * extra arguments for the hypervisor.
 *
 * A spec is immutable; make one with [class@HeroVirt.VmBuilder], or read
 * one back from the JSON that [method@HeroVirt.VmSpec.to_json] wrote.
 * All paths are on the executor's host.
 *
 * Since: 0.1
 */
struct _HeroVirtVmSpec
{
  GObject parent_instance;

  char                *name;
  char                *kernel;
  char                *initramfs;
  char                *cmdline;
  char                *firmware;
  guint                vcpus;
  guint64              memory_mb;
  HeroVirtVmSerialMode serial_mode;
  char                *serial_path;
  char               **extra_args;
  GPtrArray           *disks;
  GPtrArray           *nets;
};

static GParamSpec *properties[VM_SPEC_N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtVmSpec, hero_virt_vm_spec, G_TYPE_OBJECT)

static void
hero_virt_vm_spec_finalize (GObject *object)
{
  HeroVirtVmSpec *self = HERO_VIRT_VM_SPEC (object);

  g_free (self->name);
  g_free (self->kernel);
  g_free (self->initramfs);
  g_free (self->cmdline);
  g_free (self->firmware);
  g_free (self->serial_path);
  g_strfreev (self->extra_args);
  g_ptr_array_unref (self->disks);
  g_ptr_array_unref (self->nets);

  G_OBJECT_CLASS (hero_virt_vm_spec_parent_class)->finalize (object);
}

void
_hero_virt_vm_spec_get_prop (HeroVirtVmSpec *self, guint prop_id, GValue *value)
{
  switch (prop_id)
    {
    case VM_SPEC_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case VM_SPEC_PROP_KERNEL:
      g_value_set_string (value, self->kernel);
      break;
    case VM_SPEC_PROP_INITRAMFS:
      g_value_set_string (value, self->initramfs);
      break;
    case VM_SPEC_PROP_CMDLINE:
      g_value_set_string (value, self->cmdline);
      break;
    case VM_SPEC_PROP_FIRMWARE:
      g_value_set_string (value, self->firmware);
      break;
    case VM_SPEC_PROP_VCPUS:
      g_value_set_uint (value, self->vcpus);
      break;
    case VM_SPEC_PROP_MEMORY_MB:
      g_value_set_uint64 (value, self->memory_mb);
      break;
    case VM_SPEC_PROP_SERIAL_MODE:
      g_value_set_enum (value, self->serial_mode);
      break;
    case VM_SPEC_PROP_SERIAL_PATH:
      g_value_set_string (value, self->serial_path);
      break;
    case VM_SPEC_PROP_EXTRA_ARGS:
      g_value_set_boxed (value, self->extra_args);
      break;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
replace_string (char **field, const char *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/* Returns whether the value changed, so callers can notify. */
gboolean
_hero_virt_vm_spec_set_prop (HeroVirtVmSpec *self, guint prop_id, const GValue *value)
{
  switch (prop_id)
    {
    case VM_SPEC_PROP_NAME:
      return replace_string (&self->name, g_value_get_string (value));
    case VM_SPEC_PROP_KERNEL:
      return replace_string (&self->kernel, g_value_get_string (value));
    case VM_SPEC_PROP_INITRAMFS:
      return replace_string (&self->initramfs, g_value_get_string (value));
    case VM_SPEC_PROP_CMDLINE:
      return replace_string (&self->cmdline, g_value_get_string (value));
    case VM_SPEC_PROP_FIRMWARE:
      return replace_string (&self->firmware, g_value_get_string (value));
    case VM_SPEC_PROP_VCPUS:
      if (self->vcpus == g_value_get_uint (value))
        return FALSE;
      self->vcpus = g_value_get_uint (value);
      return TRUE;
    case VM_SPEC_PROP_MEMORY_MB:
      if (self->memory_mb == g_value_get_uint64 (value))
        return FALSE;
      self->memory_mb = g_value_get_uint64 (value);
      return TRUE;
    case VM_SPEC_PROP_SERIAL_MODE:
      if (self->serial_mode == (HeroVirtVmSerialMode)g_value_get_enum (value))
        return FALSE;
      self->serial_mode = g_value_get_enum (value);
      return TRUE;
    case VM_SPEC_PROP_SERIAL_PATH:
      return replace_string (&self->serial_path, g_value_get_string (value));
    case VM_SPEC_PROP_EXTRA_ARGS:
      g_strfreev (self->extra_args);
      self->extra_args = g_value_dup_boxed (value);
      if (self->extra_args == NULL)
        self->extra_args = g_new0 (char *, 1);
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

static void
hero_virt_vm_spec_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  _hero_virt_vm_spec_get_prop (HERO_VIRT_VM_SPEC (object), prop_id, value);
}

void
_hero_virt_vm_spec_make_pspecs (GParamSpec **pspecs, GParamFlags flags)
{
  flags |= G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  pspecs[VM_SPEC_PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  pspecs[VM_SPEC_PROP_KERNEL] = g_param_spec_string ("kernel", NULL, NULL, NULL, flags);
  pspecs[VM_SPEC_PROP_INITRAMFS] = g_param_spec_string ("initramfs", NULL, NULL, NULL, flags);
  pspecs[VM_SPEC_PROP_CMDLINE] = g_param_spec_string ("cmdline", NULL, NULL, NULL, flags);
  pspecs[VM_SPEC_PROP_FIRMWARE] = g_param_spec_string ("firmware", NULL, NULL, NULL, flags);
  pspecs[VM_SPEC_PROP_VCPUS] = g_param_spec_uint ("vcpus", NULL, NULL, 0, G_MAXUINT, 1, flags);
  pspecs[VM_SPEC_PROP_MEMORY_MB]
      = g_param_spec_uint64 ("memory-mb", NULL, NULL, 0, G_MAXUINT64, 512, flags);
  pspecs[VM_SPEC_PROP_SERIAL_MODE]
      = g_param_spec_enum ("serial-mode", NULL, NULL, HERO_VIRT_TYPE_VM_SERIAL_MODE,
                           HERO_VIRT_VM_SERIAL_MODE_DEFAULT, flags);
  pspecs[VM_SPEC_PROP_SERIAL_PATH] = g_param_spec_string ("serial-path", NULL, NULL, NULL, flags);
  pspecs[VM_SPEC_PROP_EXTRA_ARGS]
      = g_param_spec_boxed ("extra-args", NULL, NULL, G_TYPE_STRV, flags);
}

static void
hero_virt_vm_spec_class_init (HeroVirtVmSpecClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_vm_spec_finalize;
  object_class->get_property = hero_virt_vm_spec_get_property;

  /**
   * HeroVirtVmSpec:name:
   *
   * The VM's name, which is also its id: 1 to 64 characters from
   * `[A-Za-z0-9._-]`, starting with a letter or digit.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtVmSpec:kernel:
   *
   * The kernel to boot directly, or %NULL to boot
   * [property@HeroVirt.VmSpec:firmware].
   *
   * Since: 0.1
   */
  /**
   * HeroVirtVmSpec:initramfs:
   *
   * The initramfs for [property@HeroVirt.VmSpec:kernel], or %NULL.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtVmSpec:cmdline:
   *
   * The kernel command line, or %NULL.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtVmSpec:firmware:
   *
   * The firmware to boot (such as `hypervisor-fw` or an OVMF/CLOUDHV.fd),
   * or %NULL to boot [property@HeroVirt.VmSpec:kernel].
   *
   * Since: 0.1
   */
  /**
   * HeroVirtVmSpec:vcpus:
   *
   * The number of virtual CPUs at boot, 1 to 1024.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtVmSpec:memory-mb:
   *
   * The guest's memory in MiB, at least 16.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtVmSpec:serial-mode:
   *
   * Where the guest's serial console goes.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtVmSpec:serial-path:
   *
   * The file or socket for the file and socket serial modes; %NULL lets
   * the backend put it in the VM's directory.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtVmSpec:extra-args:
   *
   * Extra arguments appended, as given, to the hypervisor's command line.
   * They are backend-specific; each is one argv element, never parsed by
   * a shell.
   *
   * Since: 0.1
   */
  _hero_virt_vm_spec_make_pspecs (properties, G_PARAM_READABLE);
  g_object_class_install_properties (object_class, VM_SPEC_N_PROPS, properties);
}

static void
hero_virt_vm_spec_init (HeroVirtVmSpec *self)
{
  self->vcpus = 1;
  self->memory_mb = 512;
  self->extra_args = g_new0 (char *, 1);
  self->disks = g_ptr_array_new_with_free_func (g_object_unref);
  self->nets = g_ptr_array_new_with_free_func (g_object_unref);
}

void
_hero_virt_vm_spec_add_disk (HeroVirtVmSpec *self, HeroVirtVmDisk *disk)
{
  g_ptr_array_add (self->disks, g_object_ref (disk));
}

void
_hero_virt_vm_spec_add_net (HeroVirtVmSpec *self, HeroVirtVmNet *net)
{
  g_ptr_array_add (self->nets, g_object_ref (net));
}

void
_hero_virt_vm_spec_add_extra_arg (HeroVirtVmSpec *self, const char *arg)
{
  guint n = g_strv_length (self->extra_args);

  self->extra_args = g_renew (char *, self->extra_args, n + 2);
  self->extra_args[n] = g_strdup (arg);
  self->extra_args[n + 1] = NULL;
}

#define DEFINE_GETTER(type, name, fail)                                                            \
  type hero_virt_vm_spec_get_##name (HeroVirtVmSpec *self)                                         \
  {                                                                                                \
    g_return_val_if_fail (HERO_VIRT_IS_VM_SPEC (self), fail);                                      \
    return self->name;                                                                             \
  }

/**
 * hero_virt_vm_spec_get_name:
 * @self: a #HeroVirtVmSpec
 *
 * Returns: (nullable): the value of [property@HeroVirt.VmSpec:name]
 *
 * Since: 0.1
 */
DEFINE_GETTER (const char *, name, NULL)

/**
 * hero_virt_vm_spec_get_kernel:
 * @self: a #HeroVirtVmSpec
 *
 * Returns: (type filename) (nullable): the value of [property@HeroVirt.VmSpec:kernel]
 *
 * Since: 0.1
 */
DEFINE_GETTER (const char *, kernel, NULL)

/**
 * hero_virt_vm_spec_get_initramfs:
 * @self: a #HeroVirtVmSpec
 *
 * Returns: (type filename) (nullable): the value of [property@HeroVirt.VmSpec:initramfs]
 *
 * Since: 0.1
 */
DEFINE_GETTER (const char *, initramfs, NULL)

/**
 * hero_virt_vm_spec_get_cmdline:
 * @self: a #HeroVirtVmSpec
 *
 * Returns: (nullable): the value of [property@HeroVirt.VmSpec:cmdline]
 *
 * Since: 0.1
 */
DEFINE_GETTER (const char *, cmdline, NULL)

/**
 * hero_virt_vm_spec_get_firmware:
 * @self: a #HeroVirtVmSpec
 *
 * Returns: (type filename) (nullable): the value of [property@HeroVirt.VmSpec:firmware]
 *
 * Since: 0.1
 */
DEFINE_GETTER (const char *, firmware, NULL)

/**
 * hero_virt_vm_spec_get_vcpus:
 * @self: a #HeroVirtVmSpec
 *
 * Returns: the value of [property@HeroVirt.VmSpec:vcpus]
 *
 * Since: 0.1
 */
DEFINE_GETTER (guint, vcpus, 0)

/**
 * hero_virt_vm_spec_get_memory_mb:
 * @self: a #HeroVirtVmSpec
 *
 * Returns: the value of [property@HeroVirt.VmSpec:memory-mb]
 *
 * Since: 0.1
 */
DEFINE_GETTER (guint64, memory_mb, 0)

/**
 * hero_virt_vm_spec_get_serial_mode:
 * @self: a #HeroVirtVmSpec
 *
 * Returns: the value of [property@HeroVirt.VmSpec:serial-mode]
 *
 * Since: 0.1
 */
DEFINE_GETTER (HeroVirtVmSerialMode, serial_mode, HERO_VIRT_VM_SERIAL_MODE_DEFAULT)

/**
 * hero_virt_vm_spec_get_serial_path:
 * @self: a #HeroVirtVmSpec
 *
 * Returns: (type filename) (nullable): the value of [property@HeroVirt.VmSpec:serial-path]
 *
 * Since: 0.1
 */
DEFINE_GETTER (const char *, serial_path, NULL)

/**
 * hero_virt_vm_spec_get_extra_args:
 * @self: a #HeroVirtVmSpec
 *
 * Returns: (transfer none) (array zero-terminated=1): the value of
 *   [property@HeroVirt.VmSpec:extra-args]; never %NULL
 *
 * Since: 0.1
 */
const char *const *
hero_virt_vm_spec_get_extra_args (HeroVirtVmSpec *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_SPEC (self), NULL);
  return (const char *const *)self->extra_args;
}

/**
 * hero_virt_vm_spec_get_disks:
 * @self: a #HeroVirtVmSpec
 *
 * Returns: (transfer none) (element-type HeroVirt.VmDisk): the disks, in
 *   the order the guest sees them; do not modify the array or the disks
 *
 * Since: 0.1
 */
GPtrArray *
hero_virt_vm_spec_get_disks (HeroVirtVmSpec *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_SPEC (self), NULL);
  return self->disks;
}

/**
 * hero_virt_vm_spec_get_nets:
 * @self: a #HeroVirtVmSpec
 *
 * Returns: (transfer none) (element-type HeroVirt.VmNet): the network
 *   devices; empty for a VM without network; do not modify them
 *
 * Since: 0.1
 */
GPtrArray *
hero_virt_vm_spec_get_nets (HeroVirtVmSpec *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_SPEC (self), NULL);
  return self->nets;
}

/* The forward of a legacy `hostfwd=tcp|udp:[ADDR]:HOST-[GADDR]:GUEST`
 * extra argument (a guest address is dropped), or NULL if @arg is not
 * one; hero_virt_vm_port_forward_validate() judges the values. */
HeroVirtVmPortForward *
_hero_virt_vm_port_forward_from_hostfwd (const char *arg)
{
  g_auto (GStrv) sides = NULL;
  g_auto (GStrv) host = NULL;
  g_auto (GStrv) guest = NULL;
  const char *rest;
  guint64     hport, gport;

  if (!g_str_has_prefix (arg, "hostfwd=tcp:") && !g_str_has_prefix (arg, "hostfwd=udp:"))
    return NULL;
  rest = arg + strlen ("hostfwd=tcp:");
  sides = g_strsplit (rest, "-", -1);
  if (g_strv_length (sides) != 2)
    return NULL;
  host = g_strsplit (sides[0], ":", -1);
  guest = g_strsplit (sides[1], ":", -1);
  if (g_strv_length (host) != 2 || g_strv_length (guest) != 2
      || !g_ascii_string_to_unsigned (host[1], 10, 1, 65535, &hport, NULL)
      || !g_ascii_string_to_unsigned (guest[1], 10, 1, 65535, &gport, NULL)
      || (*host[0] != '\0' && !_hero_virt_is_ipv4_address (host[0])))
    return NULL;
  return hero_virt_vm_port_forward_new (g_str_has_prefix (arg, "hostfwd=tcp:") ? "tcp" : "udp",
                                        *host[0] != '\0' ? host[0] : NULL, (guint)hport,
                                        (guint)gport);
}

/**
 * hero_virt_vm_spec_list_port_forwards:
 * @self: a #HeroVirtVmSpec
 *
 * Lists every host port forwarded into the guest: those of its user-mode
 * network devices ([method@HeroVirt.VmNet.get_port_forwards]) and those
 * given the older way, as `hostfwd=tcp|udp:[ADDR]:HOST-:GUEST` extra
 * arguments (a guest address in those is not reported).
 *
 * Returns: (transfer container) (element-type HeroVirt.VmPortForward):
 *   the forwards, possibly none
 *
 * Since: 0.1
 */
GPtrArray *
hero_virt_vm_spec_list_port_forwards (HeroVirtVmSpec *self)
{
  GPtrArray *out;

  g_return_val_if_fail (HERO_VIRT_IS_VM_SPEC (self), NULL);

  out = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->nets->len; i++)
    {
      GPtrArray *forwards = hero_virt_vm_net_get_port_forwards (g_ptr_array_index (self->nets, i));

      for (guint j = 0; j < forwards->len; j++)
        g_ptr_array_add (out, g_object_ref (g_ptr_array_index (forwards, j)));
    }
  for (guint i = 0; self->extra_args[i] != NULL; i++)
    {
      HeroVirtVmPortForward *forward
          = _hero_virt_vm_port_forward_from_hostfwd (self->extra_args[i]);

      if (forward != NULL)
        g_ptr_array_add (out, forward);
    }
  return out;
}

/**
 * hero_virt_vm_spec_validate:
 * @self: a #HeroVirtVmSpec
 * @error: return location for a #GError
 *
 * Checks the spec before anything is created or run: a valid name;
 * either a kernel or a firmware, not both; an initramfs or command line
 * only with a kernel; 1 to 1024 vCPUs; at least 16 MiB of memory;
 * absolute paths without commas or line breaks; valid disks and network
 * devices, no disk or tap interface given twice, no host port forwarded
 * twice; a serial path only for the file and socket modes. Providers call this first in their
 * create operation.
 *
 * Returns: %TRUE if the spec is valid, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT saying what is wrong
 *
 * Since: 0.1
 */
gboolean
hero_virt_vm_spec_validate (HeroVirtVmSpec *self, GError **error)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (HERO_VIRT_IS_VM_SPEC (self), FALSE);

#define FAIL(...)                                                                                  \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT, __VA_ARGS__);           \
    return FALSE;                                                                                  \
  }                                                                                                \
  G_STMT_END

  if (self->name == NULL)
    FAIL ("A VM needs a name");
  if (!_hero_virt_validate_vm_name (self->name, error))
    return FALSE;
  if (self->kernel == NULL && self->firmware == NULL)
    FAIL ("VM “%s” needs a kernel or a firmware to boot", self->name);
  if (self->kernel != NULL && self->firmware != NULL)
    FAIL ("VM “%s” has both a kernel and a firmware; give one", self->name);
  if (self->kernel == NULL && (self->initramfs != NULL || self->cmdline != NULL))
    FAIL ("VM “%s” has an initramfs or command line but no kernel", self->name);
  if ((self->kernel != NULL && !_hero_virt_validate_vm_path ("kernel", self->kernel, error))
      || (self->initramfs != NULL
          && !_hero_virt_validate_vm_path ("initramfs", self->initramfs, error))
      || (self->firmware != NULL
          && !_hero_virt_validate_vm_path ("firmware", self->firmware, error)))
    return FALSE;
  if (self->cmdline != NULL && strpbrk (self->cmdline, "\n\r") != NULL)
    FAIL ("The kernel command line must not contain a line break");
  if (self->vcpus == 0)
    FAIL ("VM “%s” needs at least one vCPU", self->name);
  if (self->vcpus > 1024)
    FAIL ("VM “%s” asks for %u vCPUs (at most 1024)", self->name, self->vcpus);
  if (self->memory_mb < 16)
    FAIL ("VM “%s” needs at least 16 MiB of memory, not %" G_GUINT64_FORMAT, self->name,
          self->memory_mb);
  if (self->memory_mb > ((guint64)1 << 40))
    FAIL ("VM “%s” asks for too much memory", self->name);

  for (guint i = 0; i < self->disks->len; i++)
    {
      HeroVirtVmDisk *disk = g_ptr_array_index (self->disks, i);

      if (!hero_virt_vm_disk_validate (disk, error))
        return FALSE;
      if (!g_hash_table_add (seen, (gpointer)hero_virt_vm_disk_get_path (disk)))
        FAIL ("Disk “%s” is attached twice", hero_virt_vm_disk_get_path (disk));
    }
  g_hash_table_remove_all (seen);
  for (guint i = 0; i < self->nets->len; i++)
    {
      HeroVirtVmNet *net = g_ptr_array_index (self->nets, i);
      const char    *tap = hero_virt_vm_net_get_tap (net);

      if (!hero_virt_vm_net_validate (net, error))
        return FALSE;
      if (tap != NULL && !g_hash_table_add (seen, (gpointer)tap))
        FAIL ("Tap interface “%s” is used twice", tap);
    }
  {
    g_autoptr (GPtrArray) forwards = hero_virt_vm_spec_list_port_forwards (self);

    for (guint i = 0; i < forwards->len; i++)
      for (guint j = 0; j < i; j++)
        if (_hero_virt_vm_port_forward_same_host_side (forwards->pdata[i], forwards->pdata[j]))
          {
            g_autofree char *text = hero_virt_vm_port_forward_to_string (forwards->pdata[i]);

            FAIL ("VM “%s” forwards host port %s twice", self->name, text);
          }
  }

  if (self->serial_path != NULL && self->serial_mode != HERO_VIRT_VM_SERIAL_MODE_FILE
      && self->serial_mode != HERO_VIRT_VM_SERIAL_MODE_SOCKET)
    FAIL ("A serial path needs the file or socket serial mode");
  if (self->serial_path != NULL
      && !_hero_virt_validate_vm_path ("serial", self->serial_path, error))
    return FALSE;
#undef FAIL
  return TRUE;
}

static void
set_opt_string (JsonObject *object, const char *member, const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
}

/**
 * hero_virt_vm_spec_to_json_node:
 * @self: a #HeroVirtVmSpec
 *
 * Describes the spec as a JSON object with the members `name`, `kernel`,
 * `initramfs`, `cmdline`, `firmware`, `vcpus`, `memory_mb`, `disks`
 * (objects with `path`, `format`, `readonly`), `nets` (objects with
 * `mode`, `tap`, `mac` and `port_forwards`, objects with `protocol`,
 * `host_address`, `host_port`, `guest_port`), `serial` (`mode` and `path`) and `extra_args`.
 * Unset strings are left out.
 *
 * Returns: (transfer full): a new JSON object node
 *
 * Since: 0.1
 */
JsonNode *
hero_virt_vm_spec_to_json_node (HeroVirtVmSpec *self)
{
  JsonNode   *node;
  JsonObject *object;
  JsonObject *serial;
  JsonArray  *array;
  GEnumClass *enum_class;

  g_return_val_if_fail (HERO_VIRT_IS_VM_SPEC (self), NULL);

  object = json_object_new ();
  set_opt_string (object, "name", self->name);
  set_opt_string (object, "kernel", self->kernel);
  set_opt_string (object, "initramfs", self->initramfs);
  set_opt_string (object, "cmdline", self->cmdline);
  set_opt_string (object, "firmware", self->firmware);
  json_object_set_int_member (object, "vcpus", self->vcpus);
  json_object_set_int_member (object, "memory_mb", (gint64)self->memory_mb);

  array = json_array_new ();
  for (guint i = 0; i < self->disks->len; i++)
    json_array_add_object_element (array,
                                   _hero_virt_vm_disk_to_json (g_ptr_array_index (self->disks, i)));
  json_object_set_array_member (object, "disks", array);

  array = json_array_new ();
  for (guint i = 0; i < self->nets->len; i++)
    json_array_add_object_element (array,
                                   _hero_virt_vm_net_to_json (g_ptr_array_index (self->nets, i)));
  json_object_set_array_member (object, "nets", array);

  serial = json_object_new ();
  enum_class = g_type_class_ref (HERO_VIRT_TYPE_VM_SERIAL_MODE);
  json_object_set_string_member (serial, "mode",
                                 g_enum_get_value (enum_class, self->serial_mode)->value_nick);
  g_type_class_unref (enum_class);
  set_opt_string (serial, "path", self->serial_path);
  json_object_set_object_member (object, "serial", serial);

  array = json_array_new ();
  for (guint i = 0; self->extra_args[i] != NULL; i++)
    json_array_add_string_element (array, self->extra_args[i]);
  json_object_set_array_member (object, "extra_args", array);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

/**
 * hero_virt_vm_spec_to_json:
 * @self: a #HeroVirtVmSpec
 * @pretty: whether to indent the output
 *
 * Returns: (transfer full): the spec as the JSON text described at
 *   [method@HeroVirt.VmSpec.to_json_node]
 *
 * Since: 0.1
 */
char *
hero_virt_vm_spec_to_json (HeroVirtVmSpec *self, gboolean pretty)
{
  g_autoptr (JsonNode) node = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_VM_SPEC (self), NULL);

  node = hero_virt_vm_spec_to_json_node (self);
  return json_to_string (node, pretty);
}

/* Reads an optional member of @type into @out; a wrong type is a parse
 * error rather than a critical, because records are read from disk. */
static gboolean
read_member (JsonObject *object, const char *member, GType type, GValue *out, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (json_node_get_value_type (node) != type)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "VM spec member “%s” should be a %s", member,
                   type == G_TYPE_STRING  ? "string"
                   : type == G_TYPE_INT64 ? "number"
                                          : "value");
      return FALSE;
    }
  json_node_get_value (node, out);
  return TRUE;
}

static gboolean
read_string (JsonObject *object, const char *member, char **out, GError **error)
{
  g_auto (GValue) value = G_VALUE_INIT;

  if (!read_member (object, member, G_TYPE_STRING, &value, error))
    return FALSE;
  if (G_IS_VALUE (&value))
    {
      g_free (*out);
      *out = g_value_dup_string (&value);
    }
  return TRUE;
}

static gboolean
read_int (JsonObject *object,
          const char *member,
          gint64      min,
          gint64      max,
          gint64     *out,
          GError    **error)
{
  g_auto (GValue) value = G_VALUE_INIT;

  if (!read_member (object, member, G_TYPE_INT64, &value, error))
    return FALSE;
  if (!G_IS_VALUE (&value))
    return TRUE;
  if (g_value_get_int64 (&value) < min || g_value_get_int64 (&value) > max)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "VM spec member “%s” is out of range", member);
      return FALSE;
    }
  *out = g_value_get_int64 (&value);
  return TRUE;
}

static JsonArray *
read_array (JsonObject *object, const char *member, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "VM spec member “%s” should be an array", member);
      return NULL;
    }
  return json_node_get_array (node);
}

static gboolean
parse_error (GError **error, const char *message)
{
  g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE, message);
  return FALSE;
}

static gboolean
read_lists (HeroVirtVmSpec *self, JsonObject *object, GError **error)
{
  GError    *local_error = NULL;
  JsonArray *array;

  array = read_array (object, "disks", &local_error);
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr (HeroVirtVmDisk) disk = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return parse_error (error, "A VM spec disk is not an object");
      disk = _hero_virt_vm_disk_from_json (json_node_get_object (element), error);
      if (disk == NULL)
        return FALSE;
      _hero_virt_vm_spec_add_disk (self, disk);
    }
  if (local_error == NULL)
    array = read_array (object, "nets", &local_error);
  for (guint i = 0; local_error == NULL && array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr (HeroVirtVmNet) net = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return parse_error (error, "A VM spec network device is not an object");
      net = _hero_virt_vm_net_from_json (json_node_get_object (element), error);
      if (net == NULL)
        return FALSE;
      _hero_virt_vm_spec_add_net (self, net);
    }
  if (local_error == NULL)
    array = read_array (object, "extra_args", &local_error);
  for (guint i = 0; local_error == NULL && array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (json_node_get_value_type (element) != G_TYPE_STRING)
        return parse_error (error, "VM spec extra arguments must be strings");
      _hero_virt_vm_spec_add_extra_arg (self, json_node_get_string (element));
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_serial (HeroVirtVmSpec *self, JsonObject *object, GError **error)
{
  JsonNode        *node = json_object_get_member (object, "serial");
  g_autofree char *mode = NULL;
  GEnumClass      *enum_class;
  GEnumValue      *value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return parse_error (error, "VM spec member “serial” should be an object");
  object = json_node_get_object (node);
  if (!read_string (object, "mode", &mode, error)
      || !read_string (object, "path", &self->serial_path, error))
    return FALSE;
  if (mode == NULL)
    return TRUE;
  enum_class = g_type_class_ref (HERO_VIRT_TYPE_VM_SERIAL_MODE);
  value = g_enum_get_value_by_nick (enum_class, mode);
  if (value != NULL)
    self->serial_mode = value->value;
  g_type_class_unref (enum_class);
  if (value == NULL)
    return parse_error (error, "Unknown serial mode");
  return TRUE;
}

/**
 * hero_virt_vm_spec_new_from_json_node:
 * @node: a JSON object as written by [method@HeroVirt.VmSpec.to_json_node]
 * @error: return location for a #GError
 *
 * Reads a spec back. Members left out take their defaults; unknown
 * members are ignored, so records written by later versions still load.
 * The spec is not validated: call [method@HeroVirt.VmSpec.validate].
 *
 * Returns: (transfer full): a new #HeroVirtVmSpec, or %NULL with
 *   %HERO_VIRT_ERROR_PARSE
 *
 * Since: 0.1
 */
HeroVirtVmSpec *
hero_virt_vm_spec_new_from_json_node (JsonNode *node, GError **error)
{
  g_autoptr (HeroVirtVmSpec) self = NULL;
  JsonObject *object;
  gint64      vcpus = 1;
  gint64      memory_mb = 512;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE, "A VM spec is not a JSON object");
      return NULL;
    }
  object = json_node_get_object (node);
  self = g_object_new (HERO_VIRT_TYPE_VM_SPEC, NULL);
  if (!read_string (object, "name", &self->name, error)
      || !read_string (object, "kernel", &self->kernel, error)
      || !read_string (object, "initramfs", &self->initramfs, error)
      || !read_string (object, "cmdline", &self->cmdline, error)
      || !read_string (object, "firmware", &self->firmware, error)
      || !read_int (object, "vcpus", 0, G_MAXUINT, &vcpus, error)
      || !read_int (object, "memory_mb", 0, G_MAXINT64, &memory_mb, error)
      || !read_serial (self, object, error) || !read_lists (self, object, error))
    return NULL;
  self->vcpus = (guint)vcpus;
  self->memory_mb = (guint64)memory_mb;
  return g_steal_pointer (&self);
}

/**
 * hero_virt_vm_spec_new_from_json:
 * @json: JSON text as written by [method@HeroVirt.VmSpec.to_json]
 * @error: return location for a #GError
 *
 * Parses a spec; see [ctor@HeroVirt.VmSpec.new_from_json_node].
 *
 * Returns: (transfer full): a new #HeroVirtVmSpec, or %NULL with
 *   %HERO_VIRT_ERROR_PARSE (%HERO_VIRT_ERROR_TOO_LARGE for text nested too
 *   deep or too long)
 *
 * Since: 0.1
 */
HeroVirtVmSpec *
hero_virt_vm_spec_new_from_json (const char *json, GError **error)
{
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (json != NULL, NULL);

  node = hero_virt_json_parse_untrusted ((const guint8 *)json, strlen (json), 0, 0, &local_error);
  if (node == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, local_error->code, "Could not parse a VM spec: %s",
                   local_error->message);
      return NULL;
    }
  return hero_virt_vm_spec_new_from_json_node (node, error);
}
