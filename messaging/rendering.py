"""The template language of messages: Django's, cut down to variables, `if` and a few
filters, checked before it is saved, and rendered with plain strings only.

A manager writes these, so a template may not load libraries, include files or reach
into objects: the context holds strings (messaging.variables), the validation refuses
any other tag, any variable the rule does not list and any filter not listed here.
"""

import math
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache

from django.template import Context, Engine, Node, Template, TemplateSyntaxError
from django.template.base import FilterExpression, TextNode, VariableNode
from django.template.defaulttags import IfNode
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from messaging.variables import VARIABLES

ENGINE = Engine(autoescape=False)
FILTERS = frozenset({"default", "upper", "lower", "truncatechars"})
#: The providers' limit for one SMS, signature included (Alibaba Cloud and Tencent
#: Cloud both take up to 500 characters, sent as several joined segments).
SMS_MAX_CHARS = 500
#: One segment holds 70 characters; a longer text is cut into segments of 67 (each
#: carries a header that joins them), counted the same for Chinese and Latin text.
SEGMENT_CHARS = 70
LONG_SEGMENT_CHARS = 67
#: What is left of a tag typed half: Django would print it as text.
BRACES = ("{{", "}}", "{%", "%}")
#: An email subject or in-app title.
SUBJECT_MAX_CHARS = 200


class TemplateProblem(ValueError):
    """A template that may not be saved, and why (in the reader's language)."""


def render(text: str, context: Mapping[str, str]) -> str:
    return _compiled(text).render(Context(dict(context), autoescape=False)).strip()


@lru_cache(maxsize=512)
def _compiled(text: str) -> Template:
    """A template compiled once: a sweep renders the same few texts thousands of times
    (a compiled Django template may be rendered again with any context)."""
    return ENGINE.from_string(text)


def signed(text: str, *, signature: str) -> str:
    """An SMS as it goes out: the agency's signature 【…】 first, as the carriers require."""
    return f"【{signature}】{text}"


def segments(text: str) -> int:
    """How many SMS segments `text` is sent as."""
    if len(text) <= SEGMENT_CHARS:
        return 1
    return math.ceil(len(text) / LONG_SEGMENT_CHARS)


def as_html(text: str) -> str:
    """An email's HTML part from its rendered text: escaped, paragraphs kept."""
    return linebreaks(escape(text))


def check(text: str, *, allowed: Iterable[str], required: bool = True) -> None:
    """Raise TemplateProblem unless `text` compiles and uses only `allowed` variables,
    `if` and the listed filters."""
    if not text.strip():
        if required:
            raise TemplateProblem(_("The text is empty."))
        return
    try:
        template = ENGINE.from_string(text)
    except TemplateSyntaxError as error:
        message = _("The template does not read: %(error)s") % {"error": error}
        raise TemplateProblem(message) from error
    allowed = set(allowed)
    for expression in _expressions(template.nodelist):
        _check_expression(expression, allowed)


def _expressions(nodes: Iterable[Node]) -> Iterator[FilterExpression]:
    for node in nodes:
        if isinstance(node, TextNode):
            if any(mark in node.s for mark in BRACES):
                raise TemplateProblem(
                    _("A {{ … }} or {%% … %%} is not closed: “%(text)s”.") % {"text": node.s}
                )
            continue
        if isinstance(node, VariableNode):
            yield node.filter_expression
        elif isinstance(node, IfNode):
            for condition, branch in node.conditions_nodelists:
                if condition is not None:
                    yield from _condition_expressions(condition)
                yield from _expressions(branch)
        else:
            raise TemplateProblem(
                _("Only variables and {%% if %%} may be used here, not “%(tag)s”.")
                % {"tag": node.token.contents.split()[0] if node.token else type(node).__name__}
            )


def _condition_expressions(condition: object) -> Iterator[FilterExpression]:
    """The variables an `if` condition reads (its operands, however nested)."""
    value = getattr(condition, "value", None)
    if isinstance(value, FilterExpression):
        yield value
    for side in ("first", "second"):
        operand = getattr(condition, side, None)
        if operand is not None:
            yield from _condition_expressions(operand)


def _check_expression(expression: FilterExpression, allowed: set[str]) -> None:
    lookups = getattr(expression.var, "lookups", None)
    if lookups is not None:
        name = lookups[0]
        if name not in allowed or len(lookups) > 1:
            known = ", ".join(sorted(allowed))
            raise TemplateProblem(
                _("Unknown variable “%(name)s”: this message may use %(known)s.")
                % {"name": ".".join(lookups), "known": known}
            )
    for function, _args in expression.filters:
        name = getattr(function, "_filter_name", function.__name__)
        if name not in FILTERS:
            raise TemplateProblem(
                _("The filter “%(name)s” may not be used; these may: %(allowed)s.")
                % {"name": name, "allowed": ", ".join(sorted(FILTERS))}
            )


def samples(names: Iterable[str]) -> dict[str, str]:
    """The sample value of each variable: what a preview without an example shows."""
    return {name: VARIABLES[name].sample for name in names}
