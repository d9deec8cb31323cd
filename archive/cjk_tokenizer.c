/* FTS5 tokenizer "ogi_cjk": Chinese as overlapping character bigrams, so that any word of two or more
 * characters matches anywhere in the text (FTS5's unicode61 keeps a run of Chinese as one token).
 *
 *   行政复议 -> 行政 政复 复议      a lone character stays one token (年)
 *   Traditional characters are folded to simplified ones (復議 -> 复议, OpenCC's t2s table, t2s.h);
 *   full-width letters and digits to ASCII; ASCII letters to lower case; other characters separate.
 *
 * A query goes through the same tokenizer, and FTS5 takes the tokens of one word as a phrase, so a stock
 * MATCH '行政复议' (sqlite-utils search, Datasette's _search) finds the text. Registered on every new
 * connection through sqlite3_auto_extension (archive/tokenizer.py), or loaded as an extension:
 * entry point sqlite3_cjktokenizer_init. Calls into SQLite go through the API table it hands over, so
 * the library is not linked and any SQLite of 3.20 or later can load it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include "t2s.h"

static uint32_t fold(uint32_t c) {
    if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0; /* full-width ASCII */
    if (c >= 'A' && c <= 'Z') return c + 32;
    size_t lo = 0, hi = sizeof(T2S) / sizeof(T2S[0]);
    if (c < T2S[0][0]) return c;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (T2S[mid][0] == c) return T2S[mid][1];
        if (T2S[mid][0] < c) lo = mid + 1; else hi = mid;
    }
    return c;
}

static int is_han(uint32_t c) {
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0x20000 && c <= 0x323AF);
}

static int is_word(uint32_t c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

/* One code point from p (at most end); malformed bytes are taken one at a time as U+FFFD. */
static const unsigned char *next_cp(const unsigned char *p, const unsigned char *end, uint32_t *out) {
    unsigned char b = *p;
    int n = b < 0x80 ? 0 : (b & 0xE0) == 0xC0 ? 1 : (b & 0xF0) == 0xE0 ? 2 : (b & 0xF8) == 0xF0 ? 3 : -1;
    if (n < 0 || (n > 0 && p + n >= end)) {
        *out = n == 0 ? b : 0xFFFD;
        return p + 1;
    }
    uint32_t c = n == 0 ? b : b & (0x3F >> n);
    for (int i = 1; i <= n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *out = 0xFFFD;
            return p + 1;
        }
        c = (c << 6) | (p[i] & 0x3F);
    }
    *out = c;
    return p + n + 1;
}

static int put_utf8(uint32_t c, char *out) {
    if (c < 0x80) { out[0] = (char)c; return 1; }
    if (c < 0x800) { out[0] = (char)(0xC0 | c >> 6); out[1] = (char)(0x80 | (c & 0x3F)); return 2; }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | c >> 12); out[1] = (char)(0x80 | ((c >> 6) & 0x3F)); out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | c >> 18); out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F)); out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

typedef int (*token_fn)(void *, int, const char *, int, int, int);

static int tokenize(void *ctx, const char *text, int n, token_fn emit) {
    const unsigned char *start = (const unsigned char *)text, *p = start, *end = start + n;
    char *word = malloc((size_t)n + 1); /* a folded word is never longer than its text */
    if (!word) return SQLITE_NOMEM;
    char han[8];
    int rc = SQLITE_OK, wlen = 0, wstart = 0;
    uint32_t prev = 0; /* the last Han character of the run, 0 outside a run */
    int prev_at = 0, prev_end = 0, run = 0;
    while (rc == SQLITE_OK && p < end) {
        int at = (int)(p - start);
        uint32_t c;
        p = next_cp(p, end, &c);
        c = fold(c);
        int after = (int)(p - start);
        if (!is_word(c) && wlen) {
            rc = emit(ctx, 0, word, wlen, wstart, at);
            wlen = 0;
        }
        if (!is_han(c) && run == 1 && rc == SQLITE_OK) /* a lone character is a token of its own */
            rc = emit(ctx, 0, han, put_utf8(prev, han), prev_at, prev_end);
        if (is_word(c)) {
            if (!wlen) wstart = at;
            wlen += put_utf8(c, word + wlen);
        }
        if (is_han(c)) {
            if (run && rc == SQLITE_OK) {
                int len = put_utf8(prev, han);
                rc = emit(ctx, 0, han, len + put_utf8(c, han + len), prev_at, after);
            }
            run++;
            prev = c;
            prev_at = at;
            prev_end = after;
        } else {
            run = 0;
        }
    }
    if (rc == SQLITE_OK && wlen) rc = emit(ctx, 0, word, wlen, wstart, n);
    if (rc == SQLITE_OK && run == 1) rc = emit(ctx, 0, han, put_utf8(prev, han), prev_at, prev_end);
    free(word);
    return rc;
}

/* --- FTS5 glue ------------------------------------------------------------------------------------ */

static int x_create(void *unused, const char **args, int nargs, Fts5Tokenizer **out) {
    (void)unused; (void)args;
    if (nargs) return SQLITE_ERROR; /* it takes no options */
    *out = (Fts5Tokenizer *)1;      /* no state: any non-null handle */
    return SQLITE_OK;
}

static void x_delete(Fts5Tokenizer *t) { (void)t; }

static int x_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n, token_fn emit) {
    (void)t; (void)flags;
    return tokenize(ctx, text, n, emit);
}

/* cjk_tokens(text): the tokens as the index holds them, space-separated (to see what a search will match,
 * and to tell whether the tokenizer is registered on a connection). */
typedef struct { char *buf; size_t len, cap; } Out;

static int collect(void *ctx, int flags, const char *tok, int n, int s, int e) {
    (void)flags; (void)s; (void)e;
    Out *o = ctx;
    if (o->len + (size_t)n + 2 > o->cap) {
        size_t cap = (o->cap + (size_t)n + 2) * 2;
        char *b = realloc(o->buf, cap);
        if (!b) return SQLITE_NOMEM;
        o->buf = b;
        o->cap = cap;
    }
    if (o->len) o->buf[o->len++] = ' ';
    memcpy(o->buf + o->len, tok, (size_t)n);
    o->len += (size_t)n;
    return SQLITE_OK;
}

static void cjk_tokens(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
    (void)argc;
    const char *text = (const char *)sqlite3_value_text(argv[0]);
    if (!text) {
        sqlite3_result_null(ctx);
        return;
    }
    Out o = {0, 0, 0};
    int rc = tokenize(&o, text, sqlite3_value_bytes(argv[0]), collect);
    if (rc != SQLITE_OK) {
        free(o.buf);
        sqlite3_result_error_nomem(ctx);
        return;
    }
    sqlite3_result_text(ctx, o.buf ? o.buf : "", (int)o.len, SQLITE_TRANSIENT);
    free(o.buf);
}

static fts5_api *fts5_api_of(sqlite3 *db) {
    fts5_api *api = 0;
    sqlite3_stmt *stmt = 0;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, 0) == SQLITE_OK) {
        sqlite3_bind_pointer(stmt, 1, (void *)&api, "fts5_api_ptr", 0);
        sqlite3_step(stmt);
    }
    sqlite3_finalize(stmt);
    return api;
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_cjktokenizer_init(sqlite3 *db, char **err, const sqlite3_api_routines *routines) {
    SQLITE_EXTENSION_INIT2(routines);
    fts5_api *api = fts5_api_of(db);
    if (!api || api->iVersion < 2) {
        *err = sqlite3_mprintf("ogi_cjk: this SQLite has no FTS5");
        return SQLITE_ERROR;
    }
    fts5_tokenizer tokenizer = {x_create, x_delete, x_tokenize};
    int rc = api->xCreateTokenizer(api, "ogi_cjk", 0, &tokenizer, 0);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "cjk_tokens", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, 0,
                                     cjk_tokens, 0, 0);
    return rc;
}

/* setuptools builds this as a Python extension module, which must name an init function; it is loaded
 * with ctypes, never imported. */
void *PyInit__cjk_tokenizer(void) { return 0; }
