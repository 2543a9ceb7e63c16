/* hero-virt-virt-detect.c: which hypervisor, if any, this machine runs on
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The facts, most specific first: the ACPI tables' OEM id (Firecracker
 * writes "FIRECK" and has no DMI), the DMI strings of clouds and desktop
 * hypervisors, the cpuid hypervisor leaf 0x40000000 (KVM, TCG, Hyper-V,
 * VMware, Xen, …), the DMI strings of qemu and Xen, /proc/xen, and last
 * the cpuid hypervisor bit (or the "hypervisor" cpu flag) for a
 * hypervisor nobody names. The names are systemd-detect-virt's.
 */
#include "config.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "hero-virt-virt-detect.h"

typedef struct
{
  const char *prefix;
  const char *name;
} Match;

/* DMI vendors that name the platform better than cpuid does. */
static const Match dmi_specific[] = {
  { "Amazon EC2", "amazon" },       { "Google", "google" },
  { "innotek GmbH", "oracle" },     { "VirtualBox", "oracle" },
  { "VMware", "vmware" },           { "VMW", "vmware" },
  { "Parallels", "parallels" },     { "BHYVE", "bhyve" },
  { "Hyper-V", "microsoft" },       { "Apple Virtualization", "apple" },
  { "Firecracker", "firecracker" },
};

/* DMI vendors that cpuid refines (qemu with KVM says QEMU in DMI). */
static const Match dmi_generic[] = {
  { "QEMU", "qemu" },
  { "KVM", "kvm" },
  { "Bochs", "bochs" },
  { "Xen", "xen" },
};

static const Match cpuid_vendors[] = {
  { "KVMKVMKVM", "kvm" },          { "Linux KVM Hv", "kvm" }, /* KVM with Hyper-V enlightenments */
  { "TCGTCGTCGTCG", "qemu" },      { "Microsoft Hv", "microsoft" }, { "VMwareVMware", "vmware" },
  { "XenVMMXenVMM", "xen" },       { "bhyve bhyve ", "bhyve" },     { "ACRNACRNACRN", "acrn" },
  { " lrpepyh  vr", "parallels" }, { "VBoxVBoxVBox", "oracle" },    { "QNXQVMBSQG", "qnx" },
};

static char *
read_under (const char *root, const char *path, gsize max)
{
  g_autofree char *full = g_build_filename (root, path, NULL);
  char            *contents = NULL;
  gsize            len = 0;

  if (!g_file_get_contents (full, &contents, &len, NULL))
    return NULL;
  if (len > max)
    contents[max] = '\0';
  return contents;
}

static const char *
match_prefix (const Match *table, gsize n, const char *value)
{
  if (value == NULL)
    return NULL;
  for (gsize i = 0; i < n; i++)
    if (g_str_has_prefix (value, table[i].prefix))
      return table[i].name;
  return NULL;
}

static const char *
from_acpi (const char *root)
{
  static const char *const tables[]
      = { "sys/firmware/acpi/tables/DSDT", "sys/firmware/acpi/tables/FACP" };

  for (gsize i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *header = read_under (root, tables[i], 36);

      /* The OEM id is bytes 10 to 15 of every ACPI table header. */
      if (header != NULL && memcmp (header, tables[i] + strlen (tables[i]) - 4, 4) == 0
          && strncmp (header + 10, "FIRECK", 6) == 0)
        return "firecracker";
    }
  return NULL;
}

static const char *
from_dmi (const char *root, const Match *table, gsize n)
{
  static const char *const files[]
      = { "sys/class/dmi/id/sys_vendor", "sys/class/dmi/id/board_vendor",
          "sys/class/dmi/id/bios_vendor", "sys/class/dmi/id/product_name" };

  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *value = read_under (root, files[i], 256);
      const char      *name = value != NULL ? match_prefix (table, n, g_strstrip (value)) : NULL;

      if (name != NULL)
        return name;
    }
  /* Hyper-V says "Microsoft Corporation" and "Virtual Machine". */
  {
    g_autofree char *vendor = read_under (root, "sys/class/dmi/id/sys_vendor", 256);
    g_autofree char *product = read_under (root, "sys/class/dmi/id/product_name", 256);

    if (table == dmi_specific && vendor != NULL && product != NULL
        && g_str_has_prefix (g_strstrip (vendor), "Microsoft Corporation")
        && g_str_has_prefix (g_strstrip (product), "Virtual Machine"))
      return "microsoft";
  }
  return NULL;
}

/* cpuid: *@hypervisor_bit from leaf 1, the vendor of leaf 0x40000000. */
static const char *
from_cpuid (gboolean *hypervisor_bit)
{
#if defined(__x86_64__) || defined(__i386__)
  unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
  char         vendor[13] = { 0 };

  if (!__get_cpuid (1, &eax, &ebx, &ecx, &edx))
    return NULL;
  *hypervisor_bit = (ecx & (1u << 31)) != 0;
  if (!*hypervisor_bit)
    return NULL;
  __cpuid (0x40000000, eax, ebx, ecx, edx);
  memcpy (vendor, &ebx, 4);
  memcpy (vendor + 4, &ecx, 4);
  memcpy (vendor + 8, &edx, 4);
  return match_prefix (cpuid_vendors, G_N_ELEMENTS (cpuid_vendors), vendor);
#else
  *hypervisor_bit = FALSE;
  return NULL;
#endif
}

static gboolean
cpuinfo_says_hypervisor (const char *root)
{
  g_autofree char *cpuinfo = read_under (root, "proc/cpuinfo", 1 << 20);
  g_auto (GStrv) lines = NULL;

  if (cpuinfo == NULL)
    return FALSE;
  lines = g_strsplit (cpuinfo, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "flags"))
      {
        g_auto (GStrv) flags = g_strsplit (lines[i], " ", -1);
        return g_strv_contains ((const char *const *)flags, "hypervisor");
      }
  return FALSE;
}

/**
 * hero_virt_detect_virtualization_at:
 * @root: (type filename): the directory whose `sys/` and `proc/` to read,
 *   `/` for this machine
 *
 * Like [func@HeroVirt.detect_virtualization], from the files under @root:
 * a copy of another machine's `/sys/firmware/acpi/tables`,
 * `/sys/class/dmi/id`, `/proc/xen` and `/proc/cpuinfo`, say. The cpuid
 * instruction is consulted only when @root is `/`.
 *
 * Returns: (transfer none): a name as
 *   [func@HeroVirt.detect_virtualization] returns
 *
 * Since: 0.1
 */
const char *
hero_virt_detect_virtualization_at (const char *root)
{
  g_autofree char *xen = NULL;
  gboolean         hypervisor_bit = FALSE;
  gboolean         here;
  const char      *name;

  g_return_val_if_fail (root != NULL, "none");

  here = strcmp (root, "/") == 0;
  if ((name = from_acpi (root)) != NULL)
    return name;
  if ((name = from_dmi (root, dmi_specific, G_N_ELEMENTS (dmi_specific))) != NULL)
    return name;
  if (here && (name = from_cpuid (&hypervisor_bit)) != NULL)
    return name;
  if ((name = from_dmi (root, dmi_generic, G_N_ELEMENTS (dmi_generic))) != NULL)
    return name;
  xen = g_build_filename (root, "proc", "xen", NULL);
  if (g_file_test (xen, G_FILE_TEST_IS_DIR))
    return "xen";
  if (hypervisor_bit || cpuinfo_says_hypervisor (root))
    return "vm-other";
  return "none";
}

/**
 * hero_virt_detect_virtualization:
 *
 * Says which hypervisor this machine runs under, as `systemd-detect-virt`
 * names them: `none` on bare metal, else `kvm`, `qemu` (qemu without KVM,
 * TCG), `firecracker`, `microsoft`, `vmware`, `oracle` (VirtualBox),
 * `xen`, `bochs`, `parallels`, `bhyve`, `acrn`, `qnx`, `amazon`,
 * `google`, `apple`, or `vm-other` for a hypervisor that does not say its
 * name. It reads the ACPI tables' OEM id and the DMI strings under
 * `/sys`, the cpuid hypervisor leaf and `/proc`. It spawns nothing and
 * needs no privileges.
 *
 * Whether a VM can use KVM here is another question: `/dev/kvm` may be
 * missing, or be a paravirtual KVM that boots only guests made for it.
 *
 * Returns: (transfer none): the hypervisor's name, or `none`
 *
 * Since: 0.1
 */
const char *
hero_virt_detect_virtualization (void)
{
  return hero_virt_detect_virtualization_at ("/");
}
