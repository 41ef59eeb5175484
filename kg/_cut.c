/* kg._cut: jieba's dictionary-only cut (jieba.lcut(text, HMM=False)) compiled, with jieba's answers.
 *
 * The same algorithm as kg/nlp.py's pure-Python reference (_Cutter.ends, python_word_ends),
 * which is jieba's get_DAG + calc + __cut_DAG_NO_HMM inside the runs of re_han_default and one
 * word per character (but \r\n) outside them:
 *   - a substring is a word when it is in the same FREQ dict with a true count, and the search
 *     from a position stops at the first substring that is not in FREQ at all;
 *   - the same floating-point operations in the same order: (log(count) - log(total)) + score
 *     of the rest, with libm's log as Python's math.log calls it; a position with no word scores
 *     its character as (0.0 - log(total)) + score of the rest (jieba's log(... or 1));
 *   - on a tie jieba's max over (score, end) tuples takes the larger end, so `>=` below;
 *   - runs of single Latin letters and digits join into one word, as jieba's re_eng buffer does.
 * Only additions and subtractions of doubles, so no contraction into fused multiply-adds can
 * change a sum. tests/test_nlp.py holds both cuts to jieba on seeds and random text.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>

/* jieba.re_han_default: [\u4E00-\u9FD5a-zA-Z0-9+#&._%-] */
static inline int
in_run(Py_UCS4 c)
{
    if (c >= 0x4E00)
        return c <= 0x9FD5;
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '#' ||
           c == '&' || c == '.' || c == '_' || c == '%' || c == '-';
}

/* jieba.re_eng: [a-zA-Z0-9] */
static inline int
is_latin(Py_UCS4 c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static PyObject *math_log = NULL; /* math.log, for counts that are not plain positive ints or floats */

enum { ABSENT = 0, PREFIX = 1, WORD = 2, FAILED = -1 };

/* What FREQ says of text[start:end]: ABSENT (no key), PREFIX (a key with a false count) or
 * WORD, with *logp = log(count) - logtotal. FAILED with an exception set. */
static int
look_up(PyObject *text, Py_ssize_t start, Py_ssize_t end, PyObject *freq, double logtotal, double *logp)
{
    PyObject *frag = PyUnicode_Substring(text, start, end);
    if (frag == NULL)
        return FAILED;
    PyObject *count = PyDict_GetItemWithError(freq, frag); /* borrowed */
    Py_DECREF(frag);
    if (count == NULL)
        return PyErr_Occurred() ? FAILED : ABSENT;
    int truth = PyObject_IsTrue(count);
    if (truth < 0)
        return FAILED;
    if (!truth)
        return PREFIX;
    double x = -1.0, lx;
    if (PyLong_CheckExact(count)) {
        x = PyLong_AsDouble(count);
        if (x == -1.0 && PyErr_Occurred()) {
            PyErr_Clear();
            x = -1.0;
        }
    }
    else if (PyFloat_CheckExact(count))
        x = PyFloat_AS_DOUBLE(count);
    if (x > 0.0 && isfinite(x))
        lx = log(x); /* what math.log does with such a number */
    else {
        /* anything else as math.log takes it: huge ints, infinities, other types, its errors */
        PyObject *r = PyObject_CallOneArg(math_log, count);
        if (r == NULL)
            return FAILED;
        lx = PyFloat_AsDouble(r);
        Py_DECREF(r);
        if (lx == -1.0 && PyErr_Occurred())
            return FAILED;
    }
    *logp = lx - logtotal;
    return WORD;
}

/* The memo: a trie of the substrings the search has asked FREQ about, as a hash table from
 * (parent node, next character) to child node. Node 0 is the empty string; a node's state and
 * log-probability are FREQ's answer for its substring. The search walks it from each position
 * and asks the dict only about a substring it has not seen, so most look-ups neither build a
 * str nor hash one. Cleared before a run once it holds more than memo_nodes (a million unless
 * told; about 40 bytes a node), so an archive's text cannot grow it without bound; nothing adds
 * words to FREQ once kg.nlp.jieba() is done. */

typedef struct {
    uint32_t parent, ch, child; /* child == 0: an empty slot */
} Slot;

typedef struct {
    PyObject_HEAD
    PyObject *freq; /* jieba's FREQ dict */
    double logtotal;
    Slot *slots;
    size_t mask, used;
    double *logp;
    signed char *state;
    uint32_t nodes, capacity, memo_nodes;
} Cutter;

static inline size_t
slot_of(uint32_t parent, uint32_t ch, size_t mask)
{
    uint64_t h = (((uint64_t)parent << 32) | ch) * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 20) & mask;
}

static int
memo_reset(Cutter *self, size_t slots, uint32_t capacity)
{
    PyMem_Free(self->slots);
    PyMem_Free(self->logp);
    PyMem_Free(self->state);
    self->slots = PyMem_Calloc(slots, sizeof(Slot));
    self->logp = PyMem_Malloc(sizeof(double) * capacity);
    self->state = PyMem_Malloc(capacity);
    if (self->slots == NULL || self->logp == NULL || self->state == NULL) {
        PyMem_Free(self->slots);
        PyMem_Free(self->logp);
        PyMem_Free(self->state);
        self->slots = NULL, self->logp = NULL, self->state = NULL;
        PyErr_NoMemory();
        return -1;
    }
    self->mask = slots - 1;
    self->used = 0;
    self->capacity = capacity;
    self->nodes = 1;
    self->state[0] = PREFIX; /* the empty string: never looked up */
    self->logp[0] = 0.0;
    return 0;
}

/* A new node for (parent, ch) with FREQ's answer; its number, or 0 with an exception set. */
static uint32_t
memo_add(Cutter *self, uint32_t parent, uint32_t ch, int state, double logp)
{
    if (self->nodes == self->capacity) {
        if (self->capacity >= (1u << 31))
            return (PyErr_NoMemory(), 0);
        uint32_t capacity = self->capacity * 2;
        double *l = PyMem_Realloc(self->logp, sizeof(double) * capacity);
        if (l == NULL)
            return (PyErr_NoMemory(), 0);
        self->logp = l;
        signed char *s = PyMem_Realloc(self->state, capacity);
        if (s == NULL)
            return (PyErr_NoMemory(), 0);
        self->state = s;
        self->capacity = capacity;
    }
    if ((self->used + 1) * 2 > self->mask + 1) { /* keep the table at most half full */
        size_t mask = self->mask * 2 + 1;
        Slot *slots = PyMem_Calloc(mask + 1, sizeof(Slot));
        if (slots == NULL)
            return (PyErr_NoMemory(), 0);
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
    }
    uint32_t node = self->nodes++;
    self->state[node] = (signed char)state;
    self->logp[node] = logp;
    size_t h = slot_of(parent, ch, self->mask);
    while (self->slots[h].child)
        h = (h + 1) & self->mask;
    self->slots[h] = (Slot){parent, ch, node};
    self->used++;
    return node;
}

/* The words of the run text[at:at + n] (n >= 2): their end offsets appended to ends[*count...].
 * score and last are scratch space of n + 1 and n entries. 0, or -1 with an exception set. */
static int
cut_run(Cutter *self, PyObject *text, int kind, const void *data, Py_ssize_t at, Py_ssize_t n, double *score,
        Py_ssize_t *last, Py_ssize_t *ends, Py_ssize_t *count)
{
    double logtotal = self->logtotal;
    score[n] = 0.0;
    for (Py_ssize_t idx = n - 1; idx >= 0; idx--) {
        double best = 0.0;
        int found = 0;
        uint32_t node = 0;
        last[idx] = idx;
        for (Py_ssize_t i = idx; i < n; i++) {
            uint32_t ch = PyUnicode_READ(kind, data, at + i);
            size_t h = slot_of(node, ch, self->mask);
            uint32_t child;
            for (;;) {
                Slot *s = &self->slots[h];
                child = s->child;
                if (child == 0 || (s->parent == node && s->ch == ch))
                    break;
                h = (h + 1) & self->mask;
            }
            if (child == 0) {
                double p = 0.0;
                int state = look_up(text, at + idx, at + i + 1, self->freq, logtotal, &p);
                if (state == FAILED)
                    return -1;
                child = memo_add(self, node, ch, state, p);
                if (child == 0)
                    return -1;
            }
            node = child;
            int state = self->state[node];
            if (state == ABSENT)
                break; /* no word starts so: the end of jieba's DAG at idx */
            if (state == WORD) {
                double s = self->logp[node] + score[i + 1];
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
    Py_ssize_t x = 0;
    int in_latin = 0;
    while (x < n) {
        Py_ssize_t y = last[x] + 1;
        if (y - x == 1 && is_latin(PyUnicode_READ(kind, data, at + x)))
            in_latin = 1;
        else {
            if (in_latin) {
                ends[(*count)++] = at + x;
                in_latin = 0;
            }
            ends[(*count)++] = at + y;
        }
        x = y;
    }
    if (in_latin)
        ends[(*count)++] = at + n;
    return 0;
}

PyDoc_STRVAR(word_ends_doc,
             "word_ends(text, /)\n--\n\n"
             "The end offset of every word of jieba's dictionary-only cut of `text` (jieba.lcut(text, HMM=False)).");

static PyObject *
Cutter_word_ends(Cutter *self, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "word_ends: text must be a str, not %.100s", Py_TYPE(text)->tp_name);
        return NULL;
    }
    if (PyUnicode_READY(text) < 0)
        return NULL;
    if (self->freq == NULL) {
        PyErr_SetString(PyExc_ValueError, "word_ends: the Cutter was not initialised");
        return NULL;
    }
    if (self->slots == NULL && memo_reset(self, 1024, 1024) < 0)
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
            else if (self->nodes > self->memo_nodes && memo_reset(self, 1024, 1024) < 0)
                goto done;
            else if (cut_run(self, text, kind, data, j, k - j, score, last, ends, &count) < 0)
                goto done;
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

static PyObject *
Cutter_memo_size(Cutter *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromUnsignedLong(self->nodes - 1);
}

static int
Cutter_init(Cutter *self, PyObject *args, PyObject *kwds)
{
    static char *names[] = {"freq", "logtotal", "memo_nodes", NULL};
    PyObject *freq;
    double logtotal;
    unsigned int memo_nodes = 1u << 20;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!d|I:Cutter", names, &PyDict_Type, &freq, &logtotal, &memo_nodes))
        return -1;
    if (memo_nodes > (1u << 30)) {
        PyErr_SetString(PyExc_ValueError, "Cutter: memo_nodes must be at most 2**30");
        return -1;
    }
    self->memo_nodes = memo_nodes;
    Py_INCREF(freq);
    Py_XSETREF(self->freq, freq);
    self->logtotal = logtotal;
    return memo_reset(self, 1024, 1024);
}

static void
Cutter_dealloc(Cutter *self)
{
    Py_XDECREF(self->freq);
    PyMem_Free(self->slots);
    PyMem_Free(self->logp);
    PyMem_Free(self->state);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMethodDef Cutter_methods[] = {
    {"word_ends", (PyCFunction)Cutter_word_ends, METH_O, word_ends_doc},
    {"memo_size", (PyCFunction)Cutter_memo_size, METH_NOARGS, "How many substrings the memo holds."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject CutterType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "kg._cut.Cutter",
    .tp_doc = PyDoc_STR("Cutter(freq, logtotal, memo_nodes=2**20): jieba's dictionary-only cut over its FREQ dict and "
                        "log(total), remembering up to about memo_nodes of the dictionary's answers."),
    .tp_basicsize = sizeof(Cutter),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Cutter_init,
    .tp_dealloc = (destructor)Cutter_dealloc,
    .tp_methods = Cutter_methods,
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "kg._cut", "jieba's dictionary-only cut, compiled (see kg/nlp.py).", -1, NULL,
};

PyMODINIT_FUNC
PyInit__cut(void)
{
    PyObject *math = PyImport_ImportModule("math");
    if (math == NULL)
        return NULL;
    Py_XSETREF(math_log, PyObject_GetAttrString(math, "log"));
    Py_DECREF(math);
    if (math_log == NULL || PyType_Ready(&CutterType) < 0)
        return NULL;
    PyObject *module = PyModule_Create(&module_def);
    if (module == NULL)
        return NULL;
    if (PyModule_AddObjectRef(module, "Cutter", (PyObject *)&CutterType) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
