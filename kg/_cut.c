/* kg._cut: jieba's dictionary, its dictionary-only cut and its part-of-speech tagger, compiled,
 * with jieba's answers.
 *
 * Dictionary(path) reads jieba's dict.txt ("word freq tag" a line) as jieba does (gen_pfdict for
 * the frequencies and their total, jieba.posseg's load_word_tag for the tags) into a trie, and
 * add_word applies jieba.add_word's semantics (the word's frequency replaced, added to the total,
 * its tag for the tagger if true, every prefix in with frequency 0). A trie node is a key of
 * jieba's FREQ dict: a prefix of a word (frequency 0) or a word. The trie is a hash table from
 * (parent node, next character) to child node; node 0 is the empty string, in no dict. The cut
 * reads it through a memo of the substrings it has asked about (see Memo).
 *
 * word_ends(text) is kg/nlp.py's pure-Python reference (_Cutter.ends, python_word_ends), which is
 * jieba's get_DAG + calc + __cut_DAG_NO_HMM inside the runs of re_han_default and one word per
 * character (but \r\n) outside them:
 *   - a substring is a word when it is a key with a true count, and the search from a position
 *     stops at the first substring that is no key at all;
 *   - the same floating-point operations in the same order: (log(count) - log(total)) + score
 *     of the rest, with libm's log as Python's math.log calls it; a position with no word scores
 *     its character as (0.0 - log(total)) + score of the rest (jieba's log(... or 1));
 *   - on a tie jieba's max over (score, end) tuples takes the larger end, so `>=` below;
 *   - runs of single Latin letters and digits join into one word, as jieba's re_eng buffer does.
 * pos_cut(text) is jieba.posseg.lcut(text) (HMM on): the same route inside the runs of
 * re_han_internal, single characters buffered, a buffer that is no word tagged by the char-state
 * HMM (jieba/posseg/viterbi.py over jieba's own tables, given by set_hmm) as __cut_detail does.
 * Only additions and subtractions of doubles, so no contraction into fused multiply-adds can
 * change a sum. tests/test_nlp.py holds every answer to jieba's.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* jieba.re_han_default: [\u4E00-\u9FD5a-zA-Z0-9+#&._%-]; posseg's re_han_internal lacks % and - */
static inline int
is_latin(Py_UCS4 c) /* jieba.re_eng: [a-zA-Z0-9] */
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static inline int
is_han(Py_UCS4 c) /* posseg's re_han_detail: [\u4E00-\u9FD5] */
{
    return c >= 0x4E00 && c <= 0x9FD5;
}

static inline int
in_pos_run(Py_UCS4 c)
{
    return is_han(c) || is_latin(c) || c == '+' || c == '#' || c == '&' || c == '.' || c == '_';
}

static inline int
in_run(Py_UCS4 c)
{
    return in_pos_run(c) || c == '%' || c == '-';
}

/* ---- the trie -------------------------------------------------------------------------- */

typedef struct {
    uint32_t parent, ch, child; /* child == 0: an empty slot */
} Slot;

static inline size_t
slot_of(uint32_t parent, uint32_t ch, size_t mask)
{
    uint64_t h = (((uint64_t)parent << 32) | ch) * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 20) & mask;
}

/* The char-state HMM of jieba.posseg: states numbered in Python's order of their (BMES, tag)
 * tuples, so that jieba's max over (probability, state) tuples is a max over (probability,
 * number). Open-addressed maps from a key to a value, key 0 meaning an empty slot. */
typedef struct {
    uint64_t *keys, *values;
    size_t mask;
} Map;

typedef struct {
    int count;               /* S */
    int words;               /* uint64 words of a set of states */
    double *start;           /* [S] */
    double *trans;           /* [S * S], -inf where trans_p[x] has no y */
    uint64_t *next;          /* [S * words]: the keys of trans_p[x] */
    unsigned char *has_next; /* len(trans_p[x]) > 0 */
    char *bmes;              /* [S]: B, M, E or S */
    PyObject *tags;          /* tuple of S tags (str) */
    Map emit;                /* (state << 32 | char) + 1 -> double bits */
    Map char_states;         /* char + 1 -> offset << 16 | count into states */
    uint16_t *states;
} Hmm;

/* The memo: a trie of the substrings the cut has asked the dictionary about, in the same kind
 * of hash table, each node with the dictionary's answer (ABSENT, PREFIX or WORD and the word's
 * log-probability) and the dictionary's node. The dictionary's table is large (500,000 keys
 * spread over 12 MB), the substrings a text asks about are far fewer and repeat, so the cut
 * walks the memo, which stays in the processor's caches, and asks the dictionary only about a
 * substring it has not seen (twice as fast over 1,000 pages). Cleared before a run once it holds
 * more than `limit` nodes, and whenever a word is added. */
enum { ABSENT = 0, PREFIX = 1, WORD = 2 };

typedef struct {
    Slot *slots;
    size_t mask, used;
    uint32_t nodes, capacity, limit;
    double *logp;
    signed char *state;
    uint32_t *dict;
} Memo;

typedef struct {
    PyObject_HEAD
    Memo memo;
    Slot *slots;
    size_t mask, used;
    uint32_t nodes, capacity;
    uint32_t *parent, *ch;
    int64_t *freq;
    uint16_t *tag, *pos_tag;     /* word_tags() and jieba.posseg's table; 0: none */
    PyObject *tag_names;         /* list: tag number -> str (0: None) */
    PyObject *tag_numbers;       /* dict: str -> tag number */
    int64_t total;
    double logtotal;
    Hmm *hmm;
} Dictionary;

static PyObject *str_x, *str_m, *str_eng;

static int
grow_nodes(Dictionary *self)
{
    uint32_t capacity = self->capacity * 2;
    if (self->capacity >= (1u << 30)) {
        PyErr_NoMemory();
        return -1;
    }
#define GROW(field, type)                                                  \
    do {                                                                   \
        type *p = PyMem_Realloc(self->field, sizeof(type) * capacity);    \
        if (p == NULL) {                                                   \
            PyErr_NoMemory();                                              \
            return -1;                                                     \
        }                                                                  \
        self->field = p;                                                   \
    } while (0)
    GROW(parent, uint32_t);
    GROW(ch, uint32_t);
    GROW(freq, int64_t);
    GROW(tag, uint16_t);
    GROW(pos_tag, uint16_t);
#undef GROW
    self->capacity = capacity;
    return 0;
}

static int
grow_slots(Dictionary *self)
{
    size_t mask = self->mask * 2 + 1;
    Slot *slots = PyMem_Calloc(mask + 1, sizeof(Slot));
    if (slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (size_t k = 0; k <= self->mask; k++) {
        Slot s = self->slots[k];
        if (s.child) {
            size_t h = slot_of(s.parent, s.ch, mask);
            while (slots[h].child)
                h = (h + 1) & mask;
            slots[h] = s;
        }
    }
    PyMem_Free(self->slots);
    self->slots = slots;
    self->mask = mask;
    return 0;
}

static inline uint32_t
child_of(const Dictionary *self, uint32_t node, uint32_t ch)
{
    size_t h = slot_of(node, ch, self->mask);
    for (;;) {
        const Slot *s = &self->slots[h];
        if (s->child == 0 || (s->parent == node && s->ch == ch))
            return s->child;
        h = (h + 1) & self->mask;
    }
}

/* The child of `node` by `ch`, made (a prefix, frequency 0) if it is not there; 0 on error. */
static uint32_t
child_made(Dictionary *self, uint32_t node, uint32_t ch)
{
    size_t h = slot_of(node, ch, self->mask);
    for (;;) {
        Slot *s = &self->slots[h];
        if (s->child == 0)
            break;
        if (s->parent == node && s->ch == ch)
            return s->child;
        h = (h + 1) & self->mask;
    }
    if (self->nodes == self->capacity && grow_nodes(self) < 0)
        return 0;
    if ((self->used + 1) * 10 > (self->mask + 1) * 7) { /* at most 70% full */
        if (grow_slots(self) < 0)
            return 0;
        h = slot_of(node, ch, self->mask);
        while (self->slots[h].child)
            h = (h + 1) & self->mask;
    }
    uint32_t child = self->nodes++;
    self->parent[child] = node;
    self->ch[child] = ch;
    self->freq[child] = 0;
    self->tag[child] = self->pos_tag[child] = 0;
    self->slots[h] = (Slot){node, ch, child};
    self->used++;
    return child;
}

static void
memo_free(Memo *m)
{
    PyMem_Free(m->slots);
    PyMem_Free(m->logp);
    PyMem_Free(m->state);
    PyMem_Free(m->dict);
    m->slots = NULL, m->logp = NULL, m->state = NULL, m->dict = NULL;
}

static int
memo_reset(Memo *m)
{
    uint32_t limit = m->limit;
    memo_free(m);
    m->slots = PyMem_Calloc(1024, sizeof(Slot));
    m->logp = PyMem_Malloc(sizeof(double) * 1024);
    m->state = PyMem_Malloc(1024);
    m->dict = PyMem_Malloc(sizeof(uint32_t) * 1024);
    if (m->slots == NULL || m->logp == NULL || m->state == NULL || m->dict == NULL) {
        memo_free(m);
        PyErr_NoMemory();
        return -1;
    }
    m->mask = 1023;
    m->used = 0;
    m->capacity = 1024;
    m->limit = limit;
    m->nodes = 1;
    m->state[0] = PREFIX; /* the empty string: never looked up */
    m->logp[0] = 0.0;
    m->dict[0] = 0;
    return 0;
}

/* A new memo node for (parent, ch) with the dictionary's answer; its number, or 0 with an
 * exception set. */
static uint32_t
memo_add(Memo *m, uint32_t parent, uint32_t ch, int state, double logp, uint32_t dict)
{
    if (m->nodes == m->capacity) {
        if (m->capacity >= (1u << 31))
            return (PyErr_NoMemory(), 0);
        uint32_t capacity = m->capacity * 2;
        double *l = PyMem_Realloc(m->logp, sizeof(double) * capacity);
        if (l == NULL)
            return (PyErr_NoMemory(), 0);
        m->logp = l;
        signed char *s = PyMem_Realloc(m->state, capacity);
        if (s == NULL)
            return (PyErr_NoMemory(), 0);
        m->state = s;
        uint32_t *d = PyMem_Realloc(m->dict, sizeof(uint32_t) * capacity);
        if (d == NULL)
            return (PyErr_NoMemory(), 0);
        m->dict = d;
        m->capacity = capacity;
    }
    if ((m->used + 1) * 2 > m->mask + 1) { /* keep the table at most half full */
        size_t mask = m->mask * 2 + 1;
        Slot *slots = PyMem_Calloc(mask + 1, sizeof(Slot));
        if (slots == NULL)
            return (PyErr_NoMemory(), 0);
        for (size_t k = 0; k <= m->mask; k++) {
            Slot s = m->slots[k];
            if (s.child) {
                size_t h = slot_of(s.parent, s.ch, mask);
                while (slots[h].child)
                    h = (h + 1) & mask;
                slots[h] = s;
            }
        }
        PyMem_Free(m->slots);
        m->slots = slots;
        m->mask = mask;
    }
    uint32_t node = m->nodes++;
    m->state[node] = (signed char)state;
    m->logp[node] = logp;
    m->dict[node] = dict;
    size_t h = slot_of(parent, ch, m->mask);
    while (m->slots[h].child)
        h = (h + 1) & m->mask;
    m->slots[h] = (Slot){parent, ch, node};
    m->used++;
    return node;
}

/* The node of text[start:end], or 0 when it is no key. */
static uint32_t
node_of(const Dictionary *self, int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    uint32_t node = 0;
    for (Py_ssize_t i = start; i < end && (node || i == start); i++)
        node = child_of(self, node, PyUnicode_READ(kind, data, i));
    return node;
}

static int
set_total(Dictionary *self, int64_t total)
{
    self->total = total;
    self->logtotal = log((double)total);
    return self->memo.nodes > 1 ? memo_reset(&self->memo) : 0; /* its answers are of the old words */
}

/* The number of a tag, added if new; -1 on error. */
static int
tag_number(Dictionary *self, PyObject *tag)
{
    PyObject *found = PyDict_GetItemWithError(self->tag_numbers, tag);
    if (found != NULL)
        return (int)PyLong_AsLong(found);
    if (PyErr_Occurred())
        return -1;
    Py_ssize_t n = PyList_GET_SIZE(self->tag_names);
    if (n > 0xFFFF) {
        PyErr_SetString(PyExc_ValueError, "Dictionary: more than 65535 tags");
        return -1;
    }
    PyObject *number = PyLong_FromSsize_t(n);
    if (number == NULL)
        return -1;
    int failed = PyDict_SetItem(self->tag_numbers, tag, number) < 0 || PyList_Append(self->tag_names, tag) < 0;
    Py_DECREF(number);
    return failed ? -1 : (int)n;
}

/* ---- loading dict.txt ------------------------------------------------------------------ */

/* Decode one UTF-8 character of s[0:n] into *c as Python's strict decoder would accept it;
 * its length, or 0 when it is not valid UTF-8. */
static int
utf8_char(const unsigned char *s, Py_ssize_t n, uint32_t *c)
{
    unsigned char b = s[0];
    if (b < 0x80) {
        *c = b;
        return 1;
    }
    int len;
    uint32_t min, x;
    if (b >= 0xC2 && b <= 0xDF)
        len = 2, min = 0x80, x = b & 0x1F;
    else if (b >= 0xE0 && b <= 0xEF)
        len = 3, min = 0x800, x = b & 0x0F;
    else if (b >= 0xF0 && b <= 0xF4)
        len = 4, min = 0x10000, x = b & 0x07;
    else
        return 0;
    if (n < len)
        return 0;
    for (int k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        x = (x << 6) | (s[k] & 0x3F);
    }
    if (x < min || x > 0x10FFFF || (x >= 0xD800 && x <= 0xDFFF))
        return 0;
    *c = x;
    return len;
}

static inline int
is_ascii_space(unsigned char b) /* bytes.strip()'s whitespace */
{
    return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\x0b' || b == '\x0c';
}

/* One line of the file parsed: its word's characters into word[], how many into *n, its count
 * and the number of its tag; NULL, or what is wrong with it. */
static const char *
parse_line(Dictionary *self, const unsigned char *line, const unsigned char *stop, uint32_t *word, int *n,
           int64_t *count, int *tag, PyObject **last_tag)
{
    while (line < stop && is_ascii_space(*line))
        line++;
    while (stop > line && is_ascii_space(stop[-1]))
        stop--;
    const unsigned char *sp1 = memchr(line, ' ', (size_t)(stop - line));
    const unsigned char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(stop - sp1 - 1)) : NULL;
    if (sp2 == NULL || memchr(sp2 + 1, ' ', (size_t)(stop - sp2 - 1)) != NULL || sp1 == line || sp2 == sp1 + 1 ||
        sp2 + 1 == stop || sp2 - sp1 - 1 > 18)
        return "not \"word frequency tag\"";
    *count = 0;
    for (const unsigned char *d = sp1 + 1; d < sp2; d++) {
        if (*d < '0' || *d > '9')
            return "the frequency is not a number of digits";
        *count = *count * 10 + (*d - '0');
    }
    *n = 0;
    for (const unsigned char *w = line; w < sp1;) {
        if (*n == 256)
            return "a word of more than 256 characters";
        int len = utf8_char(w, sp1 - w, &word[*n]);
        if (len == 0)
            return "not UTF-8";
        w += len;
        (*n)++;
    }
    const unsigned char *t = sp2 + 1;
    size_t size = (size_t)(stop - t);
    PyObject *last = *last_tag;
    if (last == NULL || (size_t)PyUnicode_GET_LENGTH(last) != size || !PyUnicode_IS_ASCII(last) ||
        memcmp(PyUnicode_DATA(last), t, size)) {
        PyObject *tag_text = PyUnicode_DecodeUTF8((const char *)t, (Py_ssize_t)size, "strict");
        if (tag_text == NULL) {
            *tag = -1; /* with the exception set */
            return NULL;
        }
        Py_XSETREF(*last_tag, tag_text);
        *tag = tag_number(self, tag_text);
    }
    return NULL;
}

/* Hash the pending new nodes into the table, each slot fetched from memory well before it is
 * written (random slots of a 12 MB table: a cache miss each, 40 ms in turn). */
static int
insert_pending(Dictionary *self, const Slot *pending, Py_ssize_t count)
{
    while ((self->used + (size_t)count) * 10 > (self->mask + 1) * 7)
        if (grow_slots(self) < 0)
            return -1;
    enum { AHEAD = 16 };
    for (Py_ssize_t i = 0; i < count; i++) {
#if defined(__GNUC__) || defined(__clang__)
        if (i + AHEAD < count)
            __builtin_prefetch(&self->slots[slot_of(pending[i + AHEAD].parent, pending[i + AHEAD].ch, self->mask)], 1);
#endif
        size_t h = slot_of(pending[i].parent, pending[i].ch, self->mask);
        while (self->slots[h].child)
            h = (h + 1) & self->mask;
        self->slots[h] = pending[i];
    }
    self->used += (size_t)count;
    return 0;
}

/* Read "word freq tag" lines as jieba does (FREQ[word] = freq, the last line of a word winning;
 * total += freq; every prefix a key; word_tag_tab[word] = tag); anything jieba's own parsers might
 * read otherwise (not three fields, a count that is not plain digits, bad UTF-8) is an error, so
 * the caller falls back to jieba itself.
 *
 * jieba's file is sorted, but for a few lines, so a line shares a prefix with the line before
 * (whose trie path is at hand) and goes on with characters greater than any its prefix had
 * before (each node's greatest child so far is kept): new nodes, numbered without a look-up and
 * hashed in later, in a batch (insert_pending). Only a character that is not greater needs a
 * look-up, with the batch hashed in first. */
static int
load(Dictionary *self, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        PyErr_SetFromErrnoWithFilename(PyExc_OSError, path);
        return -1;
    }
    char *data = NULL;
    size_t size = 0, cap = 0;
    for (;;) {
        if (size == cap) {
            cap = cap ? cap * 2 : (1u << 23);
            char *p = PyMem_Realloc(data, cap);
            if (p == NULL) {
                fclose(f);
                PyMem_Free(data);
                PyErr_NoMemory();
                return -1;
            }
            data = p;
        }
        size_t got = fread(data + size, 1, cap - size, f);
        size += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        PyMem_Free(data);
        PyErr_Format(PyExc_OSError, "%s: read error", path);
        return -1;
    }
    uint32_t word[256], before[256], path_nodes[256];
    int before_n = 0;
    int64_t total = 0;
    Py_ssize_t lineno = 0, n_pending = 0, cap_pending = 1u << 19;
    uint32_t cap_greatest = self->capacity;
    Slot *pending = PyMem_Malloc(sizeof(Slot) * cap_pending);
    /* greatest[node]: its greatest child's character + 1 so far (0: none) */
    uint32_t *greatest = PyMem_Calloc(cap_greatest, sizeof(uint32_t));
    const unsigned char *p = (const unsigned char *)data, *end = p + size;
    const char *problem = NULL;
    PyObject *last_tag = NULL;
    int tag = 0;
    if (pending == NULL || greatest == NULL) {
        PyErr_NoMemory();
        goto failed;
    }
    while (p < end) {
        const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
        const unsigned char *line = p, *stop = nl ? nl : end;
        p = nl ? nl + 1 : end;
        lineno++;
        int n;
        int64_t count;
        problem = parse_line(self, line, stop, word, &n, &count, &tag, &last_tag);
        if (problem != NULL)
            break;
        if (tag < 0)
            goto failed;
        total += count;
        int k = 0;
        while (k < n && k < before_n && word[k] == before[k])
            k++;
        uint32_t node = k ? path_nodes[k - 1] : 0;
        int fresh = 0; /* a node made on this line has no children yet */
        for (int j = k; j < n; j++) {
            uint32_t c = word[j], child = 0;
            if (!fresh && c + 1 <= greatest[node]) {
                /* perhaps a child already: look it up, the pending ones hashed in first */
                if (insert_pending(self, pending, n_pending) < 0)
                    goto failed;
                n_pending = 0;
                child = child_of(self, node, c);
            }
            if (child == 0) {
                if (self->nodes == self->capacity && grow_nodes(self) < 0)
                    goto failed;
                if (self->capacity > cap_greatest) {
                    uint32_t *g = PyMem_Realloc(greatest, sizeof(uint32_t) * self->capacity);
                    if (g == NULL) {
                        PyErr_NoMemory();
                        goto failed;
                    }
                    memset(g + cap_greatest, 0, sizeof(uint32_t) * (self->capacity - cap_greatest));
                    greatest = g;
                    cap_greatest = self->capacity;
                }
                if (n_pending == cap_pending) {
                    Slot *s = PyMem_Realloc(pending, sizeof(Slot) * (cap_pending *= 2));
                    if (s == NULL) {
                        PyErr_NoMemory();
                        goto failed;
                    }
                    pending = s;
                }
                child = self->nodes++;
                self->parent[child] = node;
                self->ch[child] = c;
                self->freq[child] = 0;
                self->tag[child] = self->pos_tag[child] = 0;
                pending[n_pending++] = (Slot){node, c, child};
                if (c + 1 > greatest[node])
                    greatest[node] = c + 1;
                fresh = 1;
            }
            path_nodes[j] = node = child;
            before[j] = c;
        }
        before_n = n;
        self->freq[node] = count;
        self->tag[node] = self->pos_tag[node] = (uint16_t)tag;
    }
    if (problem != NULL) {
        PyErr_Format(PyExc_ValueError, "%s: line %zd: %s", path, lineno, problem);
        goto failed;
    }
    if (insert_pending(self, pending, n_pending) < 0)
        goto failed;
    Py_XDECREF(last_tag);
    PyMem_Free(pending);
    PyMem_Free(greatest);
    PyMem_Free(data);
    return set_total(self, total);
failed:
    Py_XDECREF(last_tag);
    PyMem_Free(pending);
    PyMem_Free(greatest);
    PyMem_Free(data);
    return -1;
}

/* ---- the route: jieba's get_DAG + calc ------------------------------------------------- */

/* last[i] (relative to `at`): the index of the last character of the best word at i, over the
 * run text[at:at + n]; score is scratch space of n + 1 entries. 0, or -1 with an exception set. */
static int
best_route(Dictionary *self, int kind, const void *data, Py_ssize_t at, Py_ssize_t n, double *score,
           Py_ssize_t *last)
{
    Memo *m = &self->memo;
    if (m->nodes > m->limit && memo_reset(m) < 0)
        return -1;
    double logtotal = self->logtotal;
    score[n] = 0.0;
    for (Py_ssize_t idx = n - 1; idx >= 0; idx--) {
        double best = 0.0;
        int found = 0;
        uint32_t node = 0;
        last[idx] = idx;
        for (Py_ssize_t i = idx; i < n; i++) {
            uint32_t ch = PyUnicode_READ(kind, data, at + i);
            size_t h = slot_of(node, ch, m->mask);
            uint32_t child;
            for (;;) {
                Slot *s = &m->slots[h];
                child = s->child;
                if (child == 0 || (s->parent == node && s->ch == ch))
                    break;
                h = (h + 1) & m->mask;
            }
            if (child == 0) {
                /* a substring not seen yet: the dictionary's child of its prefix's node */
                uint32_t key = child_of(self, m->dict[node], ch);
                int64_t count = key ? self->freq[key] : 0;
                /* math.log of a positive int below 2**63: libm's log of its double */
                double p = count ? log((double)count) - logtotal : 0.0;
                child = memo_add(m, node, ch, key == 0 ? ABSENT : count ? WORD : PREFIX, p, key);
                if (child == 0)
                    return -1;
            }
            node = child;
            int state = m->state[node];
            if (state == ABSENT)
                break; /* no key: the end of jieba's DAG at idx */
            if (state == WORD) {
                double s = m->logp[node] + score[i + 1];
                if (!found || s >= best) {
                    best = s;
                    last[idx] = i;
                    found = 1;
                }
            }
        }
        if (!found)
            best = 0.0 - logtotal + score[idx + 1];
        score[idx] = best;
    }
    return 0;
}

static int
check_text(PyObject *text, const char *what)
{
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "%s: text must be a str, not %.100s", what, Py_TYPE(text)->tp_name);
        return -1;
    }
    return PyUnicode_READY(text);
}

PyDoc_STRVAR(word_ends_doc,
             "word_ends(text, /)\n--\n\n"
             "The end offset of every word of jieba's dictionary-only cut of `text` (jieba.lcut(text, HMM=False)).");

static PyObject *
Dictionary_word_ends(Dictionary *self, PyObject *text)
{
    if (check_text(text, "word_ends") < 0)
        return NULL;
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    /* at most one word per character; the scratch space of the longest run fits in len + 1 */
    Py_ssize_t *ends = PyMem_Malloc(sizeof(Py_ssize_t) * (len + 1));
    Py_ssize_t *last = PyMem_Malloc(sizeof(Py_ssize_t) * (len + 1));
    double *score = PyMem_Malloc(sizeof(double) * (len + 1));
    PyObject *result = NULL;
    if (ends == NULL || last == NULL || score == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t count = 0, j = 0;
    while (j < len) {
        Py_UCS4 c = PyUnicode_READ(kind, data, j);
        if (in_run(c)) {
            Py_ssize_t k = j + 1;
            while (k < len && in_run(PyUnicode_READ(kind, data, k)))
                k++;
            if (k - j == 1)
                ends[count++] = k;
            else {
                Py_ssize_t n = k - j, x = 0;
                if (best_route(self, kind, data, j, n, score, last) < 0)
                    goto done;
                int in_latin = 0; /* jieba joins runs of single Latin letters and digits into one word */
                while (x < n) {
                    Py_ssize_t y = last[x] + 1;
                    if (y - x == 1 && is_latin(PyUnicode_READ(kind, data, j + x)))
                        in_latin = 1;
                    else {
                        if (in_latin) {
                            ends[count++] = j + x;
                            in_latin = 0;
                        }
                        ends[count++] = j + y;
                    }
                    x = y;
                }
                if (in_latin)
                    ends[count++] = k;
            }
            j = k;
        }
        else if (c == '\r' && j + 1 < len && PyUnicode_READ(kind, data, j + 1) == '\n')
            ends[count++] = j += 2; /* outside the runs every character is a word, but \r\n is one */
        else
            ends[count++] = ++j;
    }
    result = PyList_New(count);
    if (result == NULL)
        goto done;
    for (Py_ssize_t w = 0; w < count; w++) {
        PyObject *end = PyLong_FromSsize_t(ends[w]);
        if (end == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, w, end);
    }
done:
    PyMem_Free(ends);
    PyMem_Free(last);
    PyMem_Free(score);
    return result;
}

/* ---- look-ups -------------------------------------------------------------------------- */

/* The node of a whole str key, or 0 (no key, or not a str). */
static uint32_t
key_node(Dictionary *self, PyObject *key)
{
    if (!PyUnicode_Check(key) || PyUnicode_READY(key) < 0) {
        PyErr_Clear();
        return 0;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(key);
    return n ? node_of(self, PyUnicode_KIND(key), PyUnicode_DATA(key), 0, n) : 0;
}

static int
check_args(const char *name, Py_ssize_t nargs)
{
    if (nargs == 1 || nargs == 2)
        return 0;
    PyErr_Format(PyExc_TypeError, "%s expected 1 or 2 arguments, got %zd", name, nargs);
    return -1;
}

static PyObject *
Dictionary_freq(Dictionary *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (check_args("freq", nargs) < 0)
        return NULL;
    uint32_t node = key_node(self, args[0]);
    if (node)
        return PyLong_FromLongLong(self->freq[node]);
    return Py_NewRef(nargs > 1 ? args[1] : Py_None);
}

static PyObject *
tag_lookup(Dictionary *self, PyObject *const *args, Py_ssize_t nargs, uint16_t *tags, const char *name)
{
    if (check_args(name, nargs) < 0)
        return NULL;
    uint32_t node = key_node(self, args[0]);
    if (node && tags[node])
        return Py_NewRef(PyList_GET_ITEM(self->tag_names, tags[node]));
    return Py_NewRef(nargs > 1 ? args[1] : Py_None);
}

static PyObject *
Dictionary_tag(Dictionary *self, PyObject *const *args, Py_ssize_t nargs)
{
    return tag_lookup(self, args, nargs, self->tag, "tag");
}

static PyObject *
Dictionary_pos_tag(Dictionary *self, PyObject *const *args, Py_ssize_t nargs)
{
    return tag_lookup(self, args, nargs, self->pos_tag, "pos_tag");
}

/* The key of a node, as a str. */
static PyObject *
node_text(Dictionary *self, uint32_t node)
{
    Py_ssize_t n = 0;
    for (uint32_t k = node; k; k = self->parent[k])
        n++;
    Py_UCS4 buf[256], *chars = n <= 256 ? buf : PyMem_Malloc(sizeof(Py_UCS4) * n);
    if (chars == NULL)
        return PyErr_NoMemory();
    Py_ssize_t i = n;
    for (uint32_t k = node; k; k = self->parent[k])
        chars[--i] = self->ch[k];
    PyObject *s = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, chars, n);
    if (chars != buf)
        PyMem_Free(chars);
    return s;
}

static PyObject *
Dictionary_items(Dictionary *self, PyObject *which)
{
    /* which: "freq" (every key and its frequency), "tag" or "pos_tag" (every tagged key) */
    int mode = PyUnicode_Check(which) ? (PyUnicode_CompareWithASCIIString(which, "freq") == 0       ? 0
                                         : PyUnicode_CompareWithASCIIString(which, "tag") == 0     ? 1
                                         : PyUnicode_CompareWithASCIIString(which, "pos_tag") == 0 ? 2
                                                                                                  : -1)
                                      : -1;
    if (mode < 0) {
        PyErr_SetString(PyExc_ValueError, "items: which must be 'freq', 'tag' or 'pos_tag'");
        return NULL;
    }
    PyObject *out = PyDict_New();
    if (out == NULL)
        return NULL;
    for (uint32_t node = 1; node < self->nodes; node++) {
        uint16_t t = mode == 1 ? self->tag[node] : mode == 2 ? self->pos_tag[node] : 1;
        if (!t)
            continue;
        PyObject *key = node_text(self, node);
        PyObject *value = mode == 0 ? PyLong_FromLongLong(self->freq[node]) : Py_NewRef(PyList_GET_ITEM(self->tag_names, t));
        if (key == NULL || value == NULL || PyDict_SetItem(out, key, value) < 0) {
            Py_XDECREF(key);
            Py_XDECREF(value);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(key);
        Py_DECREF(value);
    }
    return out;
}

static PyObject *
Dictionary_count(Dictionary *self, PyObject *which)
{
    int tags = PyUnicode_Check(which) && PyUnicode_CompareWithASCIIString(which, "tag") == 0;
    Py_ssize_t n = 0;
    for (uint32_t node = 1; node < self->nodes; node++)
        n += tags ? self->tag[node] != 0 : 1;
    return PyLong_FromSsize_t(n);
}

/* ---- adding words ---------------------------------------------------------------------- */

static uint32_t
word_node(Dictionary *self, PyObject *word)
{
    if (!PyUnicode_Check(word) || PyUnicode_READY(word) < 0 || PyUnicode_GET_LENGTH(word) == 0) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "Dictionary: a word must be a non-empty str");
        return 0;
    }
    int kind = PyUnicode_KIND(word);
    const void *data = PyUnicode_DATA(word);
    uint32_t node = 0;
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(word); i++) {
        node = child_made(self, node, PyUnicode_READ(kind, data, i));
        if (node == 0)
            return 0;
    }
    return node;
}

static PyObject *
Dictionary_add_word(Dictionary *self, PyObject *args)
{
    PyObject *word, *tag = Py_None;
    long long freq;
    if (!PyArg_ParseTuple(args, "UL|O:add_word", &word, &freq, &tag))
        return NULL;
    if (freq < 0) {
        PyErr_SetString(PyExc_ValueError, "add_word: the frequency must not be negative");
        return NULL;
    }
    int truth = PyObject_IsTrue(tag);
    if (truth < 0)
        return NULL;
    if (truth && !PyUnicode_Check(tag)) {
        PyErr_SetString(PyExc_TypeError, "add_word: the tag must be a str or None");
        return NULL;
    }
    int number = truth ? tag_number(self, tag) : 0;
    if (number < 0)
        return NULL;
    uint32_t node = word_node(self, word);
    if (node == 0)
        return NULL;
    /* jieba.add_word: FREQ[word] = freq; total += freq; user_word_tag_tab[word] = tag if tag */
    self->freq[node] = freq;
    if (number)
        self->pos_tag[node] = (uint16_t)number;
    if (set_total(self, self->total + freq) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
Dictionary_set_tag(Dictionary *self, PyObject *args)
{
    PyObject *word, *tag;
    if (!PyArg_ParseTuple(args, "UU:set_tag", &word, &tag))
        return NULL;
    uint32_t node = key_node(self, word);
    if (node == 0) {
        PyErr_SetObject(PyExc_KeyError, word);
        return NULL;
    }
    int number = tag_number(self, tag);
    if (number < 0)
        return NULL;
    self->tag[node] = (uint16_t)number;
    Py_RETURN_NONE;
}

/* ---- jieba.posseg's HMM ---------------------------------------------------------------- */

static int
map_init(Map *m, size_t entries)
{
    size_t size = 16;
    while (size < entries * 2)
        size *= 2;
    m->keys = PyMem_Calloc(size, sizeof(uint64_t));
    m->values = PyMem_Calloc(size, sizeof(uint64_t));
    m->mask = size - 1;
    if (m->keys == NULL || m->values == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

static inline size_t
map_slot(const Map *m, uint64_t key)
{
    size_t h = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 17) & m->mask;
    while (m->keys[h] && m->keys[h] != key)
        h = (h + 1) & m->mask;
    return h;
}

static void
map_free(Map *m)
{
    PyMem_Free(m->keys);
    PyMem_Free(m->values);
}

static void
hmm_free(Hmm *h)
{
    if (h == NULL)
        return;
    PyMem_Free(h->start);
    PyMem_Free(h->trans);
    PyMem_Free(h->next);
    PyMem_Free(h->has_next);
    PyMem_Free(h->bmes);
    PyMem_Free(h->states);
    Py_XDECREF(h->tags);
    map_free(&h->emit);
    map_free(&h->char_states);
    PyMem_Free(h);
}

static int
single_char(PyObject *key, uint32_t *c)
{
    if (!PyUnicode_Check(key) || PyUnicode_READY(key) < 0 || PyUnicode_GET_LENGTH(key) != 1) {
        PyErr_Clear();
        return 0;
    }
    *c = PyUnicode_READ_CHAR(key, 0);
    return 1;
}

static double
as_double(PyObject *x)
{
    return PyFloat_AsDouble(x);
}

PyDoc_STRVAR(set_hmm_doc,
             "set_hmm(states, char_state_tab, start_p, trans_p, emit_p, /)\n--\n\n"
             "jieba.posseg's HMM: states, its (BMES, tag) tuples in sorted order, and its four tables.");

static PyObject *
Dictionary_set_hmm(Dictionary *self, PyObject *args)
{
    PyObject *states, *char_tab, *start_p, *trans_p, *emit_p, *number = NULL;
    if (!PyArg_ParseTuple(args, "O!O!O!O!O!:set_hmm", &PyList_Type, &states, &PyDict_Type, &char_tab, &PyDict_Type,
                          &start_p, &PyDict_Type, &trans_p, &PyDict_Type, &emit_p))
        return NULL;
    Py_ssize_t S = PyList_GET_SIZE(states);
    if (S < 1 || S > 4096) {
        PyErr_SetString(PyExc_ValueError, "set_hmm: between 1 and 4096 states");
        return NULL;
    }
    Hmm *h = PyMem_Calloc(1, sizeof(Hmm));
    if (h == NULL)
        return PyErr_NoMemory();
    h->count = (int)S;
    h->words = (int)((S + 63) / 64);
    h->start = PyMem_Malloc(sizeof(double) * S);
    h->trans = PyMem_Malloc(sizeof(double) * S * S);
    h->next = PyMem_Calloc((size_t)S * h->words, sizeof(uint64_t));
    h->has_next = PyMem_Calloc(S, 1);
    h->bmes = PyMem_Calloc(S, 1);
    h->tags = PyTuple_New(S);
    number = PyDict_New();
    if (!h->start || !h->trans || !h->next || !h->has_next || !h->bmes || !h->tags || !number) {
        PyErr_NoMemory();
        goto failed;
    }
    for (Py_ssize_t s = 0; s < S; s++) {
        PyObject *state = PyList_GET_ITEM(states, s), *n = PyLong_FromSsize_t(s);
        if (n == NULL || PyDict_SetItem(number, state, n) < 0) {
            Py_XDECREF(n);
            goto failed;
        }
        Py_DECREF(n);
        PyObject *bmes, *tag;
        if (!PyArg_ParseTuple(state, "UU:state", &bmes, &tag) || PyUnicode_GET_LENGTH(bmes) != 1)
            goto failed;
        h->bmes[s] = (char)PyUnicode_READ_CHAR(bmes, 0);
        PyTuple_SET_ITEM(h->tags, s, Py_NewRef(tag));
        PyObject *p = PyDict_GetItemWithError(start_p, state);
        if (p == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetObject(PyExc_KeyError, state);
            goto failed;
        }
        if ((h->start[s] = as_double(p)) == -1.0 && PyErr_Occurred())
            goto failed;
        for (Py_ssize_t y = 0; y < S; y++)
            h->trans[s * S + y] = -INFINITY; /* MIN_INF */
    }
    Py_ssize_t pos = 0, pos2, entries = 0;
    PyObject *key, *value, *key2, *value2;
    while (PyDict_Next(trans_p, &pos, &key, &value)) {
        PyObject *x = PyDict_GetItemWithError(number, key);
        if (x == NULL || !PyDict_Check(value)) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "set_hmm: trans_p has a state that is not in states");
            goto failed;
        }
        Py_ssize_t from = PyLong_AsSsize_t(x);
        h->has_next[from] = PyDict_GET_SIZE(value) > 0;
        pos2 = 0;
        while (PyDict_Next(value, &pos2, &key2, &value2)) {
            PyObject *y = PyDict_GetItemWithError(number, key2);
            if (y == NULL) {
                if (!PyErr_Occurred())
                    PyErr_SetString(PyExc_ValueError, "set_hmm: trans_p has a state that is not in states");
                goto failed;
            }
            Py_ssize_t to = PyLong_AsSsize_t(y);
            h->next[from * h->words + to / 64] |= 1ull << (to % 64);
            if ((h->trans[from * S + to] = as_double(value2)) == -1.0 && PyErr_Occurred())
                goto failed;
        }
    }
    pos = 0;
    while (PyDict_Next(emit_p, &pos, &key, &value))
        entries += PyDict_Check(value) ? PyDict_GET_SIZE(value) : 0;
    if (map_init(&h->emit, (size_t)entries) < 0)
        goto failed;
    pos = 0;
    while (PyDict_Next(emit_p, &pos, &key, &value)) {
        PyObject *x = PyDict_GetItemWithError(number, key);
        if (x == NULL || !PyDict_Check(value)) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "set_hmm: emit_p has a state that is not in states");
            goto failed;
        }
        uint64_t s = (uint64_t)PyLong_AsSsize_t(x);
        pos2 = 0;
        while (PyDict_Next(value, &pos2, &key2, &value2)) {
            uint32_t c;
            if (!single_char(key2, &c))
                continue; /* never one character of a text: never looked up */
            double v = as_double(value2);
            if (v == -1.0 && PyErr_Occurred())
                goto failed;
            uint64_t k = ((s << 32) | c) + 1;
            size_t slot = map_slot(&h->emit, k);
            h->emit.keys[slot] = k;
            memcpy(&h->emit.values[slot], &v, sizeof v);
        }
    }
    for (Py_ssize_t s = 0; s < S; s++) { /* emit_p[y] for every state y, as viterbi reads it */
        if (PyDict_GetItemWithError(emit_p, PyList_GET_ITEM(states, s)) == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetObject(PyExc_KeyError, PyList_GET_ITEM(states, s));
            goto failed;
        }
    }
    entries = 0;
    pos = 0;
    while (PyDict_Next(char_tab, &pos, &key, &value))
        entries += PyTuple_Check(value) ? PyTuple_GET_SIZE(value) : 0;
    h->states = PyMem_Malloc(sizeof(uint16_t) * (entries + 1));
    if (h->states == NULL || map_init(&h->char_states, (size_t)PyDict_GET_SIZE(char_tab)) < 0) {
        PyErr_NoMemory();
        goto failed;
    }
    Py_ssize_t at = 0;
    pos = 0;
    while (PyDict_Next(char_tab, &pos, &key, &value)) {
        uint32_t c;
        if (!single_char(key, &c))
            continue;
        if (!PyTuple_Check(value) || PyTuple_GET_SIZE(value) > 0xFFFF || at > 0xFFFFFFFFll) {
            PyErr_SetString(PyExc_ValueError, "set_hmm: char_state_tab's values must be tuples of states");
            goto failed;
        }
        Py_ssize_t n = PyTuple_GET_SIZE(value);
        for (Py_ssize_t k = 0; k < n; k++) {
            PyObject *x = PyDict_GetItemWithError(number, PyTuple_GET_ITEM(value, k));
            if (x == NULL) {
                if (!PyErr_Occurred())
                    PyErr_SetString(PyExc_ValueError, "set_hmm: char_state_tab has a state that is not in states");
                goto failed;
            }
            h->states[at + k] = (uint16_t)PyLong_AsSsize_t(x);
        }
        uint64_t k = (uint64_t)c + 1;
        size_t slot = map_slot(&h->char_states, k);
        h->char_states.keys[slot] = k;
        h->char_states.values[slot] = ((uint64_t)at << 16) | (uint64_t)n;
        at += n;
    }
    Py_DECREF(number);
    hmm_free(self->hmm);
    self->hmm = h;
    Py_RETURN_NONE;
failed:
    Py_XDECREF(number);
    hmm_free(h);
    return NULL;
}

static inline double
emit_of(const Hmm *h, int state, uint32_t c)
{
    uint64_t k = (((uint64_t)state << 32) | c) + 1;
    size_t slot = map_slot(&h->emit, k);
    if (!h->emit.keys[slot])
        return -3.14e100; /* MIN_FLOAT */
    double v;
    memcpy(&v, &h->emit.values[slot], sizeof v);
    return v;
}

/* Append (word, tag) to out; 0, or -1 with an exception set. */
static int
append_pair(PyObject *out, PyObject *word, PyObject *tag)
{
    if (word == NULL)
        return -1;
    PyObject *pair = PyTuple_Pack(2, word, tag);
    Py_DECREF(word);
    if (pair == NULL)
        return -1;
    int r = PyList_Append(out, pair);
    Py_DECREF(pair);
    return r;
}

#define SUBSTR(a, b) PyUnicode_Substring(text, (a), (b))

/* posseg's __cut: viterbi over the Han characters text[at:at + n], then its words. */
static int
hmm_cut(Dictionary *self, PyObject *text, int kind, const void *data, Py_ssize_t at, Py_ssize_t n, PyObject *out)
{
    const Hmm *h = self->hmm;
    int S = h->count, W = h->words;
    double *V = PyMem_Malloc(sizeof(double) * S * n);
    int16_t *back = PyMem_Malloc(sizeof(int16_t) * S * n);
    uint64_t *present = PyMem_Calloc((size_t)W * n, sizeof(uint64_t));
    uint64_t *expect = PyMem_Malloc(sizeof(uint64_t) * W), *cand = PyMem_Malloc(sizeof(uint64_t) * W);
    int *prev = PyMem_Malloc(sizeof(int) * S), *route = PyMem_Malloc(sizeof(int) * n);
    int result = -1;
    if (!V || !back || !present || !expect || !cand || !prev || !route) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t t = 0; t < n; t++) {
        uint32_t c = PyUnicode_READ(kind, data, at + t);
        /* states.get(obs[t], all_states) as a set */
        size_t slot = map_slot(&h->char_states, (uint64_t)c + 1);
        int known = h->char_states.keys[slot] != 0;
        memset(cand, 0, sizeof(uint64_t) * W);
        if (known) {
            uint64_t v = h->char_states.values[slot];
            const uint16_t *list = h->states + (v >> 16);
            for (uint64_t k = 0; k < (v & 0xFFFF); k++)
                cand[list[k] / 64] |= 1ull << (list[k] % 64);
        }
        else
            for (int y = 0; y < S; y++)
                cand[y / 64] |= 1ull << (y % 64);
        uint64_t *here = present + (size_t)W * t;
        double *Vt = V + (size_t)S * t;
        int16_t *bt = back + (size_t)S * t;
        if (t == 0) {
            for (int y = 0; y < S; y++)
                if (cand[y / 64] >> (y % 64) & 1) {
                    Vt[y] = h->start[y] + emit_of(h, y, c);
                    here[y / 64] |= 1ull << (y % 64);
                    bt[y] = -1;
                }
            continue;
        }
        const uint64_t *before = present + (size_t)W * (t - 1);
        const double *Vb = V + (size_t)S * (t - 1);
        int np = 0, any = 0;
        memset(expect, 0, sizeof(uint64_t) * W);
        for (int y0 = 0; y0 < S; y0++)
            if ((before[y0 / 64] >> (y0 % 64) & 1) && h->has_next[y0]) {
                prev[np++] = y0;
                for (int w = 0; w < W; w++)
                    expect[w] |= h->next[(size_t)y0 * W + w];
            }
        for (int w = 0; w < W; w++)
            any |= (cand[w] &= expect[w]) != 0;
        if (!any) {
            int expected = 0;
            for (int w = 0; w < W; w++)
                expected |= expect[w] != 0;
            for (int y = 0; y < S; y++)
                if (expected ? (expect[y / 64] >> (y % 64) & 1) : 1)
                    cand[y / 64] |= 1ull << (y % 64);
        }
        if (np == 0) {
            PyErr_SetString(PyExc_ValueError, "max() arg is an empty sequence"); /* as jieba's viterbi fails */
            goto done;
        }
        for (int y = 0; y < S; y++) {
            if (!(cand[y / 64] >> (y % 64) & 1))
                continue;
            double e = emit_of(h, y, c), best = 0.0;
            int arg = -1;
            for (int k = 0; k < np; k++) {
                int y0 = prev[k];
                double s = Vb[y0] + h->trans[(size_t)y0 * S + y] + e;
                if (arg < 0 || s >= best) /* max over (prob, state): the larger state on a tie */
                    best = s, arg = y0;
            }
            Vt[y] = best;
            bt[y] = (int16_t)arg;
            here[y / 64] |= 1ull << (y % 64);
        }
    }
    {
        const uint64_t *final = present + (size_t)W * (n - 1);
        const double *Vl = V + (size_t)S * (n - 1);
        int state = -1;
        double best = 0.0;
        for (int y = 0; y < S; y++)
            if ((final[y / 64] >> (y % 64) & 1) && (state < 0 || Vl[y] >= best))
                best = Vl[y], state = y;
        if (state < 0) { /* a character with no states at all: jieba's max() fails the same way */
            PyErr_SetString(PyExc_ValueError, "max() arg is an empty sequence");
            goto done;
        }
        for (Py_ssize_t i = n - 1; i >= 0; i--) {
            route[i] = state;
            state = back[(size_t)S * i + state];
        }
    }
    Py_ssize_t begin = 0, nexti = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        char pos = h->bmes[route[i]];
        PyObject *tag = PyTuple_GET_ITEM(h->tags, route[i]);
        if (pos == 'B')
            begin = i;
        else if (pos == 'E') {
            if (append_pair(out, SUBSTR(at + begin, at + i + 1), tag) < 0)
                goto done;
            nexti = i + 1;
        }
        else if (pos == 'S') {
            if (append_pair(out, SUBSTR(at + i, at + i + 1), tag) < 0)
                goto done;
            nexti = i + 1;
        }
    }
    if (nexti < n && append_pair(out, SUBSTR(at + nexti, at + n), PyTuple_GET_ITEM(h->tags, route[nexti])) < 0)
        goto done;
    result = 0;
done:
    PyMem_Free(V);
    PyMem_Free(back);
    PyMem_Free(present);
    PyMem_Free(expect);
    PyMem_Free(cand);
    PyMem_Free(prev);
    PyMem_Free(route);
    return result;
}

static inline int
in_num(Py_UCS4 c) /* posseg's re_num: [\.0-9] */
{
    return c == '.' || (c >= '0' && c <= '9');
}

/* posseg's __cut_detail over text[a:b] (characters of re_han_internal's runs). */
static int
cut_detail(Dictionary *self, PyObject *text, int kind, const void *data, Py_ssize_t a, Py_ssize_t b, PyObject *out)
{
    Py_ssize_t j = a;
    while (j < b) {
        Py_UCS4 c = PyUnicode_READ(kind, data, j);
        Py_ssize_t k = j + 1;
        PyObject *tag;
        if (is_han(c)) {
            while (k < b && is_han(PyUnicode_READ(kind, data, k)))
                k++;
            if (hmm_cut(self, text, kind, data, j, k - j, out) < 0)
                return -1;
            j = k;
            continue;
        }
        if (in_num(c)) { /* re_skip_detail's [\.0-9]+, then its [a-zA-Z0-9]+ */
            while (k < b && in_num(PyUnicode_READ(kind, data, k)))
                k++;
            tag = str_m;
        }
        else if (is_latin(c)) {
            while (k < b && is_latin(PyUnicode_READ(kind, data, k)))
                k++;
            tag = str_eng;
        }
        else { /* the text between them, up to the next Han character or match */
            while (k < b) {
                Py_UCS4 d = PyUnicode_READ(kind, data, k);
                if (is_han(d) || in_num(d) || is_latin(d))
                    break;
                k++;
            }
            tag = str_x;
        }
        if (append_pair(out, SUBSTR(j, k), tag) < 0)
            return -1;
        j = k;
    }
    return 0;
}

static inline PyObject *
pos_tag_of(Dictionary *self, uint32_t node)
{
    return node && self->pos_tag[node] ? PyList_GET_ITEM(self->tag_names, self->pos_tag[node]) : str_x;
}

/* posseg's buffer of single characters text[a:b], flushed. */
static int
flush(Dictionary *self, PyObject *text, int kind, const void *data, Py_ssize_t a, Py_ssize_t b, PyObject *out)
{
    uint32_t node = node_of(self, kind, data, a, b);
    if (b - a == 1)
        return append_pair(out, SUBSTR(a, b), pos_tag_of(self, node));
    if (node == 0 || self->freq[node] == 0)
        return cut_detail(self, text, kind, data, a, b, out);
    for (Py_ssize_t i = a; i < b; i++)
        if (append_pair(out, SUBSTR(i, i + 1), pos_tag_of(self, node_of(self, kind, data, i, i + 1))) < 0)
            return -1;
    return 0;
}

PyDoc_STRVAR(pos_cut_doc, "pos_cut(text, /)\n--\n\n"
                          "jieba.posseg.lcut(text) as a list of (word, tag) tuples; set_hmm first.");

static PyObject *
Dictionary_pos_cut(Dictionary *self, PyObject *text)
{
    if (check_text(text, "pos_cut") < 0)
        return NULL;
    if (self->hmm == NULL) {
        PyErr_SetString(PyExc_ValueError, "pos_cut: set_hmm first");
        return NULL;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t *last = PyMem_Malloc(sizeof(Py_ssize_t) * (len + 1));
    double *score = PyMem_Malloc(sizeof(double) * (len + 1));
    PyObject *out = PyList_New(0);
    if (last == NULL || score == NULL || out == NULL) {
        if (out != NULL)
            PyErr_NoMemory();
        goto failed;
    }
    Py_ssize_t j = 0;
    while (j < len) {
        Py_UCS4 c = PyUnicode_READ(kind, data, j);
        if (!in_pos_run(c)) { /* re_skip_internal: every character x, but \r\n one */
            Py_ssize_t k = c == '\r' && j + 1 < len && PyUnicode_READ(kind, data, j + 1) == '\n' ? j + 2 : j + 1;
            if (append_pair(out, SUBSTR(j, k), str_x) < 0)
                goto failed;
            j = k;
            continue;
        }
        Py_ssize_t k = j + 1;
        while (k < len && in_pos_run(PyUnicode_READ(kind, data, k)))
            k++;
        if (best_route(self, kind, data, j, k - j, score, last) < 0)
            goto failed;
        Py_ssize_t x = j, buf = -1; /* buf: start of the buffered single characters */
        while (x < k) {
            Py_ssize_t y = j + last[x - j] + 1;
            if (y - x == 1) {
                if (buf < 0)
                    buf = x;
            }
            else {
                if (buf >= 0 && flush(self, text, kind, data, buf, x, out) < 0)
                    goto failed;
                buf = -1;
                if (append_pair(out, SUBSTR(x, y), pos_tag_of(self, node_of(self, kind, data, x, y))) < 0)
                    goto failed;
            }
            x = y;
        }
        if (buf >= 0 && flush(self, text, kind, data, buf, k, out) < 0)
            goto failed;
        j = k;
    }
    PyMem_Free(last);
    PyMem_Free(score);
    return out;
failed:
    PyMem_Free(last);
    PyMem_Free(score);
    Py_XDECREF(out);
    return NULL;
}

/* ---- word_tags(): a read-only mapping over the dictionary's tags ------------------------ */

typedef struct {
    PyObject_HEAD
    Dictionary *dictionary;
} Tags;

static PyTypeObject TagsType;

static PyObject *
Dictionary_tags(Dictionary *self, PyObject *Py_UNUSED(ignored))
{
    Tags *view = PyObject_New(Tags, &TagsType);
    if (view == NULL)
        return NULL;
    view->dictionary = (Dictionary *)Py_NewRef(self);
    return (PyObject *)view;
}

static void
Tags_dealloc(Tags *self)
{
    Py_XDECREF(self->dictionary);
    PyObject_Free(self);
}

static PyObject *
Tags_subscript(Tags *self, PyObject *key)
{
    uint32_t node = key_node(self->dictionary, key);
    if (node && self->dictionary->tag[node])
        return Py_NewRef(PyList_GET_ITEM(self->dictionary->tag_names, self->dictionary->tag[node]));
    PyErr_SetObject(PyExc_KeyError, key);
    return NULL;
}

static int
Tags_contains(Tags *self, PyObject *key)
{
    uint32_t node = key_node(self->dictionary, key);
    return node && self->dictionary->tag[node];
}

static Py_ssize_t
Tags_length(Tags *self)
{
    Py_ssize_t n = 0;
    for (uint32_t node = 1; node < self->dictionary->nodes; node++)
        n += self->dictionary->tag[node] != 0;
    return n;
}

static PyObject *
Tags_get(Tags *self, PyObject *const *args, Py_ssize_t nargs)
{
    return tag_lookup(self->dictionary, args, nargs, self->dictionary->tag, "get");
}

static PyObject *
Tags_as_dict(Tags *self)
{
    PyObject *which = PyUnicode_FromString("tag");
    if (which == NULL)
        return NULL;
    PyObject *found = Dictionary_items(self->dictionary, which);
    Py_DECREF(which);
    return found;
}

static PyObject *
Tags_iter(Tags *self)
{
    PyObject *found = Tags_as_dict(self);
    if (found == NULL)
        return NULL;
    PyObject *it = PyObject_GetIter(found);
    Py_DECREF(found);
    return it;
}

static PyObject *
Tags_view(Tags *self, const char *name)
{
    PyObject *found = Tags_as_dict(self);
    if (found == NULL)
        return NULL;
    PyObject *view = PyObject_CallMethod(found, name, NULL);
    Py_DECREF(found);
    return view;
}

static PyObject *
Tags_items(Tags *self, PyObject *Py_UNUSED(ignored))
{
    return Tags_view(self, "items");
}

static PyObject *
Tags_keys(Tags *self, PyObject *Py_UNUSED(ignored))
{
    return Tags_view(self, "keys");
}

static PyObject *
Tags_values(Tags *self, PyObject *Py_UNUSED(ignored))
{
    return Tags_view(self, "values");
}

static PyMappingMethods Tags_mapping = {
    .mp_length = (lenfunc)Tags_length,
    .mp_subscript = (binaryfunc)Tags_subscript,
};

static PySequenceMethods Tags_sequence = {
    .sq_contains = (objobjproc)Tags_contains,
};

static PyMethodDef Tags_methods[] = {
    {"get", (PyCFunction)(void (*)(void))Tags_get, METH_FASTCALL,
     "get(word, default=None, /)\n--\n\nThe word's tag, or default."},
    {"items", (PyCFunction)Tags_items, METH_NOARGS, "Every (word, tag), from a dict made of them."},
    {"keys", (PyCFunction)Tags_keys, METH_NOARGS, "Every tagged word, from a dict made of them."},
    {"values", (PyCFunction)Tags_values, METH_NOARGS, "Every word's tag, from a dict made of them."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject TagsType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "kg._cut.Tags",
    .tp_doc = PyDoc_STR("Dictionary.tags(): the words' tags (kg.nlp.word_tags()), a read-only mapping."),
    .tp_basicsize = sizeof(Tags),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_dealloc = (destructor)Tags_dealloc,
    .tp_as_mapping = &Tags_mapping,
    .tp_as_sequence = &Tags_sequence,
    .tp_iter = (getiterfunc)Tags_iter,
    .tp_methods = Tags_methods,
};

/* ---- the type -------------------------------------------------------------------------- */

static int
Dictionary_init(Dictionary *self, PyObject *args, PyObject *kwds)
{
    static char *names[] = {"path", "memo_nodes", NULL};
    PyObject *path;
    unsigned int memo_nodes = 1u << 20;
    if (self->slots != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Dictionary: already initialised");
        return -1;
    }
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O&|I:Dictionary", names, PyUnicode_FSConverter, &path,
                                     &memo_nodes))
        return -1;
    self->memo.limit = memo_nodes;
    if (memo_nodes > (1u << 30) || memo_reset(&self->memo) < 0) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "Dictionary: memo_nodes must be at most 2**30");
        Py_DECREF(path);
        return -1;
    }
    self->tag_names = PyList_New(0);
    self->tag_numbers = PyDict_New();
    self->capacity = 1u << 19;
    self->parent = PyMem_Malloc(sizeof(uint32_t) * self->capacity);
    self->ch = PyMem_Malloc(sizeof(uint32_t) * self->capacity);
    self->freq = PyMem_Malloc(sizeof(int64_t) * self->capacity);
    self->tag = PyMem_Malloc(sizeof(uint16_t) * self->capacity);
    self->pos_tag = PyMem_Malloc(sizeof(uint16_t) * self->capacity);
    self->mask = (1u << 20) - 1;
    self->slots = PyMem_Calloc(self->mask + 1, sizeof(Slot));
    if (self->tag_names == NULL || self->tag_numbers == NULL || PyList_Append(self->tag_names, Py_None) < 0 ||
        !self->parent || !self->ch || !self->freq || !self->tag || !self->pos_tag || !self->slots) {
        Py_DECREF(path);
        if (!PyErr_Occurred())
            PyErr_NoMemory();
        return -1;
    }
    self->nodes = 1; /* node 0: the empty string, no key */
    self->parent[0] = self->ch[0] = 0;
    self->freq[0] = 0;
    self->tag[0] = self->pos_tag[0] = 0;
    self->logtotal = NAN;
    int r = load(self, PyBytes_AS_STRING(path));
    Py_DECREF(path);
    return r;
}

static void
Dictionary_dealloc(Dictionary *self)
{
    PyMem_Free(self->slots);
    PyMem_Free(self->parent);
    PyMem_Free(self->ch);
    PyMem_Free(self->freq);
    memo_free(&self->memo);
    PyMem_Free(self->tag);
    PyMem_Free(self->pos_tag);
    Py_XDECREF(self->tag_names);
    Py_XDECREF(self->tag_numbers);
    hmm_free(self->hmm);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
Dictionary_get_total(Dictionary *self, void *Py_UNUSED(closure))
{
    return PyLong_FromLongLong(self->total);
}

static PyObject *
Dictionary_memo_size(Dictionary *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromUnsignedLong(self->memo.nodes - 1);
}

static PyObject *
Dictionary_get_has_hmm(Dictionary *self, void *Py_UNUSED(closure))
{
    return PyBool_FromLong(self->hmm != NULL);
}

static PyGetSetDef Dictionary_getset[] = {
    {"total", (getter)Dictionary_get_total, NULL, "The sum of the frequencies, as jieba's total.", NULL},
    {"has_hmm", (getter)Dictionary_get_has_hmm, NULL, "Whether set_hmm was called.", NULL},
    {NULL},
};

static PyMethodDef Dictionary_methods[] = {
    {"word_ends", (PyCFunction)Dictionary_word_ends, METH_O, word_ends_doc},
    {"pos_cut", (PyCFunction)Dictionary_pos_cut, METH_O, pos_cut_doc},
    {"freq", (PyCFunction)(void (*)(void))Dictionary_freq, METH_FASTCALL,
     "freq(word, default=None, /)\n--\n\njieba's FREQ.get(word, default): 0 for a prefix that is no word."},
    {"tag", (PyCFunction)(void (*)(void))Dictionary_tag, METH_FASTCALL,
     "tag(word, default=None, /)\n--\n\nThe word's tag in kg.nlp.word_tags()."},
    {"pos_tag", (PyCFunction)(void (*)(void))Dictionary_pos_tag, METH_FASTCALL,
     "pos_tag(word, default=None, /)\n--\n\nThe word's tag in jieba.posseg's table."},
    {"add_word", (PyCFunction)Dictionary_add_word, METH_VARARGS,
     "add_word(word, freq, tag=None, /)\n--\n\njieba.add_word(word, freq, tag)."},
    {"set_tag", (PyCFunction)Dictionary_set_tag, METH_VARARGS,
     "set_tag(word, tag, /)\n--\n\nThe word's tag in word_tags() (the word must be a key)."},
    {"items", (PyCFunction)Dictionary_items, METH_O,
     "items(which, /)\n--\n\nA dict of every key and its 'freq', or of every tagged word and its 'tag' or 'pos_tag'."},
    {"count", (PyCFunction)Dictionary_count, METH_O,
     "count(which, /)\n--\n\nHow many keys ('freq') or tagged words ('tag')."},
    {"set_hmm", (PyCFunction)Dictionary_set_hmm, METH_VARARGS, set_hmm_doc},
    {"tags", (PyCFunction)Dictionary_tags, METH_NOARGS, "tags()\n--\n\nThe words' tags as a read-only mapping."},
    {"memo_size", (PyCFunction)Dictionary_memo_size, METH_NOARGS, "How many substrings the cut's memo holds."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject DictionaryType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "kg._cut.Dictionary",
    .tp_doc = PyDoc_STR("Dictionary(path, memo_nodes=2**20): jieba's dictionary file read as jieba reads it, its cut "
                        "remembering up to about memo_nodes of its answers; see the module."),
    .tp_basicsize = sizeof(Dictionary),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Dictionary_init,
    .tp_dealloc = (destructor)Dictionary_dealloc,
    .tp_methods = Dictionary_methods,
    .tp_getset = Dictionary_getset,
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "kg._cut", "jieba's dictionary, cut and tagger, compiled (see kg/nlp.py).", -1, NULL,
};

PyMODINIT_FUNC
PyInit__cut(void)
{
    str_x = PyUnicode_InternFromString("x");
    str_m = PyUnicode_InternFromString("m");
    str_eng = PyUnicode_InternFromString("eng");
    if (str_x == NULL || str_m == NULL || str_eng == NULL || PyType_Ready(&DictionaryType) < 0 ||
        PyType_Ready(&TagsType) < 0)
        return NULL;
    PyObject *module = PyModule_Create(&module_def);
    if (module == NULL)
        return NULL;
    if (PyModule_AddObjectRef(module, "Dictionary", (PyObject *)&DictionaryType) < 0 ||
        PyModule_AddObjectRef(module, "Tags", (PyObject *)&TagsType) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
