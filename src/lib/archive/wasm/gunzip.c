/* A streaming gzip inflate for the verify workers, built to wasm32 by
 * scripts/build-wasm-gunzip.sh from Debian's zlib 1.2.13 source. One stream at a time; the
 * caller copies input into in_buf, calls gz_inflate, reads out_buf. Multi-member gzip:
 * gz_inflate returns Z_STREAM_END at the end of each member and gz_reset starts the next. */
#include <stdlib.h>
#include "zlib.h"

#define IN_SIZE (256 * 1024)
#define OUT_SIZE (1024 * 1024)

static z_stream strm;
static unsigned char in_buf[IN_SIZE];
static unsigned char out_buf[OUT_SIZE];

__attribute__((export_name("gz_in_buf"))) unsigned char *gz_in_buf(void) { return in_buf; }
__attribute__((export_name("gz_out_buf"))) unsigned char *gz_out_buf(void) { return out_buf; }
__attribute__((export_name("gz_in_size"))) int gz_in_size(void) { return IN_SIZE; }
__attribute__((export_name("gz_out_size"))) int gz_out_size(void) { return OUT_SIZE; }

/* Starts a stream (gzip only: windowBits 16 + 15). Returns a zlib code. */
__attribute__((export_name("gz_init"))) int gz_init(void) {
  strm.zalloc = Z_NULL;
  strm.zfree = Z_NULL;
  strm.opaque = Z_NULL;
  strm.next_in = in_buf;
  strm.avail_in = 0;
  return inflateInit2(&strm, 16 + 15);
}

/* Starts the next member, keeping the input not yet read. */
__attribute__((export_name("gz_reset"))) int gz_reset(void) { return inflateReset(&strm); }

/* Gives the stream `n` new bytes at the start of in_buf (only once the last were consumed). */
__attribute__((export_name("gz_feed"))) void gz_feed(int n) {
  strm.next_in = in_buf;
  strm.avail_in = (unsigned)n;
}

/* Inflates into out_buf from its start; returns the zlib code. */
__attribute__((export_name("gz_inflate"))) int gz_inflate(void) {
  strm.next_out = out_buf;
  strm.avail_out = OUT_SIZE;
  return inflate(&strm, Z_NO_FLUSH);
}

__attribute__((export_name("gz_out_len"))) int gz_out_len(void) { return OUT_SIZE - (int)strm.avail_out; }
__attribute__((export_name("gz_avail_in"))) int gz_avail_in(void) { return (int)strm.avail_in; }
/* zlib's word for the last error ("incorrect data check"), or an empty string. */
__attribute__((export_name("gz_msg"))) const char *gz_msg(void) { return strm.msg ? strm.msg : ""; }
__attribute__((export_name("gz_end"))) int gz_end(void) { return inflateEnd(&strm); }
