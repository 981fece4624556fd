"""Safe YAML loading with limits and a map from each value's path to its line and column.

Only ``yaml.SafeLoader`` constructors run (no Python tags, no eval). Aliases,
nesting depth and file size are bounded (see :class:`YamlLimits`) so a
"billion laughs" file or a deeply nested one fails fast with a clear error.
Nesting is measured on the event stream, before PyYAML's recursive composer
runs, so depth never turns into a RecursionError. A key repeated in one
mapping is an error (PyYAML would silently keep the last value), also when two
spellings make one key (``yes:`` and ``true:``, ``1:`` and ``1.0:``, ``1:`` and ``"1":``),
and so is a ``.nan`` or ``.inf`` (a NaN threshold would make a rule silently never fire),
a number written with more than :data:`MAX_NUMBER_CHARS` characters (Python refuses to
read an integer of more than 4,300 digits, and no threshold needs one of 65), and text that
is not valid Unicode (a lone surrogate such as ``"\\ud800"`` cannot be written out; a pair of
escaped halves, as JSON writes a character beyond U+FFFF, is joined into one). Dates
stay strings: the rule schema says what a date looks like.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import yaml

from ..errors import RuleSetError, Text, quote

Path_ = tuple[Any, ...]

_FLOAT = "tag:yaml.org,2002:float"
_INT = "tag:yaml.org,2002:int"
_MERGE = "tag:yaml.org,2002:merge"
_NOT_FINITE = re.compile(r"^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$")
_SURROGATE = re.compile("[\ud800-\udfff]")

MAX_NUMBER_CHARS = 64
"""The longest number a rule file may write (characters, sign and digits)."""


@dataclass(frozen=True)
class YamlLimits:
    """Bounds on a rule file: bytes, alias uses, nesting depth, and values once aliases are expanded."""

    max_bytes: int = 1_048_576
    max_aliases: int = 100
    max_depth: int = 64
    max_nodes: int = 200_000


class _Loader(yaml.SafeLoader):
    pass


# Keep dates as text: remove the implicit timestamp resolver.
_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(
    text: str, *, file: str, limits: YamlLimits | None = None
) -> tuple[Any, dict[Path_, tuple[int, int]]]:
    """Parse one YAML document; return the data and ``{path: (line, column)}`` (1-based)."""
    limits = limits or YamlLimits()
    if len(text.encode("utf-8", "surrogatepass")) > limits.max_bytes:
        raise RuleSetError(
            Text("yaml.rule_file_larger_than", max_bytes=limits.max_bytes),
            file=file,
            hint=Text("yaml.raise_limit_split_file_hint"),
        )
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        raise RuleSetError(
            Text("yaml.not_valid_yaml_character", character=exc.character),
            file=file,
            line=before.count("\n") + 1,
            column=len(before) - (before.rfind("\n") + 1) + 1,
            hint=Text("yaml.remove_control_characters_from_hint"),
        ) from None
    try:
        aliases = 0
        depth = 0
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > limits.max_depth:
                    mark = event.start_mark
                    raise _error_at(
                        mark,
                        Text("yaml.nested_deeper_than_levels", max_depth=limits.max_depth),
                        file,
                        hint=Text("yaml.flatten_document_raise_depth_hint"),
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > limits.max_aliases:
                    mark = event.start_mark
                    raise _error_at(
                        mark,
                        Text("yaml.more_than_yaml_aliases", max_aliases=limits.max_aliases),
                        file,
                        hint=Text("yaml.write_values_out_raise_hint"),
                    )
        loader.dispose()
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            raise RuleSetError(
                Text("yaml.rule_file_empty"), file=file, hint=Text("yaml.start_schema_atribut_rules_hint")
            )
        marks: dict[Path_, tuple[int, int]] = {}
        _walk(node, (), marks, 0, limits, file, set(), [0], loader)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise RuleSetError(
            Text("yaml.not_valid_yaml", value=exc.problem or exc.context),
            file=file,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise RuleSetError(Text("yaml.not_valid_yaml_2", exc=exc), file=file) from None
    except RecursionError:
        raise RuleSetError(Text("yaml.yaml_nested_too_deeply"), file=file) from None
    finally:
        loader.dispose()
    return data, marks


def _walk(
    node: yaml.Node,
    path: Path_,
    marks: dict,
    depth: int,
    limits: YamlLimits,
    file: str,
    stack: set,
    count: list[int],
    loader: _Loader,
) -> None:
    count[0] += 1
    if count[0] > limits.max_nodes:
        raise _error_at(
            node.start_mark,
            Text("yaml.expands_more_than_values", max_nodes=limits.max_nodes),
            file,
        )
    if depth > limits.max_depth:
        raise _error_at(
            node.start_mark, Text("yaml.nested_deeper_than_levels", max_depth=limits.max_depth), file
        )
    marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if id(node) in stack:
        raise _error_at(node.start_mark, Text("yaml.yaml_alias_refers_itself"), file)
    if isinstance(node, yaml.ScalarNode):
        _check_scalar(node, file)
    if isinstance(node, yaml.MappingNode):
        stack = stack | {id(node)}
        keys: dict[Any, yaml.ScalarNode] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is not None and key_node.tag != _MERGE:
                _check_scalar(key_node, file)
                value, identities = _key_identities(loader, key_node)
                for same in identities:
                    if same in keys:
                        first = keys[same]
                        also: Text | str = ""
                        if (first.value, first.tag) != (key, key_node.tag):
                            also = Text(
                                "yaml.one_key_once_read", first=_spelled(first), key=_spelled(key_node)
                            )
                        raise _error_at(
                            key_node.start_mark,
                            Text("yaml.duplicate_key_one_mapping", key=quote(key), also=also),
                            file,
                            hint=Text("yaml.yaml_would_keep_only_hint"),
                        )
                for same in identities:
                    keys[same] = key_node
                key = value  # the path of a value is made of keys as the document holds them
            marks.setdefault(path + (key,), (key_node.start_mark.line + 1, key_node.start_mark.column + 1))
            _walk(value_node, path + (key,), marks, depth + 1, limits, file, stack, count, loader)
    elif isinstance(node, yaml.SequenceNode):
        stack = stack | {id(node)}
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), marks, depth + 1, limits, file, stack, count, loader)


def _check_scalar(node: yaml.ScalarNode, file: str) -> None:
    """Refuse a scalar that cannot be used: NaN or infinity, an over-long number, invalid Unicode."""
    if node.tag == _FLOAT and _NOT_FINITE.match(node.value):
        raise _error_at(
            node.start_mark,
            Text("yaml.not_finite_number", value=node.value),
            file,
            hint=Text("yaml.rule_files_hold_finite_hint"),
        )
    if node.tag in (_INT, _FLOAT) and len(node.value) > MAX_NUMBER_CHARS:
        raise _error_at(
            node.start_mark,
            Text(
                "yaml.number_written_characters_too",
                length=len(node.value),
                max_number_chars=MAX_NUMBER_CHARS,
            ),
            file,
            hint=Text("yaml.no_distance_size_count_hint"),
        )
    found = _SURROGATE.search(node.value)
    if found:
        try:  # "\ud83d\ude00", as JSON writes U+1F600, is one character (PyYAML keeps two halves)
            node.value = node.value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
        except UnicodeDecodeError:
            raise _error_at(
                node.start_mark,
                Text("yaml.not_valid_unicode_text", ord=ord(found.group()), value=quote(node.value)),
                file,
                hint=Text("yaml.ud800_udfff_escape_half_hint"),
            ) from None


def _spelled(node: yaml.ScalarNode) -> str:
    """A key as written, saying whether YAML reads it as text or as something else."""
    kind = node.tag.rsplit(":", 1)[-1]
    return f"{quote(node.value)} ({'text' if kind == 'str' else kind})"


def _key_identities(loader: _Loader, key_node: yaml.ScalarNode) -> tuple[Any, tuple[Any, ...]]:
    """A scalar key as the document will hold it, and what makes two keys one: their value
    (``yes`` and ``true`` are both True, ``1`` and ``1.0`` one number) and their text as JSON
    writes a key (``1`` and ``"1"`` are both "1")."""
    value = loader.construct_object(key_node)
    if isinstance(value, bool) or value is None:
        text = json.dumps(value)
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    try:
        hash(value)
    except TypeError:  # pragma: no cover - scalars are hashable
        return key_node.value, (("text", text),)
    return value, (("value", value), ("text", text))


def position(marks: dict[Path_, tuple[int, int]], path: Path_) -> tuple[int | None, int | None]:
    """(line, column) of the value at ``path``, or of its nearest parent that has one."""
    p = tuple(path)
    while p not in marks and p:
        p = p[:-1]
    return marks.get(p, (None, None))


def _error_at(mark: yaml.Mark, message: Text, file: str, hint: Text | None = None) -> RuleSetError:
    """A rule-file error at a YAML mark (PyYAML counts lines and columns from 0)."""
    return RuleSetError(message, file=file, line=mark.line + 1, column=mark.column + 1, hint=hint)
