/* ks-spdy.c: the SPDY/3.1 framing a Kubernetes port-forward needs
 * (draft-mbelshe-httpbis-spdy-00, as moby/spdystream speaks it): control
 * frames SYN_STREAM, SYN_REPLY, RST_STREAM, SETTINGS, PING, GOAWAY, HEADERS,
 * WINDOW_UPDATE and DATA frames; header blocks compressed with zlib and the
 * SPDY/3 dictionary, one compression context per direction. Flow control
 * windows are not enforced: spdystream neither sends nor honours
 * WINDOW_UPDATE, TCP paces the streams. */
#include "ks-stream-io.h"

#include <string.h>
#include <zlib.h>

enum
{
  SYN_STREAM = 1,
  SYN_REPLY = 2,
  RST_STREAM = 3,
  SETTINGS = 4,
  PING = 6,
  GOAWAY = 7,
  HEADERS = 8,
  WINDOW_UPDATE = 9,
};

#define FLAG_FIN 0x01
#define MAX_FRAME (16 * 1024 * 1024)
#define DATA_CHUNK 65536

/* The SPDY/3 header compression dictionary (section 2.6.10.1 of the draft). */
static const char dictionary[]
    = "\000\000\000\007options\000\000\000\004head\000\000\000\004post\000\000\000\003put\000\000"
      "\000\006delete\000\000\000\005trace\000\000\000\006accept\000\000\000\016accept-charset"
      "\000\000\000\017accept-encoding\000\000\000\017accept-language\000\000\000\015accept-range"
      "s\000\000\000\003age\000\000\000\005allow\000\000\000\015authorization\000\000\000\015cach"
      "e-control\000\000\000\012connection\000\000\000\014content-base\000\000\000\020content-enc"
      "oding\000\000\000\020content-language\000\000\000\016content-length\000\000\000\020content"
      "-location\000\000\000\013content-md5\000\000\000\015content-range\000\000\000\014content-t"
      "ype\000\000\000\004date\000\000\000\004etag\000\000\000\006expect\000\000\000\007expires"
      "\000\000\000\004from\000\000\000\004host\000\000\000\010if-match\000\000\000\021if-modifie"
      "d-since\000\000\000\015if-none-match\000\000\000\010if-range\000\000\000\023if-unmodified-"
      "since\000\000\000\015last-modified\000\000\000\010location\000\000\000\014max-forwards\000"
      "\000\000\006pragma\000\000\000\022proxy-authenticate\000\000\000\023proxy-authorization"
      "\000\000\000\005range\000\000\000\007referer\000\000\000\013retry-after\000\000\000\006ser"
      "ver\000\000\000\002te\000\000\000\007trailer\000\000\000\021transfer-encoding\000\000\000"
      "\007upgrade\000\000\000\012user-agent\000\000\000\004vary\000\000\000\003via\000\000\000"
      "\007warning\000\000\000\020www-authenticate\000\000\000\006method\000\000\000\003get\000"
      "\000\000\006status\000\000\000\006200 OK\000\000\000\007version\000\000\000\010HTTP/1.1"
      "\000\000\000\003url\000\000\000\006public\000\000\000\012set-cookie\000\000\000\012keep-al"
      "ive\000\000\000\006origin10010120120220520630030230330430530630740240540640740840941041141"
      "2413414415416417502504505203 Non-Authoritative Information204 No Content301 Moved Permanen"
      "tly400 Bad Request401 Unauthorized403 Forbidden404 Not Found500 Internal Server Error501 N"
      "ot Implemented503 Service UnavailableJan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:0"
      "0:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMTchunked,text/html,image/png,image/jpg,image/gif"
      ",application/xml,application/xhtml+xml,text/plain,text/javascript,publicprivatemax-age=gzi"
      "p,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.";

G_STATIC_ASSERT (sizeof dictionary - 1 == 1423);

struct _KsSpdy
{
  const KsSpdyFuncs *funcs;
  gpointer           owner;
  GByteArray        *in;
  z_stream           inflater, deflater;
  gboolean           gone;
  guint32            last_stream;
};

KsSpdy *
ks_spdy_new (const KsSpdyFuncs *funcs, gpointer owner)
{
  KsSpdy *spdy = g_new0 (KsSpdy, 1);

  spdy->funcs = funcs;
  spdy->owner = owner;
  spdy->in = g_byte_array_new ();
  inflateInit (&spdy->inflater);
  deflateInit (&spdy->deflater, Z_DEFAULT_COMPRESSION);
  deflateSetDictionary (&spdy->deflater, (const Bytef *)dictionary, sizeof dictionary - 1);
  return spdy;
}

void
ks_spdy_free (KsSpdy *spdy)
{
  inflateEnd (&spdy->inflater);
  deflateEnd (&spdy->deflater);
  g_byte_array_unref (spdy->in);
  g_free (spdy);
}

static guint32
get32 (const guint8 *p)
{
  return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

static void
put32 (GByteArray *out, guint32 v)
{
  guint8 b[4] = { v >> 24, v >> 16, v >> 8, v };

  g_byte_array_append (out, b, 4);
}

static void
send_frame (KsSpdy *spdy, GByteArray *frame)
{
  g_autoptr (GBytes) bytes = g_byte_array_free_to_bytes (frame);

  spdy->funcs->send (spdy->owner, bytes);
}

static GByteArray *
control_frame (guint16 type, guint8 flags, guint32 length)
{
  GByteArray *f = g_byte_array_sized_new (8 + length);
  guint8      h[8] = { 0x80, 3, type >> 8, type & 0xff, flags, length >> 16, length >> 8, length };

  g_byte_array_append (f, h, 8);
  return f;
}

static void
fix_length (GByteArray *f)
{
  guint32 length = f->len - 8;

  f->data[5] = length >> 16;
  f->data[6] = length >> 8;
  f->data[7] = length;
}

/* Inflates one header block into a name -> first value table. */
static GHashTable *
parse_headers (KsSpdy *spdy, const guint8 *data, gsize len)
{
  GHashTable *headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GByteArray *plain = g_byte_array_new ();
  guint8      buf[4096];
  gsize       pos = 0;
  guint32     count;
  int         rc;

  spdy->inflater.next_in = (Bytef *)data;
  spdy->inflater.avail_in = len;
  do
    {
      spdy->inflater.next_out = buf;
      spdy->inflater.avail_out = sizeof buf;
      rc = inflate (&spdy->inflater, Z_SYNC_FLUSH);
      if (rc == Z_NEED_DICT)
        {
          rc = inflateSetDictionary (&spdy->inflater, (const Bytef *)dictionary,
                                     sizeof dictionary - 1);
          if (rc != Z_OK)
            break;
          continue;
        }
      if (rc != Z_OK && rc != Z_BUF_ERROR)
        break;
      g_byte_array_append (plain, buf, sizeof buf - spdy->inflater.avail_out);
      if (plain->len > 1024 * 1024)
        break;
    }
  while (spdy->inflater.avail_in > 0 || spdy->inflater.avail_out == 0);

  if (plain->len >= 4)
    {
      count = get32 (plain->data);
      pos = 4;
      for (guint32 i = 0; i < count; i++)
        {
          guint32 nlen, vlen;
          char   *name, *value;
          if (pos + 4 > plain->len)
            break;
          nlen = get32 (plain->data + pos);
          pos += 4;
          if (pos + nlen + 4 > plain->len)
            break;
          name = g_ascii_strdown ((const char *)plain->data + pos, nlen);
          pos += nlen;
          vlen = get32 (plain->data + pos);
          pos += 4;
          if (pos + vlen > plain->len)
            {
              g_free (name);
              break;
            }
          /* Several values are NUL-separated: keep the first. */
          value = g_strndup ((const char *)plain->data + pos, vlen);
          pos += vlen;
          g_hash_table_replace (headers, name, value);
        }
    }
  g_byte_array_unref (plain);
  return headers;
}

/* An empty header block, deflated in this direction's context. */
static void
append_empty_headers (KsSpdy *spdy, GByteArray *f)
{
  guint8 plain[4] = { 0, 0, 0, 0 };
  guint8 buf[256];

  spdy->deflater.next_in = plain;
  spdy->deflater.avail_in = sizeof plain;
  do
    {
      spdy->deflater.next_out = buf;
      spdy->deflater.avail_out = sizeof buf;
      deflate (&spdy->deflater, Z_SYNC_FLUSH);
      g_byte_array_append (f, buf, sizeof buf - spdy->deflater.avail_out);
    }
  while (spdy->deflater.avail_out == 0);
}

void
ks_spdy_reply (KsSpdy *spdy, guint32 id)
{
  GByteArray *f = control_frame (SYN_REPLY, 0, 0);

  put32 (f, id & 0x7fffffff);
  append_empty_headers (spdy, f);
  fix_length (f);
  send_frame (spdy, f);
}

void
ks_spdy_send_data (KsSpdy *spdy, guint32 id, const guint8 *data, gsize len, gboolean fin)
{
  if (spdy->gone)
    return;
  do
    {
      gsize       n = MIN (len, DATA_CHUNK);
      gboolean    last = n == len;
      GByteArray *f = g_byte_array_sized_new (8 + n);
      guint8      h[8] = { (id >> 24) & 0x7f,          id >> 16, id >> 8, id,
                      last && fin ? FLAG_FIN : 0, n >> 16,  n >> 8,  n };
      g_byte_array_append (f, h, 8);
      if (n > 0)
        g_byte_array_append (f, data, n);
      send_frame (spdy, f);
      data += n;
      len -= n;
    }
  while (len > 0);
}

void
ks_spdy_reset (KsSpdy *spdy, guint32 id, guint32 status)
{
  GByteArray *f = control_frame (RST_STREAM, 0, 8);

  put32 (f, id & 0x7fffffff);
  put32 (f, status);
  send_frame (spdy, f);
}

void
ks_spdy_goaway (KsSpdy *spdy)
{
  GByteArray *f;

  if (spdy->gone)
    return;
  f = control_frame (GOAWAY, 0, 8);
  put32 (f, spdy->last_stream);
  put32 (f, 0);
  send_frame (spdy, f);
}

static void
gone (KsSpdy *spdy, const char *why)
{
  if (spdy->gone)
    return;
  spdy->gone = TRUE;
  spdy->funcs->gone (spdy->owner, why);
}

static void
control (KsSpdy *spdy, guint16 type, guint8 flags, const guint8 *p, gsize len)
{
  switch (type)
    {
    case SYN_STREAM:
      {
        guint32 id;
        g_autoptr (GHashTable) headers = NULL;
        if (len < 10)
          {
            gone (spdy, "short SYN_STREAM");
            return;
          }
        id = get32 (p) & 0x7fffffff;
        headers = parse_headers (spdy, p + 10, len - 10);
        spdy->last_stream = MAX (spdy->last_stream, id);
        spdy->funcs->stream_opened (spdy->owner, id, headers);
        if ((flags & FLAG_FIN) && !spdy->gone)
          spdy->funcs->stream_fin (spdy->owner, id);
        return;
      }
    case HEADERS:
    case SYN_REPLY:
      if (len >= 4)
        {
          /* Inflated to keep the compression context in step; unused. */
          g_autoptr (GHashTable) headers = parse_headers (spdy, p + 4, len - 4);
          if (flags & FLAG_FIN)
            spdy->funcs->stream_fin (spdy->owner, get32 (p) & 0x7fffffff);
        }
      return;
    case RST_STREAM:
      if (len >= 8)
        spdy->funcs->stream_reset (spdy->owner, get32 (p) & 0x7fffffff);
      return;
    case PING:
      if (len >= 4)
        {
          GByteArray *f = control_frame (PING, 0, 4);
          g_byte_array_append (f, p, 4);
          send_frame (spdy, f);
        }
      return;
    case GOAWAY:
      gone (spdy, "the client sent GOAWAY");
      return;
    case SETTINGS:
    case WINDOW_UPDATE:
    default:
      return;
    }
}

void
ks_spdy_feed (KsSpdy *spdy, const guint8 *data, gsize len)
{
  gsize pos = 0;

  if (spdy->gone)
    return;
  g_byte_array_append (spdy->in, data, len);
  while (!spdy->gone && spdy->in->len - pos >= 8)
    {
      const guint8 *p = spdy->in->data + pos;
      guint32       length = (guint32)p[5] << 16 | (guint32)p[6] << 8 | p[7];
      guint8        flags = p[4];

      if (length > MAX_FRAME)
        {
          gone (spdy, "frame too large");
          break;
        }
      if (spdy->in->len - pos < 8 + length)
        break;
      if (p[0] & 0x80)
        {
          guint16 version = (p[0] & 0x7f) << 8 | p[1];
          if (version != 3)
            {
              gone (spdy, "unsupported SPDY version");
              break;
            }
          control (spdy, p[2] << 8 | p[3], flags, p + 8, length);
        }
      else
        {
          guint32 id = get32 (p) & 0x7fffffff;
          if (length > 0)
            spdy->funcs->stream_data (spdy->owner, id, p + 8, length);
          if ((flags & FLAG_FIN) && !spdy->gone)
            spdy->funcs->stream_fin (spdy->owner, id);
        }
      pos += 8 + length;
    }
  if (pos > 0)
    g_byte_array_remove_range (spdy->in, 0, pos);
}
