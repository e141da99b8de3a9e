/* A streaming zstd decoder for layer reads, built to wasm32 by scripts/build-wasm-unzstd.sh
 * from Debian's libzstd 1.5.4 source (decompression only). One stream at a time; the caller
 * copies input into in_buf, calls zs_decompress, reads out_buf. Every frame of a stream, and
 * skippable frames, as libzstd's streaming decoder reads them; frames whose window is larger
 * than 2^window_log_max bytes are refused before their window is allocated. */
#include <stdlib.h>
#define ZSTD_STATIC_LINKING_ONLY
#include "zstd.h"
#include "zstd_errors.h"
#include "decompress/zstd_decompress_internal.h"

#define IN_SIZE (256 * 1024)
#define OUT_SIZE (1024 * 1024)

static ZSTD_DCtx *dctx;
static unsigned char in_buf[IN_SIZE];
static unsigned char out_buf[OUT_SIZE];
static ZSTD_inBuffer in;
static ZSTD_outBuffer out;
static size_t last;

__attribute__((export_name("zs_in_buf"))) unsigned char *zs_in_buf(void) { return in_buf; }
__attribute__((export_name("zs_out_buf"))) unsigned char *zs_out_buf(void) { return out_buf; }
__attribute__((export_name("zs_in_size"))) int zs_in_size(void) { return IN_SIZE; }
__attribute__((export_name("zs_out_size"))) int zs_out_size(void) { return OUT_SIZE; }

/* Starts a stream; returns 0, or -1 when the decoder cannot be made or set. */
__attribute__((export_name("zs_init"))) int zs_init(int window_log_max) {
  dctx = ZSTD_createDCtx();
  if (!dctx) return -1;
  if (ZSTD_isError(ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, window_log_max))) return -1;
  in.src = in_buf;
  in.size = 0;
  in.pos = 0;
  last = 0;
  return 0;
}

/* Gives the stream `n` new bytes at the start of in_buf (only once the last were consumed). */
__attribute__((export_name("zs_feed"))) void zs_feed(int n) {
  in.src = in_buf;
  in.size = (size_t)n;
  in.pos = 0;
}

/* Decodes into out_buf from its start. Returns 0 where a frame has just been decoded and
 * flushed whole, 1 where more is to come, or minus libzstd's error code. */
__attribute__((export_name("zs_decompress"))) int zs_decompress(void) {
  out.dst = out_buf;
  out.size = OUT_SIZE;
  out.pos = 0;
  last = ZSTD_decompressStream(dctx, &out, &in);
  if (ZSTD_isError(last)) return -(int)ZSTD_getErrorCode(last);
  return last == 0 ? 0 : 1;
}

__attribute__((export_name("zs_out_len"))) int zs_out_len(void) { return (int)out.pos; }
__attribute__((export_name("zs_avail_in"))) int zs_avail_in(void) { return (int)(in.size - in.pos); }
/* libzstd's name for the last error ("Data corruption detected"). */
__attribute__((export_name("zs_error"))) const char *zs_error(void) { return ZSTD_getErrorName(last); }
/* The code libzstd gives a frame whose window is above the limit. */
__attribute__((export_name("zs_window_too_large"))) int zs_window_too_large(void) {
  return (int)ZSTD_error_frameParameter_windowTooLarge;
}
/* The window the frame being read asks for, in bytes (after a windowTooLarge error: the one
 * refused). */
__attribute__((export_name("zs_window"))) double zs_window(void) {
  return (double)dctx->fParams.windowSize;
}
__attribute__((export_name("zs_end"))) void zs_end(void) {
  ZSTD_freeDCtx(dctx);
  dctx = NULL;
}
