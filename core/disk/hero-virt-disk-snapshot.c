/* hero-virt-disk-snapshot.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * HeroVirtDiskSnapshot:
 *
 * One internal snapshot of a disk image, as listed in the `snapshots`
 * array of `qemu-img info --output=json`.
 *
 * Since: 0.1
 */
struct _HeroVirtDiskSnapshot
{
  GObject parent_instance;

  char   *id;
  char   *name;
  guint64 vm_state_size;
  gint64  date_sec;
  gint64  date_nsec;
  gint64  vm_clock_sec;
  gint64  vm_clock_nsec;
  gint64  icount;
};

enum
{
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_VM_STATE_SIZE,
  PROP_DATE_SEC,
  PROP_ICOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtDiskSnapshot, hero_virt_disk_snapshot, G_TYPE_OBJECT)

static void
hero_virt_disk_snapshot_finalize (GObject *object)
{
  HeroVirtDiskSnapshot *self = HERO_VIRT_DISK_SNAPSHOT (object);

  g_free (self->id);
  g_free (self->name);

  G_OBJECT_CLASS (hero_virt_disk_snapshot_parent_class)->finalize (object);
}

static void
hero_virt_disk_snapshot_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  HeroVirtDiskSnapshot *self = HERO_VIRT_DISK_SNAPSHOT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_VM_STATE_SIZE:
      g_value_set_uint64 (value, self->vm_state_size);
      break;
    case PROP_DATE_SEC:
      g_value_set_int64 (value, self->date_sec);
      break;
    case PROP_ICOUNT:
      g_value_set_int64 (value, self->icount);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_disk_snapshot_class_init (HeroVirtDiskSnapshotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_disk_snapshot_finalize;
  object_class->get_property = hero_virt_disk_snapshot_get_property;

  /**
   * HeroVirtDiskSnapshot:id:
   *
   * The snapshot's unique ID string.
   *
   * Since: 0.1
   */
  properties[PROP_ID]
      = g_param_spec_string ("id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtDiskSnapshot:name:
   *
   * The snapshot's name (qemu-img's "tag").
   *
   * Since: 0.1
   */
  properties[PROP_NAME]
      = g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtDiskSnapshot:vm-state-size:
   *
   * Bytes of saved VM state (0 for a disk-only snapshot).
   *
   * Since: 0.1
   */
  properties[PROP_VM_STATE_SIZE] = g_param_spec_uint64 (
      "vm-state-size", NULL, NULL, 0, G_MAXUINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtDiskSnapshot:date-sec:
   *
   * When the snapshot was taken, in seconds since the epoch.
   *
   * Since: 0.1
   */
  properties[PROP_DATE_SEC] = g_param_spec_int64 ("date-sec", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtDiskSnapshot:icount:
   *
   * The instruction count recorded with the snapshot, or -1 for none.
   *
   * Since: 0.1
   */
  properties[PROP_ICOUNT] = g_param_spec_int64 ("icount", NULL, NULL, -1, G_MAXINT64, -1,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_disk_snapshot_init (HeroVirtDiskSnapshot *self)
{
  self->icount = -1;
}

static gint64
get_int (JsonObject *object, const char *member, gint64 fallback)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (node);
}

/**
 * hero_virt_disk_snapshot_new_from_json_object:
 * @object: one element of the `snapshots` array of `qemu-img info
 *   --output=json`
 * @error: return location for a #GError
 *
 * Creates a snapshot description from qemu-img's JSON.
 *
 * Returns: (transfer full): a new #HeroVirtDiskSnapshot, or %NULL with
 *   %HERO_VIRT_ERROR_PARSE
 *
 * Since: 0.1
 */
HeroVirtDiskSnapshot *
hero_virt_disk_snapshot_new_from_json_object (JsonObject *object, GError **error)
{
  HeroVirtDiskSnapshot *self;
  const char           *id, *name;

  g_return_val_if_fail (object != NULL, NULL);

  id = json_object_get_string_member_with_default (object, "id", NULL);
  name = json_object_get_string_member_with_default (object, "name", NULL);
  if (id == NULL || name == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "A snapshot entry has no id or name");
      return NULL;
    }

  self = g_object_new (HERO_VIRT_TYPE_DISK_SNAPSHOT, NULL);
  self->id = g_strdup (id);
  self->name = g_strdup (name);
  self->vm_state_size = (guint64)get_int (object, "vm-state-size", 0);
  self->date_sec = get_int (object, "date-sec", 0);
  self->date_nsec = get_int (object, "date-nsec", 0);
  self->vm_clock_sec = get_int (object, "vm-clock-sec", 0);
  self->vm_clock_nsec = get_int (object, "vm-clock-nsec", 0);
  self->icount = get_int (object, "icount", -1);
  return self;
}

/**
 * hero_virt_disk_snapshot_get_id:
 * @self: a #HeroVirtDiskSnapshot
 *
 * Returns: the snapshot's ID
 *
 * Since: 0.1
 */
const char *
hero_virt_disk_snapshot_get_id (HeroVirtDiskSnapshot *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_SNAPSHOT (self), NULL);
  return self->id;
}

/**
 * hero_virt_disk_snapshot_get_name:
 * @self: a #HeroVirtDiskSnapshot
 *
 * Returns: the snapshot's name
 *
 * Since: 0.1
 */
const char *
hero_virt_disk_snapshot_get_name (HeroVirtDiskSnapshot *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_SNAPSHOT (self), NULL);
  return self->name;
}

/**
 * hero_virt_disk_snapshot_get_vm_state_size:
 * @self: a #HeroVirtDiskSnapshot
 *
 * Returns: bytes of saved VM state
 *
 * Since: 0.1
 */
guint64
hero_virt_disk_snapshot_get_vm_state_size (HeroVirtDiskSnapshot *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_SNAPSHOT (self), 0);
  return self->vm_state_size;
}

/**
 * hero_virt_disk_snapshot_get_date_sec:
 * @self: a #HeroVirtDiskSnapshot
 *
 * Returns: when the snapshot was taken, seconds since the epoch
 *
 * Since: 0.1
 */
gint64
hero_virt_disk_snapshot_get_date_sec (HeroVirtDiskSnapshot *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_SNAPSHOT (self), 0);
  return self->date_sec;
}

/**
 * hero_virt_disk_snapshot_get_date_nsec:
 * @self: a #HeroVirtDiskSnapshot
 *
 * Returns: the nanoseconds part of the snapshot's date
 *
 * Since: 0.1
 */
gint64
hero_virt_disk_snapshot_get_date_nsec (HeroVirtDiskSnapshot *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_SNAPSHOT (self), 0);
  return self->date_nsec;
}

/**
 * hero_virt_disk_snapshot_get_vm_clock_sec:
 * @self: a #HeroVirtDiskSnapshot
 *
 * Returns: the guest clock at the snapshot, whole seconds
 *
 * Since: 0.1
 */
gint64
hero_virt_disk_snapshot_get_vm_clock_sec (HeroVirtDiskSnapshot *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_SNAPSHOT (self), 0);
  return self->vm_clock_sec;
}

/**
 * hero_virt_disk_snapshot_get_vm_clock_nsec:
 * @self: a #HeroVirtDiskSnapshot
 *
 * Returns: the nanoseconds part of the guest clock
 *
 * Since: 0.1
 */
gint64
hero_virt_disk_snapshot_get_vm_clock_nsec (HeroVirtDiskSnapshot *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_SNAPSHOT (self), 0);
  return self->vm_clock_nsec;
}

/**
 * hero_virt_disk_snapshot_get_icount:
 * @self: a #HeroVirtDiskSnapshot
 *
 * Returns: the recorded instruction count, or -1
 *
 * Since: 0.1
 */
gint64
hero_virt_disk_snapshot_get_icount (HeroVirtDiskSnapshot *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_DISK_SNAPSHOT (self), -1);
  return self->icount;
}
