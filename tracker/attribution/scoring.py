"""The tagger's per-token scores, computed from its weights by table lookups instead of feature strings.

A linear-chain CRF scores each token and label with the sum of the weights of
the token's features (features.sequence). Building some 26 feature strings per
token and handing them to CRFsuite, which looks each one up again, was two
thirds of the extraction time. Almost every feature depends on one word only
(the token's own word, or its neighbour's at a fixed offset), or on a handful
of small per-token states (inside a quotation, distance to the nearest cue
word, first or last in the sentence). So the weights are regrouped once:

- per distinct word, seven rows of label scores, one for each position the
  word can hold relative to the token being scored (itself, one to three to
  the left, one to three to the right), computed the first time the word is
  seen and kept;
- per state, small tables (quotation state, cue position, shape × cue
  position, ...), built when the model loads;
- word pairs ("ww=" features) as a sorted array of pair keys.

A token's scores are then a sum of rows gathered with numpy over a whole
text at once. The sum is the one CRFsuite makes over features.sequence,
exactly: tests/test_attribution_model.py compares the two feature by feature.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from tracker.attribution.features import CLOSE_QUOTES, OPEN_QUOTES, STRAIGHT, STRONG_CUES, shape
from tracker.attribution.tokens import Chunk

# Where the nearest strong cue word stands, as features.sequence names it ("cd=" values).
RELATIONS = ("none", "at") + tuple(side + b for side in "LR" for b in ("1", "2", "3", "5", "9", "f"))
_REL = {r: i for i, r in enumerate(RELATIONS)}
# distance (capped at 10) → index of features._bucket's value among "1" "2" "3" "5" "9" "f"
_BUCKET = np.array([0, 0, 1, 2, 3, 3, 4, 4, 4, 4, 5])
# Quotation states ("q=" values); the two pads are what a neighbour outside the chunk is.
QUOTE_STATES = ("out", "in", "qo", "qc", "qa", "<s>", "</s>")
OUT, IN, OPEN, CLOSE, APOSTROPHE, PAD_LEFT, PAD_RIGHT = range(7)
_QUOTE_CHARS = OPEN_QUOTES | CLOSE_QUOTES | STRAIGHT
# The seven positions from which a word's features reach a token, as the offset of that token from the
# word: features.sequence gives token i the features of word i - offset ("w-1=said" on the token after
# "said"). Then, per thing a word has (its lower-cased form, cue class, source class, shape), the
# feature template that carries it at each of those positions (None: no such feature).
OFFSETS = (0, 1, -1, 2, -2, 3, -3)
TEMPLATES = {
    "w": ("w", "w-1", "w+1", "w-2", "w+2", None, None),
    "cx": ("cx", "cx-1", "cx+1", "cx-2", "cx+2", "cx-3", "cx+3"),
    "sx": ("sx", "sx-1", "sx+1", None, None, None, None),
    "sh": ("sh", "sh-1", "sh+1", None, None, None, None),
    "p3": ("p3", None, None, None, None, None, None),
}
# Every template features.sequence makes; a model with weights for any other was built from other features.
KNOWN_TEMPLATES = {t for ts in TEMPLATES.values() for t in ts if t} | {
    "b",
    "cd",
    "scd",
    "cq",
    "q",
    "q-1",
    "q+1",
    "first",
    "last",
    "sq",
    "ww",
}
# After this many distinct words the per-word rows are dropped and rebuilt (hostile input).
CACHE_SIZE = 100_000


class Weights:
    """A CRF's state weights regrouped for lookup by word and by state; one per loaded model."""

    def __init__(
        self,
        state: dict[str, Sequence[float]],
        names: Sequence[str],
        cues: dict[str, str],
        sources: dict[str, str],
        known: Sequence[str] | None = None,
    ) -> None:
        """state: each feature's weights, one per label of names; known: the labels the CRF was trained
        with (by default all); a label it never saw scores -inf, so it is never given."""
        labels = self.labels = len(names)
        self.cues, self.sources = cues, sources
        zero = (0.0,) * labels

        def table(names) -> np.ndarray:
            return np.array([state.get(n, zero) for n in names], dtype=np.float64).reshape(-1, labels)

        unknown = {a.partition("=")[0] for a in state} - KNOWN_TEMPLATES
        if unknown:  # weights this code would silently leave out: a model of another feature set
            raise ValueError(f"features this tagger does not compute: {sorted(unknown)[:5]}")
        self._bias = table(["b"])[0]
        self._bias[[i for i, name in enumerate(names) if known is not None and name not in known]] = -np.inf
        cd = table("cd=" + r for r in RELATIONS)
        q = table("q=" + q for q in QUOTE_STATES)
        q_left = table("q-1=" + q for q in QUOTE_STATES)
        q_right = table("q+1=" + q for q in QUOTE_STATES)
        cq = table("cq=" + r + "|" + q for r in RELATIONS for q in QUOTE_STATES).reshape(
            len(RELATIONS), len(QUOTE_STATES), labels
        )
        first, last, sq = table(["first", "last", "sq"])

        # per kind of word value: an id per value the model has weights for (0: any other) and a table
        # (ids × OFFSETS × labels); "<s>" and "</s>" are values too, the pads' own
        where = {t: (kind, r) for kind, ts in TEMPLATES.items() for r, t in enumerate(ts) if t}
        values: dict[str, dict[str, int]] = {kind: {} for kind in TEMPLATES}
        for a in sorted(state):
            template, _, value = a.partition("=")
            if template in where:
                ids = values[where[template][0]]
                ids.setdefault(value, len(ids) + 1)
        for a in sorted(state):
            if a.startswith("scd="):  # a shape seen only with a cue position still needs an id
                values["sh"].setdefault(a[4:].rpartition("|")[0], len(values["sh"]) + 1)
        self._values = values
        self._tables = {kind: np.zeros((len(ids) + 1, len(OFFSETS), labels)) for kind, ids in values.items()}
        for a, v in state.items():
            template, _, value = a.partition("=")
            if template in where:
                kind, r = where[template]
                self._tables[kind][values[kind][value], r] = v
        scd = np.zeros((len(values["sh"]) + 1, len(RELATIONS), labels))
        for sh, i in values["sh"].items():
            scd[i] = table("scd=" + sh + "|" + r for r in RELATIONS)
        # Everything that depends on the token's cue position, quotation states and place in its sentence,
        # summed ahead for every combination (14 × 7 × 7 × 7 × 2 × 2 × 2 rows): one lookup per token.
        context = (
            cd[:, None, None, None] + cq[:, :, None, None] + q[None, :, None, None] + q_left[None, None, :, None]
        ) + q_right[None, None, None, :]
        flag = np.arange(2)[:, None]
        context = context[:, :, :, :, None, None, None] + (
            (flag * first)[:, None, None] + (flag * last)[None, :, None] + (flag * sq)[None, None, :]
        )
        self._context = context.reshape(-1, labels)
        self._shape_relation = scd.reshape(-1, labels)
        self._pairs(state)
        self._reset()

    def _pairs(self, state: dict[str, Sequence[float]]) -> None:
        """The "ww=previous|word" weights as sorted integer keys (previous id × size + word id)."""
        ids: dict[str, int] = {"<s>": 0}
        pairs = []
        for a in sorted(state):
            if not a.startswith("ww="):
                continue
            s = a[3:]
            # a word holds no "|" unless it is the token "|" itself
            prev, word = ("|", s[2:]) if s.startswith("|") else s.split("|", 1)
            pairs.append((ids.setdefault(prev, len(ids)), ids.setdefault(word, len(ids)), a))
        self._pair_word = ids
        self._pair_size = len(ids)
        keys = np.array([p * self._pair_size + w for p, w, _ in pairs], dtype=np.int64)
        order = np.argsort(keys, kind="stable")
        self._pair_keys = keys[order] if len(keys) else np.array([-1], dtype=np.int64)  # never empty: searchable
        rows = [state[pairs[k][2]] for k in order] + [(0.0,) * self.labels]  # the last row: no pair
        self._pair_rows = np.array(rows, dtype=np.float64)

    def _reset(self) -> None:
        """Empty per-word tables but for the two pads: row 0 is "<s>" (left of a chunk), row 1 "</s>" (right)."""
        self._index: dict[str, int] = {}
        self._roles = np.zeros((len(OFFSETS), 1024, self.labels))  # by offset, so each gather is one block
        self._shape = np.zeros(1024, dtype=np.intp)
        self._pair = np.zeros(1024, dtype=np.int64)
        self._strong = np.zeros(1024, dtype=bool)
        self._quote = np.zeros(1024, dtype=bool)
        self._size = 0
        self._add([("<s>",) * 5, ("</s>",) * 5], [self._pair_word["<s>"], -1], [False, False], [False, False])

    def _learn(self, words: list[str]) -> None:
        """Per-word rows for words not seen before: the sum of what the word's form, cue class, source
        class, shape and suffix contribute at each offset."""
        new = list(dict.fromkeys(w for w in words if w not in self._index))
        if self._size + len(new) > CACHE_SIZE:
            self._reset()
            new = list(dict.fromkeys(words))
        keys, pairs, strong, quote = [], [], [], []
        for w in new:
            low = w.lower()
            cue = self.cues.get(low, "")
            keys.append((low, cue, self.sources.get(low, ""), shape(w), low[-3:] if len(low) > 3 else None))
            pairs.append(self._pair_word.get(low, -1))
            strong.append(cue in STRONG_CUES)
            quote.append(len(w) == 1 and w in _QUOTE_CHARS)
        at = self._size
        self._add(keys, pairs, strong, quote)
        self._index.update(zip(new, range(at, at + len(new))))

    def _add(self, keys: list[tuple], pairs: list[int], strong: list[bool], quote: list[bool]) -> None:
        if not keys:
            return
        rows = np.zeros((len(keys), len(OFFSETS), self.labels))
        for k, kind in enumerate(("w", "cx", "sx", "sh", "p3")):
            ids = self._values[kind]
            rows += self._tables[kind][[ids.get(key[k], 0) for key in keys]]
        rows[:, 0] += self._bias
        at, end = self._size, self._size + len(keys)
        if end > len(self._shape):  # room for twice as many words
            grow = max(end, 2 * len(self._shape))
            for name in ("_shape", "_pair", "_strong", "_quote"):
                old = getattr(self, name)
                new = np.zeros(grow, dtype=old.dtype)
                new[:at] = old[:at]
                setattr(self, name, new)
            roles = np.zeros((len(OFFSETS), grow, self.labels))
            roles[:, :at] = self._roles[:, :at]
            self._roles = roles
        self._roles[:, at:end] = rows.transpose(1, 0, 2)
        self._shape[at:end] = [self._values["sh"].get(key[3], 0) for key in keys]
        self._pair[at:end] = pairs
        self._strong[at:end] = strong
        self._quote[at:end] = quote
        self._size = end

    def scores(self, chunks: list[Chunk]) -> tuple[np.ndarray, np.ndarray]:
        """Scores (tokens × labels) of every token of the chunks, in order, and each chunk's length."""
        words = [w for c in chunks for w in c.words]
        lens = np.array([len(c.words) for c in chunks], dtype=np.intp)
        n = len(words)
        index = self._index
        ids = [index.get(w, -1) for w in words]
        if -1 in ids:
            self._learn(words)
            index = self._index
            ids = [index[w] for w in words]
        ends = np.cumsum(lens)
        begins = ends - lens
        first_of_chunk = np.zeros(n, dtype=bool)
        first_of_chunk[begins] = True
        last_of_chunk = np.zeros(n, dtype=bool)
        last_of_chunk[ends - 1] = True

        # Chunks laid end to end, each between three "<s>" (row 0) and three "</s>" (row 1) pads, so the
        # word three tokens away is always there to look up; real[i] is where token i sits in that layout.
        real = np.arange(n) + 3 + 6 * np.repeat(np.arange(len(chunks)), lens)
        layout = np.ones(n + 6 * len(chunks), dtype=np.intp)
        layout[(real[begins][None, :] - np.arange(1, 4)[:, None]).ravel()] = 0
        layout[real] = ids
        word = layout[real]
        e = np.take(self._roles[0], word, axis=0)  # take: several times faster than [] on row gathers
        for r, offset in enumerate(OFFSETS[1:], 1):
            e += np.take(self._roles[r], layout[real - offset], axis=0)

        sentence = np.fromiter(itertools.chain.from_iterable(c.sentence_of for c in chunks), dtype=np.intp, count=n)
        sentences_before = np.cumsum([0] + [c.sentence_of[-1] + 1 for c in chunks[:-1]])
        sentence += np.repeat(sentences_before, lens)
        first = np.ones(n, dtype=np.intp)
        first[1:] = sentence[1:] != sentence[:-1]
        last = np.ones(n, dtype=np.intp)
        last[:-1] = sentence[1:] != sentence[:-1]

        quote, has_quote = self._quotes(chunks, words, word, first_of_chunk, sentence)
        q_left = np.empty(n, dtype=np.intp)
        q_left[1:] = quote[:-1]
        q_left[first_of_chunk] = PAD_LEFT
        q_right = np.empty(n, dtype=np.intp)
        q_right[:-1] = quote[1:]
        q_right[last_of_chunk] = PAD_RIGHT
        rel = self._relations(word, sentence)
        states = len(QUOTE_STATES)
        context = (((((rel * states + quote) * states + q_left) * states + q_right) * 2 + first) * 2 + last) * 2
        e += np.take(self._context, context + has_quote, axis=0)
        e += np.take(self._shape_relation, self._shape[word] * len(RELATIONS) + rel, axis=0)

        pair = self._pair[word]
        previous = np.empty(n, dtype=np.int64)
        previous[1:] = pair[:-1]
        previous[first_of_chunk] = self._pair_word["<s>"]
        key = previous * self._pair_size + pair
        at = np.minimum(np.searchsorted(self._pair_keys, key), len(self._pair_keys) - 1)
        hit = (pair >= 0) & (previous >= 0) & (self._pair_keys[at] == key)
        e += np.take(self._pair_rows, np.where(hit, at, len(self._pair_rows) - 1), axis=0)
        return e, lens

    def _quotes(
        self, chunks: list[Chunk], words: list[str], word: np.ndarray, first_of_chunk: np.ndarray, sentence: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each token's quotation state and whether its sentence holds a quotation mark (features.sequence's)."""
        n = len(words)
        state = np.zeros(n, dtype=np.intp)
        marks = np.flatnonzero(self._quote[word])
        if not len(marks):
            return state, np.zeros(n, dtype=bool)
        chunk = np.cumsum(first_of_chunk) - 1
        begins = np.flatnonzero(first_of_chunk).tolist()
        after = np.zeros(n, dtype=np.intp)  # the state a quotation mark leaves for the tokens after it
        inside, current = False, -1
        for i, c in zip(marks.tolist(), chunk[marks].tolist()):  # the marks are few: a loop, as in sequence()
            if c != current:
                inside, current = False, c
            w = words[i]
            local = i - begins[c]
            starts, ends = chunks[c].starts, chunks[c].ends
            if w in OPEN_QUOTES and (w != "‘" or local == 0 or starts[local] > ends[local - 1]):
                inside, mark = True, OPEN
            elif w in CLOSE_QUOTES and (w != "’" or inside):
                inside, mark = False, CLOSE
            elif w == '"':
                inside = not inside
                mark = OPEN if inside else CLOSE
            else:
                mark = APOSTROPHE
            state[i] = mark
            after[i] = IN if inside else OUT
        # a token between marks is in the state the last mark of its chunk left (out when none)
        last_mark = np.maximum.accumulate(np.where(self._quote[word], np.arange(n), -1))
        plain = np.ones(n, dtype=bool)
        plain[marks] = False
        carried = plain & (last_mark >= 0)
        carried[carried] = chunk[last_mark[carried]] == chunk[carried]
        state[carried] = after[last_mark[carried]]
        opened = np.zeros(int(sentence[-1]) + 1, dtype=bool)
        strong = marks[(state[marks] == OPEN) | (state[marks] == CLOSE)]
        opened[sentence[strong]] = True
        return state, opened[sentence]

    def _relations(self, word: np.ndarray, sentence: np.ndarray) -> np.ndarray:
        """Where each token stands relative to the nearest strong cue word of its sentence, as RELATIONS ids.

        features.sequence's rule: the nearest one, the left one on a tie; "at" on the cue word itself,
        else the side the token is on ("L": the cue is to its right) and the distance bucket.
        """
        n = len(word)
        strong = self._strong[word]
        at = np.arange(n)
        left = np.maximum.accumulate(np.where(strong, at, -1))
        right = np.minimum.accumulate(np.where(strong, at, n)[::-1])[::-1]
        has_left = left >= 0
        has_left[has_left] = sentence[left[has_left]] == sentence[has_left]
        has_right = right < n
        has_right[has_right] = sentence[right[has_right]] == sentence[has_right]
        use_left = has_left & (~has_right | (at - left <= right - at))
        best = np.where(use_left, left, right)
        distance = np.abs(best - at)
        side = np.where(at < best, _REL["L1"], _REL["R1"]) + _BUCKET[np.minimum(distance, 10)]
        return np.where(use_left | has_right, np.where(distance == 0, _REL["at"], side), _REL["none"])
