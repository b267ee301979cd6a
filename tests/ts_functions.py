"""The functions of a TypeScript source and the lines each spans, for the layout test's 80-line rule.

A small tokenizer (comments, strings, template literals with their ``${...}`` parts, regular
expression literals) and a matcher of brackets find every function declaration or expression,
method, constructor, accessor and arrow function (a block body or an expression one) without Node.
A function spans its first line (its name, or its parameters for an arrow function) to its last, as
the Python rule counts a ``def`` to its end; nested functions count inside the function that holds
them too. ``js/src`` is formatted by Biome, which this relies on only for semicolons (no statement
ends at a line break alone).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PUNCT = ("===", "!==", "...", "=>", "==", "!=", "&&", "||", "??", "?.", "++", "--")
"""Operators read as one token. ``<`` and ``>`` stay single, so that ``Map<a, Set<b>>`` nests."""
_NAME = re.compile(r"[A-Za-z_$#][\w$]*")
_NUMBER = re.compile(r"\d[\w.]*|\.\d[\w]*")
_REGEX_AFTER = {"return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "yield"}
_REGEX_AFTER |= {"instanceof", "await"}
_NOT_FUNCTIONS = {"if", "for", "while", "switch", "catch", "with", "return", "typeof", "await", "new", "super"}
"""Names followed by a parenthesised group and a block that are no function (``if (x) {``)."""
_TYPE_TAIL = {"|", "&", ".", "?", "<", ">", "=>", ",", "[", "]", "keyof", "typeof", "readonly", "is", "infer"}
"""Tokens a return type is made of besides names, strings, numbers and bracketed groups."""
_TYPE_OPENERS = {":", "|", "&", "<", ",", "(", "[", "=>"}
"""Tokens after which ``{`` opens an object type, not a block."""
_DECLARATIONS = {"class", "interface", "extends", "implements"}
"""Names that start a class's or an interface's block, never a function's return type."""
_CLOSERS = {")": "(", "]": "[", "}": "{"}


@dataclass(frozen=True)
class Token:
    """One token: its text (a string or template literal's text is left out), kind and line (from 1)."""

    text: str
    kind: str
    """``name``, ``number``, ``string``, ``regex`` or ``punct``."""
    line: int


@dataclass(frozen=True)
class Function:
    """A function found in a source: its name (``<arrow>`` for an unnamed arrow function) and lines."""

    name: str
    start: int
    end: int

    @property
    def lines(self) -> int:
        """How many lines it spans, its first and last included."""
        return self.end - self.start + 1


class _Scanner:
    """Turns TypeScript source text into tokens."""

    def __init__(self, text: str) -> None:
        self.text, self.i, self.line = text, 0, 1
        self.tokens: list[Token] = []
        self.braces: list[str] = []  # "{" for a block or object, "${" for a template literal's part

    def run(self) -> list[Token]:
        """All the tokens, in order."""
        text = self.text
        while self.i < len(text):
            c = text[self.i]
            if c == "\n":
                self.line += 1
                self.i += 1
            elif c.isspace():
                self.i += 1
            elif text.startswith("//", self.i):
                end = text.find("\n", self.i)
                self.i = len(text) if end < 0 else end
            elif text.startswith("/*", self.i):
                self._skip_to(text.index("*/", self.i + 2) + 2)
            elif c in "'\"":
                self._quoted(c)
            elif c == "`":
                self.i += 1
                self._template()
            elif c == "/" and self._regex_may_start():
                self._regex()
            elif c == "}" and self.braces and self.braces[-1] == "${":
                self.braces.pop()
                self.i += 1
                self._template()
            else:
                self._plain(c)
        return self.tokens

    def _skip_to(self, end: int) -> None:
        self.line += self.text.count("\n", self.i, end)
        self.i = end

    def _emit(self, text: str, kind: str, line: int) -> None:
        self.tokens.append(Token(text, kind, line))

    def _quoted(self, quote: str) -> None:
        j = self.i + 1
        while self.text[j] != quote:
            j += 2 if self.text[j] == "\\" else 1
        self._emit(quote, "string", self.line)
        self._skip_to(j + 1)

    def _template(self) -> None:
        """Read a template literal's text from ``self.i`` to its end or to its next ``${``."""
        start_line, j = self.line, self.i
        while self.text[j] != "`" and not self.text.startswith("${", j):
            j += 2 if self.text[j] == "\\" else 1
        self._emit("`", "string", start_line)
        if self.text[j] == "`":
            self._skip_to(j + 1)
        else:
            self.braces.append("${")
            self._skip_to(j + 2)

    def _regex_may_start(self) -> bool:
        if not self.tokens:
            return True
        last = self.tokens[-1]
        if last.kind == "name":
            return last.text in _REGEX_AFTER
        return last.kind == "punct" and last.text not in (")", "]")

    def _regex(self) -> None:
        j, in_class = self.i + 1, False
        while in_class or self.text[j] != "/":
            if self.text[j] == "\\":
                j += 1
            elif self.text[j] == "[":
                in_class = True
            elif self.text[j] == "]":
                in_class = False
            j += 1
        match = _NAME.match(self.text, j + 1)  # the flags
        self._emit("/", "regex", self.line)
        self._skip_to(match.end() if match else j + 1)

    def _plain(self, c: str) -> None:
        for kind, pattern in (("name", _NAME), ("number", _NUMBER)):
            match = pattern.match(self.text, self.i)
            if match:
                self._emit(match.group(), kind, self.line)
                self.i = match.end()
                return
        text = next((p for p in _PUNCT if self.text.startswith(p, self.i)), c)
        if text == "{":
            self.braces.append("{")
        elif text == "}" and self.braces:
            self.braces.pop()
        self._emit(text, "punct", self.line)
        self.i += len(text)


def tokens(text: str) -> list[Token]:
    """The tokens of TypeScript source ``text``."""
    return _Scanner(text).run()


def _pairs(toks: list[Token]) -> dict[int, int]:
    """Each bracket's partner, both ways, by token index."""
    stack: list[int] = []
    pairs: dict[int, int] = {}
    for i, t in enumerate(toks):
        if t.kind != "punct":
            continue
        if t.text in "([{":
            stack.append(i)
        elif t.text in _CLOSERS and stack and toks[stack[-1]].text == _CLOSERS[t.text]:
            j = stack.pop()
            pairs[i], pairs[j] = j, i
    return pairs


class _Finder:
    """Finds the functions among a source's tokens."""

    def __init__(self, toks: list[Token]) -> None:
        self.toks, self.pairs = toks, _pairs(toks)

    def text(self, i: int) -> str:
        """Token ``i``'s text; empty past either end."""
        return self.toks[i].text if 0 <= i < len(self.toks) else ""

    def functions(self) -> list[Function]:
        """Every function, outer ones before those they hold."""
        found: list[Function] = []
        for i, t in enumerate(self.toks):
            if t.kind != "punct":
                continue
            if t.text == "=>":
                head = self._parameters_before(i)
                if not self._function_type(head):
                    found.append(self._arrow(i, head))
            elif t.text == "{" and self.text(i - 1) not in _TYPE_OPENERS and self.text(i - 1) != "=>":
                function = self._block_function(i)
                if function is not None:
                    found.append(function)
        return sorted(found, key=lambda f: (f.start, -f.end))

    def _arrow(self, i: int, head: int) -> Function:
        """The arrow function whose ``=>`` is token ``i`` and whose parameters start at token ``head``."""
        start = self.toks[head].line
        return Function(self._arrow_name(head), start, self.toks[self._body_end(i + 1)].line)

    def _parameters_before(self, i: int) -> int:
        """The first token of the parameters of the arrow at token ``i`` (``x`` or ``(``)."""
        j = i - 1
        if self.text(j) == ")":
            return self.pairs.get(j, j)
        if self.toks[j].kind == "name" and self.text(j - 1) not in _TYPE_TAIL | {":"}:
            return j
        close = self._return_type_start(j)
        return j if close is None else self.pairs.get(close, close)

    def _function_type(self, head: int) -> bool:
        """Whether the ``=>`` whose parameters start at token ``head`` writes a function's type, not a
        function: after ``<``, ``|``, ``&``, ``as`` and the like, as a return type (``(): () => void``) or
        optional member's type (``f?: () => void``), a type alias, or among type arguments (``Map<K, () => V>``).

        A function type given to a named parameter or member (``f: () => void``) is not told from an
        arrow function: it counts as a function of its own lines, short as such types are.
        """
        before = self.text(head - 1)
        if before in ("<", "|", "&", "as", "satisfies", "extends", "keyof"):
            return True
        if before == ":":
            return self.text(head - 2) in (")", "?")
        if before == "=" and self.text(head - 3) == "type":
            return True
        j = head - 1
        while j > 0 and (self.toks[j].kind in ("name", "string", "number") or self.text(j) in (",", ".", "|", "&")):
            j -= 1
            if self.text(j) in _CLOSERS and j in self.pairs:
                j = self.pairs[j] - 1
        return self.text(j) == "<" and j < head - 1

    def _arrow_name(self, head: int) -> str:
        """The name an unnamed function starting at token ``head`` is given (``const f = () => ...``)."""
        if head >= 2 and self.text(head - 1) in ("=", ":") and self.toks[head - 2].kind == "name":
            return self.toks[head - 2].text
        return "<arrow>"

    def _body_end(self, i: int) -> int:
        """The last token of the body starting at token ``i``: a block, or an expression that ends at a
        ``,`` or ``;`` or at the bracket that holds it."""
        if self.text(i) == "{":
            return self.pairs[i]
        j = i - 1
        while j + 1 < len(self.toks):
            nxt = self.toks[j + 1]
            if nxt.kind == "punct" and (nxt.text in (",", ";") or nxt.text in _CLOSERS):
                break
            if nxt.text == "{" and j >= i and (self.toks[j].kind != "punct" or self.text(j) in (")", "]", ">")):
                break  # no expression goes on with a block: this ``=>`` was a type's
            j = self.pairs.get(j + 1, j + 1) if nxt.kind == "punct" and nxt.text in "([{" else j + 1
        return max(j, i)

    def _return_type_start(self, j: int) -> int | None:
        """Scanning back from token ``j`` over a return type, the ``)`` before its ``:``; None when the
        tokens are not one (then there is no function here)."""
        depth = 0
        while j > 0:
            t = self.toks[j]
            if t.text == ":" and depth == 0:
                return j - 1 if self.text(j - 1) == ")" else None
            if t.text in _CLOSERS and t.kind == "punct":
                opener = self.pairs.get(j)
                if opener is None or (t.text == "}" and self.text(opener - 1) not in _TYPE_OPENERS):
                    return None
                j = opener
            elif t.text == ">":
                depth += 1
            elif t.text == "<":
                depth -= 1
            elif (t.kind == "punct" and t.text not in _TYPE_TAIL) or (depth == 0 and t.text in _DECLARATIONS):
                return None
            j -= 1
        return None

    def _block_function(self, i: int) -> Function | None:
        """The function whose body is the block opened by token ``i``, or None for any other block."""
        close = i - 1 if self.text(i - 1) == ")" else self._return_type_start(i - 1)
        if close is None or close not in self.pairs:
            return None
        name_at = self.pairs[close] - 1
        if self.text(name_at) == ">":  # type parameters: name<T>(...)
            depth = 0
            while name_at > 0:
                depth += {">": 1, "<": -1}.get(self.text(name_at), 0)
                name_at -= 1
                if depth == 0:
                    break
        name = self.toks[name_at]
        if name.kind != "name" or name.text in _NOT_FUNCTIONS:
            return None
        if name.text == "function":
            return Function(self._arrow_name(name_at), name.line, self.toks[self.pairs[i]].line)
        return Function(name.text, name.line, self.toks[self.pairs[i]].line)


def functions(text: str) -> list[Function]:
    """Every function in TypeScript source ``text``, in the order they start."""
    return _Finder(tokens(text)).functions()
