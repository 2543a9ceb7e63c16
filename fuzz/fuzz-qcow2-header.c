/* fuzz-qcow2-header.c: libFuzzer target for the native qcow2 header,
 * header extension and snapshot table parser
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The input is a whole image file. Reads go through a callback that
 * aborts on any request outside the buffer, so a parser bug that asks for
 * bytes past the "file" is a crash even when ASan would not see it.
 */
#include <stdlib.h>
#include <string.h>

#include "qcow2-format.h"

typedef struct
{
  const guint8 *data;
  gsize         size;
} Buffer;

static gboolean
read_buffer (gpointer user_data, guint64 offset, void *buf, gsize len)
{
  Buffer *b = user_data;

  if (offset > b->size || len > b->size - offset)
    abort ();
  memcpy (buf, b->data + offset, len);
  return TRUE;
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  Buffer      b = { data, size };
  Qcow2Image *image = NULL;
  char       *message = NULL;
  Qcow2Status status;

  status = qcow2_image_parse (read_buffer, &b, size, &image, &message);
  if (status == QCOW2_STATUS_OK)
    {
      /* Touch everything the JSON writer would. */
      volatile gsize sum = 0;

      if (image == NULL || message != NULL)
        abort ();
      for (guint32 i = 0; i < image->nb_snapshots; i++)
        sum += strlen (image->snapshots[i].id) + strlen (image->snapshots[i].name);
      if (image->backing_file)
        sum += strlen (image->backing_file);
      if (image->backing_format)
        sum += strlen (image->backing_format);
      (void)qcow2_image_needs_qemu (image);
    }
  else if (status == QCOW2_STATUS_CORRUPT && message == NULL)
    abort (); /* every refusal says why */
  qcow2_image_free (image);
  g_free (message);

  /* The backing/data-file scanner that guards every qemu-img call reads the
   * same bytes: any prefix of the file, as the provider hands it over. */
  {
    Qcow2Refs refs = { 0 };
    gsize     needed = 0;
    char     *why = NULL;

    status = qcow2_scan_refs (data, size, size, &refs, &needed, &why);
    if (status == QCOW2_STATUS_CORRUPT && why == NULL)
      abort (); /* every refusal says why */
    qcow2_refs_clear (&refs);
    g_clear_pointer (&why, g_free);
    if (size > 0)
      {
        status = qcow2_scan_refs (data, size / 2, size, &refs, &needed, &why);
        if (status == QCOW2_STATUS_CORRUPT && why == NULL)
          abort ();
        qcow2_refs_clear (&refs);
        g_free (why);
      }
  }
  return 0;
}
