/* Multi-buffer SHA-256 (FIPS 180-4) for the verify workers: four independent messages hashed
 * at once, one 64-byte block of each per step, in the four 32-bit lanes of WebAssembly SIMD128
 * (which has no SHA instructions and no vector rotate: a rotate is two shifts and an or). Built
 * to wasm32 by scripts/build-wasm.sh. This project's own code (Apache-2.0).
 *
 * The caller keeps, for each lane, where its next whole blocks are (ctl.ptr) and how many there
 * are (ctl.blocks), then calls x4_run: lanes advance together while at least two have blocks
 * (a lane with none keeps its state: its result is masked out), and the last one alone with the
 * scalar compression. x4_final pads a lane's last bytes and writes its digest. */
#include <stdint.h>
#include <wasm_simd128.h>

#define LANES 4
/* Each lane's input area: where the caller copies its bytes before they are compressed. */
#define IN_BYTES (4 << 20)

/* What the caller sets before x4_run: per lane, a pointer to whole blocks and their count
 * (x4_run advances both to the end). */
static struct {
  uint32_t ptr[LANES];
  uint32_t blocks[LANES];
} ctl;

/* Word w of lane l is element l of state[w]. */
static v128_t state[8];
static uint8_t out[LANES * 32];
static uint8_t input[LANES][IN_BYTES] __attribute__((aligned(16)));
/* What an idle lane reads, so that every load is of valid memory. */
static uint8_t zero_block[64];

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static const uint32_t IV[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

__attribute__((export_name("x4_ctl"))) void *x4_ctl(void) { return &ctl; }
__attribute__((export_name("x4_out"))) uint8_t *x4_out(void) { return out; }
__attribute__((export_name("x4_in"))) uint8_t *x4_in(int l) { return input[l]; }
__attribute__((export_name("x4_in_bytes"))) int x4_in_bytes(void) { return IN_BYTES; }

static inline uint32_t lane_get(int w, int l) { return ((uint32_t *)&state[w])[l]; }
static inline void lane_set(int w, int l, uint32_t v) { ((uint32_t *)&state[w])[l] = v; }

/* Starts lane l's message afresh. */
__attribute__((export_name("x4_init"))) void x4_init(int l) {
  for (int w = 0; w < 8; w++) lane_set(w, l, IV[w]);
}

/* ---- four lanes ---- */

#define ROTR(x, n) wasm_v128_or(wasm_u32x4_shr((x), (n)), wasm_i32x4_shl((x), 32 - (n)))
#define XOR3(a, b, c) wasm_v128_xor(wasm_v128_xor((a), (b)), (c))
#define BSIG0(x) XOR3(ROTR(x, 2), ROTR(x, 13), ROTR(x, 22))
#define BSIG1(x) XOR3(ROTR(x, 6), ROTR(x, 11), ROTR(x, 25))
#define SSIG0(x) XOR3(ROTR(x, 7), ROTR(x, 18), wasm_u32x4_shr((x), 3))
#define SSIG1(x) XOR3(ROTR(x, 17), ROTR(x, 19), wasm_u32x4_shr((x), 10))
#define ADD(a, b) wasm_i32x4_add((a), (b))
/* Ch picks f where e is set, else g. */
#define CH(e, f, g) wasm_v128_bitselect((f), (g), (e))

/* Returns the four big-endian words at p, byte-swapped into host order. */
static inline v128_t load_be(const uint8_t *p) {
  v128_t v = wasm_v128_load(p);
  return wasm_i8x16_shuffle(v, v, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
}

/* Sets w[4k..4k+3] to words 4k..4k+3 of the four lanes' blocks (a 4×4 transpose). */
static inline void load_words(v128_t *w, const uint8_t *const p[LANES], int k) {
  v128_t r0 = load_be(p[0] + 16 * k), r1 = load_be(p[1] + 16 * k);
  v128_t r2 = load_be(p[2] + 16 * k), r3 = load_be(p[3] + 16 * k);
  v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);
  v128_t t2 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
  w[4 * k + 0] = wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5);
  w[4 * k + 1] = wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7);
  w[4 * k + 2] = wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5);
  w[4 * k + 3] = wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7);
}

/* Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)), where b ^ c is the last round's a ^ b (carried in
 * `bc`): one operation a round fewer than a select. */
#define ROUND(a, b, c, d, e, f, g, h, kw)                                                        \
  do {                                                                                           \
    v128_t t1 = ADD(ADD(ADD(h, BSIG1(e)), CH(e, f, g)), kw);                                     \
    v128_t ab = wasm_v128_xor(a, b);                                                             \
    d = ADD(d, t1);                                                                              \
    h = ADD(ADD(t1, BSIG0(a)), wasm_v128_xor(b, wasm_v128_and(ab, bc)));                         \
    bc = ab;                                                                                     \
  } while (0)

/* Eight rounds from t, the words w[t..t+7] (mod 16) already in place. */
#define ROUNDS8(t)                                                                               \
  do {                                                                                           \
    ROUND(a, b, c, d, e, f, g, h, ADD(wasm_i32x4_splat(K[(t) + 0]), w[((t) + 0) & 15]));        \
    ROUND(h, a, b, c, d, e, f, g, ADD(wasm_i32x4_splat(K[(t) + 1]), w[((t) + 1) & 15]));        \
    ROUND(g, h, a, b, c, d, e, f, ADD(wasm_i32x4_splat(K[(t) + 2]), w[((t) + 2) & 15]));        \
    ROUND(f, g, h, a, b, c, d, e, ADD(wasm_i32x4_splat(K[(t) + 3]), w[((t) + 3) & 15]));        \
    ROUND(e, f, g, h, a, b, c, d, ADD(wasm_i32x4_splat(K[(t) + 4]), w[((t) + 4) & 15]));        \
    ROUND(d, e, f, g, h, a, b, c, ADD(wasm_i32x4_splat(K[(t) + 5]), w[((t) + 5) & 15]));        \
    ROUND(c, d, e, f, g, h, a, b, ADD(wasm_i32x4_splat(K[(t) + 6]), w[((t) + 6) & 15]));        \
    ROUND(b, c, d, e, f, g, h, a, ADD(wasm_i32x4_splat(K[(t) + 7]), w[((t) + 7) & 15]));        \
  } while (0)

/* w[t mod 16] becomes word t of the schedule. */
#define SCHEDULE(t)                                                                              \
  w[(t) & 15] = ADD(ADD(SSIG1(w[((t) - 2) & 15]), w[((t) - 7) & 15]),                            \
                    ADD(SSIG0(w[((t) - 15) & 15]), w[(t) & 15]))

#define SCHEDULE8(t)                                                                             \
  do {                                                                                           \
    SCHEDULE((t) + 0); SCHEDULE((t) + 1); SCHEDULE((t) + 2); SCHEDULE((t) + 3);                  \
    SCHEDULE((t) + 4); SCHEDULE((t) + 5); SCHEDULE((t) + 6); SCHEDULE((t) + 7);                  \
  } while (0)

/* Compresses `n` blocks of each lane from p[l] (p[l] advanced by 64 a block); only the lanes
 * set in `mask` keep the result. */
static void compress4(const uint8_t *p[LANES], uint32_t n, v128_t mask) {
  v128_t s0 = state[0], s1 = state[1], s2 = state[2], s3 = state[3];
  v128_t s4 = state[4], s5 = state[5], s6 = state[6], s7 = state[7];
  int32_t step[LANES];
  for (int l = 0; l < LANES; l++) step[l] = p[l] == zero_block ? 0 : 64;
  while (n--) {
    v128_t w[16];
    load_words(w, p, 0);
    load_words(w, p, 1);
    load_words(w, p, 2);
    load_words(w, p, 3);
    v128_t a = s0, b = s1, c = s2, d = s3, e = s4, f = s5, g = s6, h = s7;
    v128_t bc = wasm_v128_xor(b, c);
    ROUNDS8(0);
    ROUNDS8(8);
    SCHEDULE8(16);
    ROUNDS8(16);
    SCHEDULE8(24);
    ROUNDS8(24);
    SCHEDULE8(32);
    ROUNDS8(32);
    SCHEDULE8(40);
    ROUNDS8(40);
    SCHEDULE8(48);
    ROUNDS8(48);
    SCHEDULE8(56);
    ROUNDS8(56);
    s0 = wasm_v128_bitselect(ADD(s0, a), s0, mask);
    s1 = wasm_v128_bitselect(ADD(s1, b), s1, mask);
    s2 = wasm_v128_bitselect(ADD(s2, c), s2, mask);
    s3 = wasm_v128_bitselect(ADD(s3, d), s3, mask);
    s4 = wasm_v128_bitselect(ADD(s4, e), s4, mask);
    s5 = wasm_v128_bitselect(ADD(s5, f), s5, mask);
    s6 = wasm_v128_bitselect(ADD(s6, g), s6, mask);
    s7 = wasm_v128_bitselect(ADD(s7, h), s7, mask);
    for (int l = 0; l < LANES; l++) p[l] += step[l];
  }
  state[0] = s0, state[1] = s1, state[2] = s2, state[3] = s3;
  state[4] = s4, state[5] = s5, state[6] = s6, state[7] = s7;
}

/* ---- one lane ---- */

#define R(x, n) __builtin_rotateright32((x), (n))

static inline uint32_t be32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Compresses `n` blocks at p into lane l's state alone. */
#define S_ROUND(a, b, c, d, e, f, g, h, t, wt)                                                   \
  do {                                                                                           \
    uint32_t t1 = h + (R(e, 6) ^ R(e, 11) ^ R(e, 25)) + (g ^ (e & (f ^ g))) + K[t] + (wt);      \
    d += t1;                                                                                     \
    h = t1 + (R(a, 2) ^ R(a, 13) ^ R(a, 22)) + ((a & b) | (c & (a | b)));                        \
  } while (0)
#define S_WL(t) (w[t])
#define S_WS(t)                                                                                  \
  (w[(t) & 15] += (R(w[((t) - 2) & 15], 17) ^ R(w[((t) - 2) & 15], 19) ^ (w[((t) - 2) & 15] >> 10)) + \
                  w[((t) - 7) & 15] +                                                            \
                  (R(w[((t) - 15) & 15], 7) ^ R(w[((t) - 15) & 15], 18) ^ (w[((t) - 15) & 15] >> 3)))
#define S_R8(t, W)                                                                               \
  S_ROUND(a, b, c, d, e, f, g, h, (t) + 0, W((t) + 0));                                          \
  S_ROUND(h, a, b, c, d, e, f, g, (t) + 1, W((t) + 1));                                          \
  S_ROUND(g, h, a, b, c, d, e, f, (t) + 2, W((t) + 2));                                          \
  S_ROUND(f, g, h, a, b, c, d, e, (t) + 3, W((t) + 3));                                          \
  S_ROUND(e, f, g, h, a, b, c, d, (t) + 4, W((t) + 4));                                          \
  S_ROUND(d, e, f, g, h, a, b, c, (t) + 5, W((t) + 5));                                          \
  S_ROUND(c, d, e, f, g, h, a, b, (t) + 6, W((t) + 6));                                          \
  S_ROUND(b, c, d, e, f, g, h, a, (t) + 7, W((t) + 7));

static void compress1(int l, const uint8_t *p, uint32_t n) {
  uint32_t s0 = lane_get(0, l), s1 = lane_get(1, l), s2 = lane_get(2, l), s3 = lane_get(3, l);
  uint32_t s4 = lane_get(4, l), s5 = lane_get(5, l), s6 = lane_get(6, l), s7 = lane_get(7, l);
  while (n--) {
    uint32_t w[16];
    for (int t = 0; t < 16; t++) w[t] = be32(p + 4 * t);
    uint32_t a = s0, b = s1, c = s2, d = s3, e = s4, f = s5, g = s6, h = s7;
    S_R8(0, S_WL) S_R8(8, S_WL) S_R8(16, S_WS) S_R8(24, S_WS)
    S_R8(32, S_WS) S_R8(40, S_WS) S_R8(48, S_WS) S_R8(56, S_WS)
    s0 += a, s1 += b, s2 += c, s3 += d, s4 += e, s5 += f, s6 += g, s7 += h;
    p += 64;
  }
  lane_set(0, l, s0), lane_set(1, l, s1), lane_set(2, l, s2), lane_set(3, l, s3);
  lane_set(4, l, s4), lane_set(5, l, s5), lane_set(6, l, s6), lane_set(7, l, s7);
}

/* Compresses every lane's ctl.blocks blocks from ctl.ptr; leaves both at their ends. */
__attribute__((export_name("x4_run"))) void x4_run(void) {
  for (;;) {
    int active = 0, last = 0;
    uint32_t n = UINT32_MAX;
    for (int l = 0; l < LANES; l++)
      if (ctl.blocks[l] > 0) {
        active++, last = l;
        if (ctl.blocks[l] < n) n = ctl.blocks[l];
      }
    if (active == 0) return;
    if (active == 1) {
      compress1(last, (const uint8_t *)ctl.ptr[last], ctl.blocks[last]);
      ctl.ptr[last] += 64 * ctl.blocks[last];
      ctl.blocks[last] = 0;
      return;
    }
    /* The lanes with blocks go together for as many as the shortest has. */
    const uint8_t *p[LANES];
    uint32_t m[LANES];
    for (int l = 0; l < LANES; l++) {
      int on = ctl.blocks[l] > 0;
      p[l] = on ? (const uint8_t *)ctl.ptr[l] : zero_block;
      m[l] = on ? UINT32_MAX : 0;
    }
    compress4(p, n, wasm_v128_load(m));
    for (int l = 0; l < LANES; l++)
      if (ctl.blocks[l] > 0) ctl.ptr[l] += 64 * n, ctl.blocks[l] -= n;
  }
}

/* Ends lane l's message: its last `len` bytes (< 64) at p, the message `total_hi` * 2^32 +
 * `total_lo` bytes long in all; writes the digest to out + 32 * l. */
__attribute__((export_name("x4_final"))) void x4_final(int l, const uint8_t *p, uint32_t len,
                                                      uint32_t total_hi, uint32_t total_lo) {
  uint8_t block[128] = {0};
  for (uint32_t i = 0; i < len; i++) block[i] = p[i];
  block[len] = 0x80;
  uint32_t end = len < 56 ? 64 : 128;
  uint64_t bits = ((uint64_t)total_hi << 32 | total_lo) << 3;
  for (int i = 0; i < 8; i++) block[end - 1 - i] = (uint8_t)(bits >> (8 * i));
  compress1(l, block, end / 64);
  for (int w = 0; w < 8; w++) {
    uint32_t v = lane_get(w, l);
    out[32 * l + 4 * w + 0] = (uint8_t)(v >> 24);
    out[32 * l + 4 * w + 1] = (uint8_t)(v >> 16);
    out[32 * l + 4 * w + 2] = (uint8_t)(v >> 8);
    out[32 * l + 4 * w + 3] = (uint8_t)v;
  }
}
