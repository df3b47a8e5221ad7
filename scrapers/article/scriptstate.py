"""The state a script framework writes into a page for its scripts to build the page from, read as data.

A page built by its scripts shows its story's fields (title, dates) only once they run; the server writes them
into the page as the framework's state, in one of a few shapes: JSON (Next.js's `__NEXT_DATA__`, Apollo's cache,
the stores' `__INITIAL_STATE__` / `__PRELOADED_STATE__` or any `window.__NAME__`, Arc XP's `Fusion.globalContent`,
Frontity's, Remix's context, SvelteKit's copies of what the server fetched, Angular's transfer state), Nuxt 3's
flat payload (`__NUXT_DATA__`), Nuxt 2's JavaScript (`window.__NUXT__`, written by devalue: an object literal, or
a function called with the values the object repeats), and Next.js app router's flight data
(`self.__next_f.push([1, "..."])`, React's rows split over scripts). Each is read as data, never run, and bounded
in size and depth: a hostile page gets nothing read.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import islice

from lxml.html import HtmlElement

from scrapers.article.jsonld import DECODER

STATE_SCRIPT_IDS = ("__NEXT_DATA__", "__NUXT_DATA__", "__FRONTITY_CONNECT_STATE__")
# Any `window.__NAME__` a framework or a site keeps its state in (Nuxt's `__NUXT__`, Apollo's `__APOLLO_STATE__`,
# `__INITIAL_STATE__`, `__PRELOADED_STATE__`, a site's own `__INITIAL_DATA__`), Remix's context, Substack's
# preloads, and Arc XP's Fusion, which keeps the story as ANS in its global content.
STATE_ASSIGNMENT = re.compile(
    r"(?<![\w.$])(?:window\.(?:__[A-Z][A-Z0-9_]*__|__remixContext|_preloads)|Fusion\.globalContent)\s*=\s*"
    r"(?=[{\[(]|JSON\.parse\()"
)
# A state given as JSON in a string the page parses (Substack's `window._preloads = JSON.parse("...")`).
JSON_PARSE = re.compile(r"JSON\.parse\(\s*")
SINGLE_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'", re.S)
JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
# Angular's transfer state: `<script id="ng-state">` (Angular 16 on) or `id="APP-state"`, JSON, before Angular 16 with
# its own escapes (`&q;` for a quote).
ANGULAR_STATE_ID = re.compile(r"^[\w-]+-state$")
ANGULAR_ESCAPES = (("&q;", '"'), ("&s;", "'"), ("&l;", "<"), ("&g;", ">"), ("&a;", "&"))
SPACES = re.compile(r"\s*")
STATE_OBJECTS_MAX = 20000  # objects of a state searched: a real one holds hundreds, a hostile one no limit
STATE_DEPTH_MAX = 40
STATE_READS_MAX = 500  # states and flight pushes read on a page (states): a real page has a few, Next.js's some dozens
NUXT_WRAPPERS = frozenset(("Reactive", "ShallowReactive", "Ref", "ShallowRef", "EmptyRef", "EmptyShallowRef"))


def states(tree: HtmlElement) -> Iterator[object]:
    """Each framework state on the page as plain values (dicts, lists, strings, numbers), in page order, then
    Astro's islands' props; the flight data of Next.js's app router and React Router's turbo-stream, each spread
    over many scripts, come last.

    At most STATE_READS_MAX values are read from a page's scripts (states and flight pushes): JSON that fails
    part-way costs the length of the script before it (Python's error counts the lines up to where it
    failed), and a script assigning 100,000 states `window.__A1__={a:1};...` took 46 s.
    """
    flight: list[str] = []
    turbo: list[str] = []
    reads = 0
    budget = Budget()
    for script in tree.iter("script"):
        if reads >= STATE_READS_MAX:
            break
        raw = script.text or ""
        if script.get("type") == "qwik/json":
            reads += 1
            if (state := qwik_state(_json(raw))) is not None:
                yield state
            continue
        if script.get("id") in STATE_SCRIPT_IDS:
            reads += 1
            state = _json(raw)
            if state is not None:
                yield _nuxt_payload(state) if script.get("id") == "__NUXT_DATA__" else state
            continue
        if script.get("type") == "application/json":
            reads += 1
            if (state := _json_script(script, raw)) is not None:
                yield state
            continue
        if FLIGHT_PUSH.search(raw):
            pushes = list(islice(FLIGHT_PUSH.finditer(raw), STATE_READS_MAX - reads))
            reads += len(pushes)
            flight.extend(_flight_chunks(raw, pushes))
            continue
        if TURBO_ENQUEUE.search(raw):
            calls = list(islice(TURBO_ENQUEUE.finditer(raw), STATE_READS_MAX - reads))
            reads += len(calls)
            turbo.extend(chunk for call in calls if (chunk := _string_literal(raw, call.end())) is not None)
            continue
        for assignment in islice(STATE_ASSIGNMENT.finditer(raw), STATE_READS_MAX - reads):
            reads += 1
            state = _assigned(raw, assignment.end(), budget)
            if state is not None:
                yield state
    for island in islice(tree.iter("astro-island"), max(0, STATE_READS_MAX - reads)):
        if (state := astro_props(_json(island.get("props") or ""))) is not None:
            yield state
    if flight:
        yield flight_rows("".join(flight))
    if turbo:
        yield turbo_stream("".join(turbo))


def _assigned(raw: str, position: int, budget: Budget) -> object:
    """The state a script assigns at `position`: JSON, JSON in a string it parses, or devalue's JavaScript."""
    parse = JSON_PARSE.match(raw, position)
    if parse is not None:
        return _json(_string_literal(raw, parse.end()) or "")
    state = _json(raw, position)
    return _script_value(raw, position, budget) if state is None else state


def _string_literal(raw: str, position: int) -> str | None:
    """The text of the JavaScript string at `position`, in double or single quotes; None when none starts there."""
    if raw.startswith('"', position):
        try:
            return json.decoder.scanstring(raw, position + 1, False)[0]
        except ValueError:
            return None
    single = SINGLE_QUOTED.match(raw, position)
    return JS_ESCAPE.sub(_unescaped, single[1]) if single else None


def _unescaped(match: re.Match) -> str:
    """One escape of a JavaScript string as the character it stands for."""
    escape = match[1]
    if escape[0] in "ux" and len(escape) > 1:
        return chr(int(escape[1:], 16))
    return JS_ESCAPES.get(escape, escape)


def _json_script(script: HtmlElement, raw: str) -> object:
    """The state in a JSON script of SvelteKit (what the server fetched, the response's body as a string) or
    Angular (its transfer state); None for any other JSON script (a CMS's settings, a JSON-LD block)."""
    if script.get("data-sveltekit-fetched") is not None and script.get("data-b64") is None:
        response = _json(raw)
        return _json(response["body"]) if isinstance(response, dict) and isinstance(response.get("body"), str) else None
    if ANGULAR_STATE_ID.match(script.get("id") or ""):
        for escape, character in ANGULAR_ESCAPES if "&q;" in raw else ():
            raw = raw.replace(escape, character)
        return _json(raw)
    return None


def _json(text: str, position: int = 0) -> object:
    """The JSON value text starts with at `position`, after any spaces; None when it starts with none.

    Read in place: a script pushing hundreds of rows is not copied once for each.
    """
    try:
        state, _ = DECODER.raw_decode(text, SPACES.match(text, position).end())
    except (ValueError, RecursionError):
        return None
    return state


def state_objects(state: object) -> Iterator[dict]:
    """The objects of a state, outermost first, within bounds of number and depth.

    An object or list is visited once, however many places hold it: Nuxt's payload shares one among all that
    name it (`_nuxt_payload`), and visited again from each place, 20 lists each naming all the others took 2.7 s, and
    each one more multiplied it (the bound on objects counts no lists).
    """
    queue: deque[tuple[object, int]] = deque([(state, 0)])
    seen = {id(state)}
    count = 0
    while queue and count < STATE_OBJECTS_MAX:
        node, depth = queue.popleft()
        if depth > STATE_DEPTH_MAX:
            continue
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        if isinstance(node, dict):
            count += 1
            yield node
        for child in children:
            if isinstance(child, dict | list) and id(child) not in seen:
                seen.add(id(child))
                queue.append((child, depth + 1))


def _nuxt_payload(payload: object) -> object:
    """Nuxt 3's payload as the objects it stands for: each number in an object or list is the place of its value,
    one outside the list the number itself.

    Wrappers (["ShallowReactive", 1]) stand for what they wrap. A place is read once and shared by every
    object naming it; one naming a place still being read (a cycle) gets None, which keeps the payload finite.
    """
    if not isinstance(payload, list) or not payload:
        return payload
    return _flat(payload, _nuxt_value, outside_as_is=True)


def _nuxt_value(value: object, at) -> object:
    if isinstance(value, dict):
        return {k: at(v) for k, v in value.items()}
    if isinstance(value, list):
        return at(value[1]) if len(value) == 2 and value[0] in NUXT_WRAPPERS else [at(v) for v in value]
    return value


# Nuxt 2's state as devalue writes it: a JavaScript object literal (keys unquoted where they can be), or, when
# it holds a value more than once, a function called with those values, each named by a parameter
# (`(function(a,b){b.name="Politics";return {title:"...",publishedAt:a,section:b}}("2024-03-01T08:30:00.000Z",{}))`).
# Tokens: a string, a number, a name, or one punctuation mark; anything else (a regular expression) is not read.
TOKEN = re.compile(
    r'\s*(?:(?P<string>"[^"\\]*(?:\\.[^"\\]*)*")|(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)'
    r"|(?P<name>[A-Za-z_$][\w$]*)|(?P<mark>[{}\[\](),:;.=+-])|(?P<other>\S))",
    re.S,
)
SCRIPT_CHARS_MAX = 4_000_000  # a Nuxt state of a long page is some hundreds of kilobytes
ARRAY_LENGTH_MAX = 100_000  # `Array(n)`, filled by the statements after it
# What all of a page's scripts may cost the JavaScript reader (Budget): tokens read and array cells made. A real
# Nuxt 2 state of some hundreds of kilobytes is tens of thousands of tokens; three 4 MB literals never closed took
# 10 s of a page's parse, and 300 `Array(100000)` in 6 kB of script made 230 MB.
PAGE_TOKENS_MAX = 400_000
PAGE_CELLS_MAX = 100_000
# What devalue writes calls to, and words only code has.
CONSTRUCTORS = frozenset(("Object", "Array", "Date", "Map", "Set", "create", "assign"))
CODE_WORDS = frozenset(("var", "let", "const", "if", "else", "for", "while", "do", "function", "this", "typeof"))
CONSTANTS = {"true": True, "false": False, "null": None, "undefined": None, "NaN": None, "Infinity": None}
END = ("end", "")


class Unreadable(ValueError):
    """A script's value holds something other than data as devalue writes it, or more than the bounds allow."""


class Budget:
    """What is left of a page's tokens and array cells (PAGE_TOKENS_MAX, PAGE_CELLS_MAX), shared by its scripts:
    each script's own bounds let a page of many scripts, or of many arrays in one, cost without limit."""

    def __init__(self) -> None:
        self.tokens = PAGE_TOKENS_MAX
        self.cells = PAGE_CELLS_MAX

    def spend_cells(self, cells: int) -> None:
        self.cells -= cells
        if self.cells < 0:
            raise Unreadable("more array cells than a page's states hold")


class _Tokens:
    """A script's tokens from a place on, read as far as they are asked for: code after an `=` fails in its first
    few, and the megabytes after it are never read."""

    def __init__(self, text: str, position: int, budget: Budget):
        self.found: list[tuple[str, str]] = []
        self.rest = TOKEN.finditer(text, position)
        self.budget = budget

    def at(self, index: int) -> tuple[str, str]:
        while index >= len(self.found):
            self.budget.tokens -= 1
            if self.budget.tokens < 0:
                raise Unreadable("more tokens than a page's states hold")
            match = next(self.rest, None)
            if match is None:
                return END
            self.found.append((match.lastgroup or "other", match[match.lastgroup or 0]))
        return self.found[index]


class _Script:
    """A JavaScript value read token by token; a name stands for its value in `names`."""

    def __init__(self, tokens: _Tokens, position: int = 0, names: dict[str, object] | None = None):
        self.tokens = tokens
        self.position = position
        self.names = names or {}

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token[0] in ("end", "other"):
            raise Unreadable("not a value devalue writes")
        self.position += 1
        return token

    def peek(self) -> tuple[str, str]:
        return self.tokens.at(self.position)

    def expect(self, mark: str) -> None:
        if self.take() != ("mark", mark):
            raise Unreadable(f"expected {mark!r}")

    def value(self, depth: int = 0) -> object:
        """One value: a literal, a name given a value, or the few constructors devalue writes."""
        if depth > STATE_DEPTH_MAX:
            raise Unreadable("nested too deep")
        kind, text = self.take()
        if kind == "string":
            return json.loads(text, strict=False)
        if kind == "number":
            return _number(text)
        if kind == "mark":
            if text == "{":
                return self._object(depth)
            if text == "[":
                return self._array(depth)
            if text == "-":
                negated = self.value(depth + 1)
                return -negated if isinstance(negated, int | float) and not isinstance(negated, bool) else None
            raise Unreadable(f"unexpected {text!r}")
        return self._named(text, depth)

    def _named(self, name: str, depth: int) -> object:
        """A constant, a parameter, `void 0`, or a constructor: dates as their milliseconds, wrappers unwrapped."""
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in self.names:
            return self.names[name]
        if name == "void":
            self.value(depth + 1)
            return None
        if name == "new":
            _, kind = self.take()
            given = self._call(depth)
            return given[0] if kind == "Date" and given else None  # Map and Set hold no story's fields by name
        if name == "Object":
            if self.peek() == ("mark", "."):
                self.take()
                _, method = self.take()
                given = self._call(depth)
                merged: dict = {}
                for part in given if method == "assign" else ():
                    merged.update(part if isinstance(part, dict) else {})
                return merged
            given = self._call(depth)
            return given[0] if given else {}
        if name == "Array":
            given = self._call(depth)
            length = given[0] if len(given) == 1 else None
            if not isinstance(length, int) or not 0 <= length <= ARRAY_LENGTH_MAX:
                raise Unreadable("no array of that length")
            self.tokens.budget.spend_cells(length)
            return [None] * length
        raise Unreadable(f"unknown name {name!r}")

    def _call(self, depth: int) -> list:
        """The values passed to a call, after its name."""
        self.expect("(")
        return self._items(")", depth)

    def _items(self, close: str, depth: int) -> list:
        """Values separated by commas up to `close`; an empty place (an array's hole) is None."""
        items: list = []
        while True:
            if self.peek() == ("mark", close):
                self.take()
                return items
            if self.peek() == ("mark", ","):
                self.take()
                items.append(None)
                continue
            items.append(self.value(depth + 1))
            kind, text = self.take()
            if (kind, text) == ("mark", close):
                return items
            if (kind, text) != ("mark", ","):
                raise Unreadable(f"expected ',' or {close!r}")

    def _array(self, depth: int) -> list:
        return self._items("]", depth)

    def _object(self, depth: int) -> dict:
        found: dict = {}
        while True:
            kind, key = self.take()
            if (kind, key) == ("mark", "}"):
                return found
            if kind == "string":
                key = json.loads(key, strict=False)
            elif kind not in ("name", "number"):
                raise Unreadable("no key")
            self.expect(":")
            found[key] = self.value(depth + 1)
            kind, text = self.take()
            if (kind, text) == ("mark", "}"):
                return found
            if (kind, text) != ("mark", ","):
                raise Unreadable("expected ',' or '}'")

    def skip_block(self) -> None:
        """Past the braces just opened: a function's body, read again once its parameters have values.

        A body of code, not devalue's assignments, is given up at its first statement or call (`var`, `f(`),
        not read to its end.
        """
        depth = 1
        previous = END
        while depth:
            kind, text = self.take()
            if kind == "mark" and text in "{}":
                depth += 1 if text == "{" else -1
            elif _is_code(previous, (kind, text)):
                raise Unreadable("code, not data")
            previous = (kind, text)

    def statement(self, depth: int = 0) -> None:
        """One of devalue's assignments to a repeated object or array (`b.name="Politics"`, `c[0]=d`)."""
        _, name = self.take()
        target = self.names.get(name)
        keys: list[object] = []
        while (mark := self.take()) != ("mark", "="):
            if mark == ("mark", "."):
                keys.append(self.take()[1])
            elif mark == ("mark", "["):
                keys.append(self.value(depth + 1))
                self.expect("]")
            else:
                raise Unreadable("not an assignment")
        value = self.value(depth)
        for key in keys[:-1]:
            target = _member(target, key)
        if not keys:
            raise Unreadable("not an assignment")
        if isinstance(target, dict) and isinstance(keys[-1], str | int | float):
            target[keys[-1]] = value
        elif isinstance(target, list) and isinstance(keys[-1], int) and 0 <= keys[-1] < len(target):
            target[keys[-1]] = value


def _is_code(previous: tuple[str, str], token: tuple[str, str]) -> bool:
    """Whether a token is one devalue never writes: a word only code has, or a call of anything but its constructors."""
    if token[0] == "name":
        return token[1] in CODE_WORDS
    return token == ("mark", "(") and previous[0] == "name" and previous[1] not in CONSTRUCTORS


def _member(target: object, key: object) -> object:
    if isinstance(target, dict):
        return target.get(key)
    if isinstance(target, list) and isinstance(key, int) and 0 <= key < len(target):
        return target[key]
    return None


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        return float(text)


def _script_value(text: str, position: int, budget: Budget | None = None) -> object:
    """The value a script assigns at `position`: devalue's object literal or its function form; None when
    it is neither (code that computes its state, not data), or longer than a state is."""
    if len(text) - position > SCRIPT_CHARS_MAX:
        return None
    try:
        script = _Script(_Tokens(text, position, budget or Budget()))
        if script.peek() != ("mark", "("):
            return script.value()
        return _devalue_call(script)
    except (Unreadable, ValueError, RecursionError):
        return None


def _devalue_call(script: _Script) -> object:
    """`(function(a,b){statements;return VALUE}(A,B))`: the returned value, each parameter standing for the
    argument in its place. The arguments come after the body, so the body is passed over, they are read,
    and the body is read again with them."""
    script.expect("(")
    if script.take() != ("name", "function"):
        raise Unreadable("not a function")
    script.expect("(")
    parameters = [name for kind, name in _parameters(script)]
    script.expect("{")
    body = script.position
    script.skip_block()
    if script.peek() == ("mark", ")"):
        script.take()  # `(function(){...})(...)`, the call outside the brackets
    arguments = script._call(0)
    names = dict(zip(parameters, arguments, strict=False))
    names.update((name, None) for name in parameters[len(arguments) :])
    reader = _Script(script.tokens, body, names)
    while reader.peek() != ("name", "return"):
        reader.statement()
        if reader.peek() == ("mark", ";"):
            reader.take()
    reader.take()
    return reader.value()


def _parameters(script: _Script) -> Iterator[tuple[str, str]]:
    while (token := script.take()) != ("mark", ")"):
        if token[0] == "name":
            yield token
        elif token != ("mark", ","):
            raise Unreadable("not a parameter")


# Next.js's app router streams the page's React rows in scripts (`self.__next_f.push([1,"0:{...}\n5:[...]"])`), a
# row split anywhere between two: the strings of type 1, joined, are the rows. Each row is `ID:` and JSON up to
# a line's end, after a letter or two for the kind of row (`I` a module, `HL` a hint); a text row (`ID:T<hex
# length>,`) is that many bytes of UTF-8, line ends included, and holds a long text, not the story's fields.
FLIGHT_PUSH = re.compile(r"self\.__next_f\.push\(")
FLIGHT_ROW = re.compile(r"([0-9a-fA-F]+):([A-Z]{0,2})")
FLIGHT_TEXT = re.compile(r"T([0-9a-fA-F]+),")


def _flight_chunks(raw: str, pushes: list[re.Match]) -> Iterator[str]:
    """The strings a script pushes to Next.js's flight data (at its `pushes`, FLIGHT_PUSH's matches), in order."""
    for push in pushes:
        pushed = _json(raw, push.end())
        if isinstance(pushed, list) and len(pushed) == 2 and pushed[0] == 1 and isinstance(pushed[1], str):
            yield pushed[1]


def flight_rows(data: str) -> list[object]:
    """The JSON of each row of Next.js's flight data; a row that is not JSON is left out."""
    rows: list[object] = []
    position = 0
    while position < len(data) and len(rows) < STATE_OBJECTS_MAX:
        row = FLIGHT_ROW.match(data, position)
        if row is None:
            position = _line_end(data, position)
            continue
        text = FLIGHT_TEXT.match(data, row.start(2))
        if text is not None:
            length = int(text[1], 16)
            start = text.end()
            position = start + len(data[start : start + length].encode()[:length].decode(errors="ignore"))
            continue
        end = data.find("\n", row.end())
        end = len(data) if end < 0 else end
        value = _json(data[row.end() : end])
        if value is not None:
            rows.append(value)
        position = end + 1
    return rows


def state_date(value: object) -> object:
    """A date as a state holds it: flight data writes a Date as "$D" before its ISO 8601 string."""
    return value[2:] if isinstance(value, str) and value.startswith("$D") else value


def _line_end(data: str, position: int) -> int:
    end = data.find("\n", position)
    return len(data) if end < 0 else end + 1


def _flat(values: list, node, outside_as_is: bool = False) -> object:
    """The value a flat payload stands for from its first place: `node(value, at)` builds one place's value, `at`
    reading another place. A place is read once and shared by all that name it; one still being read (a cycle),
    or deeper than STATE_DEPTH_MAX, is None, which keeps the value finite. What names no place (not an index, or
    one outside the list) is None, or itself when `outside_as_is`."""
    read: dict[int, object] = {}
    reading: set[int] = set()

    def at(index: object, depth: int) -> object:
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(values):
            return index if outside_as_is else None
        if index in read:
            return read[index]
        if index in reading or depth > STATE_DEPTH_MAX:
            return None
        reading.add(index)
        value = node(values[index], lambda other: at(other, depth + 1))
        reading.discard(index)
        read[index] = value
        return value

    return at(0, 0)


# React Router 7's loader data (and Remix's single fetch), turbo-stream, handed to the page's scripts as JavaScript
# strings (`window.__reactRouterContext.streamController.enqueue("[{\"_1\":2},\"loaderData\",...]\n")`). The
# first line of the joined strings is the data: a flat list whose first item is the root, each object's keys and
# values places in the list (`{"_7": 8}`: the key at 7, its value at 8), a negative place a constant (undefined,
# null, NaN), and a typed value a list after its type (a Date `["D", milliseconds]`, a URL `["U", "..."]`).
TURBO_ENQUEUE = re.compile(r"(?<![\w$])streamController\.enqueue\(\s*")


def turbo_stream(data: str) -> object:
    """The value of turbo-stream's first line as plain values: dates as ISO 8601; None when it is not one."""
    values = _json(data.split("\n", 1)[0])
    if not isinstance(values, list) or not values:
        return None
    return _flat(values, _turbo_value)


def _turbo_value(value: object, at) -> object:
    if isinstance(value, dict):
        return {key: at(place) for name, place in value.items() if isinstance(key := at(_turbo_place(name)), str)}
    if isinstance(value, list) and value and isinstance(value[0], str):
        kind = value[0]
        if kind == "D" and len(value) == 2 and isinstance(value[1], int | float):
            return _iso_from_milliseconds(value[1])
        if kind == "U" and len(value) == 2:
            return value[1]
        if kind == "N" and len(value) == 2:
            return _turbo_value(value[1], at)
        return None  # a promise, a map, a set, an error, ...: no story's field by name
    if isinstance(value, list):
        return [at(place) for place in value]
    return value


def _turbo_place(name: str) -> int | None:
    """The place of an object's key in turbo-stream's list: "_7" is 7."""
    return int(name[1:]) if name[:1] == "_" and name[1:].isdigit() else None


def _iso_from_milliseconds(milliseconds: float) -> str | None:
    try:
        stamp = datetime.fromtimestamp(milliseconds / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z")


# Astro's island props (`<astro-island props="...">`): JSON of an object whose every value is [type, value]: 0 a plain
# value or an object of such pairs, 1 an array of them (before Astro 3 as a JSON string), 3 a Date and 7 a URL as
# strings; the others (RegExp, Map, Set, BigInt, typed arrays) hold no story's field by name.
ASTRO_PLAIN, ASTRO_ARRAY, ASTRO_DATE, ASTRO_URL = 0, 1, 3, 7


def astro_props(props: object) -> object:
    """An island's props as plain values; None when they are not an object."""
    if not isinstance(props, dict):
        return None
    return {key: _astro_value(value, 1) for key, value in props.items()}


def _astro_value(pair: object, depth: int) -> object:
    if depth > STATE_DEPTH_MAX or not isinstance(pair, list) or not pair:
        return None
    kind, value = pair[0], pair[1] if len(pair) > 1 else None
    if kind == ASTRO_PLAIN:
        return {k: _astro_value(v, depth + 1) for k, v in value.items()} if isinstance(value, dict) else value
    if kind == ASTRO_ARRAY:
        items = _json(value) if isinstance(value, str) else value
        return [_astro_value(item, depth + 1) for item in items] if isinstance(items, list) else None
    if kind in (ASTRO_DATE, ASTRO_URL) and isinstance(value, str):
        return value
    return None


# Qwik's paused state (`<script type="qwik/json">`): its "objs" a flat list, each object's or array's values places in
# it written in base 36 ("c" is 12; a "!" or "~" after one marks a promise or a store), a special value a string after
# a control character (a Date "\u0006" and its ISO string, undefined "\u0001", a function's reference "\u0002").
QWIK_DATE = "\u0006"


def qwik_state(state: object) -> object:
    """All of a Qwik page's objects, as plain values; None when the state holds none."""
    objs = state.get("objs") if isinstance(state, dict) else None
    if not isinstance(objs, list) or not objs:
        return None
    places = list(range(min(len(objs), STATE_OBJECTS_MAX)))
    return _flat([places, *objs], lambda value, at: _qwik_value(value, at, shift=1))


def _qwik_value(value: object, at, shift: int) -> object:
    """One of Qwik's objs as a plain value (`shift` places the list of them all at 0, before Qwik's own)."""
    if isinstance(value, dict):
        return {key: at(_qwik_place(ref, shift)) for key, ref in value.items()}
    if isinstance(value, list):
        return [at(_qwik_place(ref, shift)) for ref in value]
    if isinstance(value, str) and value[:1] == QWIK_DATE:
        return value[1:]
    if isinstance(value, str) and value[:1] and ord(value[0]) < 0x20:
        return None
    return value


def _qwik_place(ref: object, shift: int) -> int | None:
    """A place Qwik names in base 36 ("c", "1a!"), as a place of the shifted list."""
    if isinstance(ref, int) and not isinstance(ref, bool):
        return ref + shift
    if not isinstance(ref, str):
        return None
    try:
        return int(ref.rstrip("!~"), 36) + shift
    except ValueError:
        return None
