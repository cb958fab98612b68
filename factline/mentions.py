"""Date mentions: the date expressions of a passage, resolved against its source's publication date.

Finding is one left-to-right pass of one regular expression per language, built from dateparser's
language data (month and weekday names, relative phrases such as "last year", units and number words),
so no month table is written here; what is found is parsed by dateparser. English adds a few phrases
dateparser does not read ("earlier this month", "the end of the year", "last weekend", "decade-long").
Each resolution carries its reasoning in words. A relative or yearless expression resolves against the
publication date only as far as that date is known: a weekday against a month is said to be too coarse,
and an approximate date ("c. June 2023") counts as one unit either way.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from dataclasses import dataclass, replace

import dateparser
from dateparser.languages.loader import default_loader

from factline import dates

# The work per passage is bounded: a passage is scanned once, and at most this many expressions are parsed.
MAX_MENTIONS = 100
UNITS = ("year", "month", "week", "day")
DURATION_UNITS = (*UNITS, "decade", "century")
# What a relative expression needs of the publication date to resolve: "last year" a year, "on Friday" a day.
NEEDS = {"year": dates.YEAR, "month": dates.MONTH, "week": dates.DAY, "day": dates.DAY, "weekday": dates.DAY}
RANK = {dates.YEAR: 1, dates.MONTH: 2, dates.DAY: 3}
WEEKDAY_KEYS = [name.lower() for name in calendar.day_name]
MONTH_KEYS = [name.lower() for name in calendar.month_name if name]

# English phrasing dateparser does not read. Small and grammatical, never a list of dates.
ENGLISH_LEADS = r"(?:(?:for|over|within|nearly|almost|about|some|more\s+than|less\s+than)\s+){0,3}"
ENGLISH_COUNTS = r"another|the\s+past|several|a\s+few"
DEADLINE = re.compile(r"(?<!\w)by\s+\Z", re.I)
FUTURE_CUES = re.compile(
    r"\b(?:will|shall|set\s+to|is\s+to|are\s+to|due\s+to|scheduled|expected\s+to|plans?\s+to)\b", re.I
)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    value: datetime.date | None
    precision: str
    approximate: bool
    kind: str
    reason: str

    @property
    def value_iso(self) -> str | None:
        return dates.to_iso(self.value, self.precision) if self.value else None


@dataclass(frozen=True)
class Vocabulary:
    """What one language's dateparser data gives the finder."""

    locale: str
    date_order: str
    months: dict[str, int]
    full_months: frozenset[str]
    weekdays: dict[str, int]
    relative: dict[str, tuple[str, int]]  # phrase → (unit, offset); unit "weekday:4" for "last friday"
    units: dict[str, str]
    numbers: dict[str, int]
    english: bool
    pattern: re.Pattern[str]


def _alternation(words) -> str:
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True)) or r"(?!x)x"


def _locale(language: str):
    for code in (language, language.split("-")[0], "en"):
        try:
            return default_loader.get_locale(code)
        except ValueError:
            continue
    raise ValueError(language)  # pragma: no cover: English is always there


@functools.lru_cache(maxsize=32)
def vocabulary(language: str) -> Vocabulary:
    """The finder of `language` (a code such as "en", "fr" or "en-GB"); unknown languages read as English."""
    locale = _locale(language or "en")
    info = locale.info
    english = locale.shortname.split("-")[0] == "en"

    def forms(key: str) -> list[str]:
        return [form.lower().rstrip(".") for form in info.get(key, []) if isinstance(form, str)]

    months = {form: number for number, key in enumerate(MONTH_KEYS, 1) for form in forms(key) if len(form) >= 3}
    full = frozenset(max(forms(key), key=len) for key in MONTH_KEYS if forms(key))
    weekdays = {max(forms(key), key=len): number for number, key in enumerate(WEEKDAY_KEYS) if forms(key)}
    relative: dict[str, tuple[str, int]] = {}
    for key, phrases in info.get("relative-type", {}).items():
        if m := re.fullmatch(r"(in )?(\d+) (year|month|week|day)( ago)?", key):
            offset = int(m[2]) * (-1 if m[4] else 1)
            value = (m[3], offset)
        elif (m := re.fullmatch(r"(last|this|next) (\w+)", key)) and m[2] in WEEKDAY_KEYS:
            value = (f"weekday:{WEEKDAY_KEYS.index(m[2])}", {"last": -1, "this": 0, "next": 1}[m[1]])
        else:
            continue
        for phrase in phrases:
            relative[phrase.lower()] = value
    units = {form: unit for unit in DURATION_UNITS for form in forms(unit) if len(form) >= 3 and form.isalpha()}
    numbers = {}
    for rule in info.get("simplifications", []):
        for word, digits in rule.items():
            if re.fullmatch(r"[^\W\d_]+", word) and str(digits).isdigit():
                numbers[word.lower()] = int(digits)
    if english:
        relative.update({"the year": ("year", 0), "the month": ("month", 0)})
        relative.update({f"{w} weekend": ("weekend", o) for w, o in (("last", -1), ("this", 0), ("next", 1))})
    pattern = _pattern(months, weekdays, relative, units, numbers, english)
    return Vocabulary(
        locale.shortname,
        info.get("date_order", "DMY"),
        months,
        full,
        weekdays,
        relative,
        units,
        numbers,
        english,
        pattern,
    )


def _pattern(months, weekdays, relative, units, numbers, english: bool) -> re.Pattern[str]:
    month = _alternation(months)
    number = rf"\d{{1,3}}|{_alternation(numbers)}"
    unit = _alternation(units)
    day = r"(?:st|nd|rd|th|er|e)?"
    lead = ENGLISH_LEADS if english else ""
    counts = f"{ENGLISH_COUNTS}|" if english else ""
    prefix = (
        r"(?:(?P<mod>earlier|later|early|late)\s+|(?P<part>the\s+(?:end|beginning|start)\s+of)\s+)?" if english else ""
    )
    on = r"(?:(?P<on>on)\s+)?" if english else ""
    parts = [
        r"(?P<numeric>(?<![\d/.])\d{1,2}[/.]\d{1,2}[/.]\d{4}(?![\d/]|\.\d))",
        r"(?P<iso>(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-]))",
        rf"(?P<mdy>(?P<m1>{month})\.?\s+(?P<d1>\d{{1,2}}){day}(?:,?\s+(?P<y1>\d{{4}}))?(?![\d,]\d))",
        rf"(?P<dmy>(?<![\d,.])(?P<d2>\d{{1,2}}){day}\s+(?:of\s+)?(?P<m2>{month})\.?(?:,?\s+(?P<y2>\d{{4}}))?)",
        rf"(?P<my>(?P<m3>{month})\.?,?\s+(?P<y3>\d{{4}}))",
        rf"(?P<ago>(?P<agon>{number})\s+(?P<agou>{unit})\s+ago)",
        rf"(?P<rel>{prefix}(?P<phrase>{_alternation(relative)}))",
        rf"(?P<dur>{lead}(?:(?P<durn>{counts}{number})\s+)(?P<duru>{unit})(?:\s+(?P<durrel>after|before|later|earlier))?)",
        rf"(?P<long>(?:(?:{number})-)?(?P<longu>{unit})-long)" if english else r"(?P<long>(?!x)x)",
        rf"(?P<wd>{on}(?P<wdname>{_alternation(weekdays)}))",
        rf"(?P<month>{month})",
        r"(?P<year>(?<![\d,.$€£#/])(?:1[89]\d\d|20\d\d)(?![\d%]|[,.]\d|-\d\d-))",
    ]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


# -- the publication date a passage's relative dates count from --


@dataclass(frozen=True)
class Anchor:
    date: dates.PartialDate | None

    @property
    def text(self) -> str:
        return self.date.display() if self.date else "no known date"

    def ends(self) -> tuple[datetime.date, datetime.date]:
        """The first and last day the publication may fall on; an approximate date counts one unit either way."""
        assert self.date is not None
        first, last = self.date.date, self.date.last_day()
        if self.date.approximate:
            if self.date.precision == dates.YEAR:
                first, last = first.replace(year=first.year - 1), last.replace(year=last.year + 1)
            elif self.date.precision == dates.MONTH:
                first = _add_months(first, -1)
                last = dates.last_day(_add_months(last.replace(day=1), 1), dates.MONTH)
            else:
                first, last = first - datetime.timedelta(days=1), last + datetime.timedelta(days=1)
        return first, last

    def nominal(self) -> datetime.date:
        assert self.date is not None
        return self.date.date


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1, day=1)


# -- finding --


def find(text: str, *, language: str = "en", published: dates.PartialDate | None = None) -> list[Mention]:
    """Every date expression of `text`, resolved against `published`, in order of appearance."""
    vocab = vocabulary(language)
    anchor = Anchor(published)
    found: list[Mention] = []
    for match in vocab.pattern.finditer(text):
        mention = _resolve(match, text, vocab, anchor)
        if (
            mention is not None
            and mention.kind != "duration"
            and (by := DEADLINE.search(text, max(0, mention.start - 10), mention.start))
        ):
            # "by December 31" is a deadline: the words say so, and the reasoning too.
            words = text[by.start() : mention.end]
            mention = replace(mention, start=by.start(), text=words, reason=f"A deadline (“{words}”). {mention.reason}")
        if mention is not None:
            found.append(mention)
            if len(found) >= MAX_MENTIONS:
                break
    return _group(found, text, vocab)


def _resolve(match: re.Match[str], text: str, vocab: Vocabulary, anchor: Anchor) -> Mention | None:
    start, end = match.span()
    words = match.group()
    if match["numeric"]:
        return _numeric(start, end, words, vocab)
    if match["iso"]:
        return _absolute(start, end, words, vocab, dates.DAY)
    if match["mdy"] or match["dmy"]:
        year = match["y1"] or match["y2"]
        if year:
            return _absolute(start, end, words, vocab, dates.DAY)
        return _yearless(start, end, words, vocab, anchor, dates.DAY)
    if match["my"]:
        return _absolute(start, end, words, vocab, dates.MONTH)
    if match["month"]:
        # A month name alone must be written as one (capitalised, in full): "May" the month, "may" the verb.
        if not words[0].isupper() or words.lower() not in vocab.full_months:
            return None
        return _yearless(start, end, words, vocab, anchor, dates.MONTH)
    if match["year"]:
        value = datetime.date(int(words), 1, 1)
        return Mention(start, end, words, value, dates.YEAR, False, "absolute", f"“{words}” is a year.")
    if match["dur"] or match["long"]:
        counted = match["durrel"]
        reason = f"“{words}” is a duration: marked, not resolved to a date"
        if counted:
            reason += f" (it counts {counted.lower()} an event the passage names)"
        return Mention(start, end, words, None, "", False, "duration", reason + ".")
    if match["ago"]:
        count = _count(match["agon"], vocab)
        return _relative(start, end, words, vocab, anchor, vocab.units[match["agou"].lower()], -count, text)
    if match["rel"]:
        unit, offset = vocab.relative[" ".join(match["phrase"].lower().split())]
        if match["phrase"].lower() in ("the year", "the month") and not match["part"]:
            return None
        return _relative(start, end, words, vocab, anchor, unit, offset, text, part=match["part"], mod=match["mod"])
    if match["wd"]:
        unit = f"weekday:{vocab.weekdays[match['wdname'].lower()]}"
        return _relative(start, end, words, vocab, anchor, unit, None, text)
    return None  # pragma: no cover


def _count(word: str, vocab: Vocabulary) -> int:
    return int(word) if word.isdigit() else vocab.numbers.get(word.lower(), 1)


def _parse(words: str, vocab: Vocabulary, **settings) -> datetime.date | None:
    settings.setdefault("PREFER_DAY_OF_MONTH", "first")
    parsed = dateparser.parse(words, locales=[vocab.locale], settings=settings)
    return parsed.date() if parsed else None


def _absolute(start: int, end: int, words: str, vocab: Vocabulary, precision: str) -> Mention:
    value = _parse(words, vocab, REQUIRE_PARTS=["year"])
    if value is None:
        return Mention(start, end, words, None, "", False, "absolute", f"“{words}” names no date that exists.")
    value = dates.truncate(value, precision)
    reason = f"“{words}” is a full date: {dates.display(value, precision)}."
    if precision == dates.MONTH:
        reason = f"“{words}” names a month: {dates.display(value, precision)}."
    return Mention(start, end, words, value, precision, False, "absolute", reason)


def _numeric(start: int, end: int, words: str, vocab: Vocabulary) -> Mention:
    first, second = (int(part) for part in re.split(r"[/.]", words)[:2])
    order = vocab.date_order if vocab.date_order in ("DMY", "MDY") else "DMY"
    if first > 12 >= second:
        order, why = "DMY", "the first number is above 12, so it can only be the day"
    elif second > 12 >= first:
        order, why = "MDY", "the second number is above 12, so it can only be the day"
    else:
        why = f"the source's language ({vocab.locale}) writes dates {_order_words(order)}"
    value = _parse(words, vocab, DATE_ORDER=order)
    if value is None:
        return Mention(start, end, words, None, "", False, "absolute", f"“{words}” names no date that exists.")
    reason = f"“{words}” read {_order_words(order)}, as {why}: {dates.display(value, dates.DAY)}"
    other = _parse(words, vocab, DATE_ORDER="MDY" if order == "DMY" else "DMY") if first != second else None
    if other is not None and other != value and first <= 12 and second <= 12:
        reason += (
            f" (read {_order_words('MDY' if order == 'DMY' else 'DMY')} it would be {dates.display(other, dates.DAY)})"
        )
    return Mention(start, end, words, value, dates.DAY, False, "absolute", reason + ".")


def _order_words(order: str) -> str:
    return "day/month" if order == "DMY" else "month/day"


def _yearless(start: int, end: int, words: str, vocab: Vocabulary, anchor: Anchor, precision: str) -> Mention:
    if anchor.date is None:
        return Mention(
            start, end, words, None, "", False, "partial",
            f"“{words}” gives no year, and the source has no publication date to take one from.",
        )  # fmt: skip
    first, last = anchor.ends()
    year = anchor.nominal().year
    value = _parse(f"{words} {year}", vocab)
    if value is None:
        return Mention(start, end, words, None, "", False, "partial", f"“{words}” names no date that exists.")
    value = dates.truncate(value, precision)
    approximate = first.year != last.year
    shown = dates.display(value, precision, approximate)
    reason = (
        f"“{words}” gives no year; news style leaves out the year of writing, so the year of an article "
        f"of {anchor.text}: {shown}"
    )
    if approximate:
        reason += f" (that date could fall in {first.year} to {last.year})"
    return Mention(start, end, words, value, precision, approximate, "partial", reason + ".")


def _relative(
    start: int,
    end: int,
    words: str,
    vocab: Vocabulary,
    anchor: Anchor,
    unit: str,
    offset: int | None,
    text: str,
    *,
    part: str | None = None,
    mod: str | None = None,
) -> Mention:
    needs = NEEDS.get(unit.split(":")[0], dates.DAY)

    def unresolved(why: str) -> Mention:
        return Mention(start, end, words, None, "", False, "relative", f"“{words}” {why}")

    if anchor.date is None:
        return unresolved("counts from the publication date, and this source has none.")
    if RANK[anchor.date.precision] < RANK[needs]:
        return unresolved(
            f"needs the publication date to the {needs}, and this article is dated only {anchor.text}: "
            "too coarse to say which, so it is left unresolved."
        )
    future = offset is None and bool(FUTURE_CUES.search(_sentence_before(text, start))) if vocab.english else False
    results = {_shift(day, unit, offset, future, vocab) for day in anchor.ends()}
    nominal = _shift(anchor.nominal(), unit, offset, future, vocab)
    value, precision, detail = nominal
    if part and unit == "year":
        value, precision = value.replace(month=12 if "end" in part else 1), dates.MONTH
        detail = "its last month" if "end" in part else "its first month"
    approximate = len(results) > 1
    shown = dates.display(value, precision, approximate)
    reason = f"“{words}” in an article of {anchor.text} → {shown}"
    if detail:
        reason += f" ({detail})"
    if approximate:
        reason += "; approximate, as the article's date is"
    return Mention(start, end, words, value, precision, approximate, "relative", reason + ".")


def _sentence_before(text: str, start: int) -> str:
    before = text[max(0, start - 200) : start]
    return re.split(r"[.!?]\s", before)[-1]


def _shift(
    day: datetime.date, unit: str, offset: int | None, future: bool, vocab: Vocabulary
) -> tuple[datetime.date, str, str]:
    """The period `unit`/`offset` names from `day`: its first day, precision and, where useful, its days."""
    base = datetime.datetime.combine(day, datetime.time(12))
    step = offset or 0  # None only for a weekday alone
    if unit == "year":
        return datetime.date(day.year + step, 1, 1), dates.YEAR, ""
    if unit == "month":
        return _add_months(day, step), dates.MONTH, ""
    if unit == "day":
        return day + datetime.timedelta(days=step), dates.DAY, ""
    if unit in ("week", "weekend"):
        monday = day - datetime.timedelta(days=day.weekday()) + datetime.timedelta(weeks=step)
        first, last = (monday + datetime.timedelta(days=5), monday + datetime.timedelta(days=6))
        if unit == "week":
            first, last = monday, monday + datetime.timedelta(days=6)
        detail = f"the {unit} of {dates.display(first, dates.DAY)} to {dates.display(last, dates.DAY)}"
        if first.month == last.month:
            return first.replace(day=1), dates.MONTH, detail
        return first.replace(month=1, day=1), dates.YEAR, detail
    weekday = int(unit.split(":")[1])
    if offset is None:  # a weekday alone: the article's own day, else the nearest one in the tense's direction
        if day.weekday() == weekday:
            return day, dates.DAY, "the article's own weekday"
        prefer = "future" if future else "past"
        direction = "the coming one: the sentence speaks of what will be" if future else "the one before"
        return _weekday(WEEKDAY_KEYS[weekday], base, prefer), dates.DAY, direction
    phrase = {-1: "last", 0: "this", 1: "next"}[offset] + " " + WEEKDAY_KEYS[weekday]
    return _weekday(phrase, base, "current_period"), dates.DAY, ""


def _weekday(words: str, base: datetime.datetime, prefer: str) -> datetime.date:
    """An English weekday phrase ("friday", "last friday") from `base`, read by dateparser."""
    found = dateparser.parse(words, languages=["en"], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": prefer})
    if found is None:  # pragma: no cover: dateparser always reads English weekdays
        raise ValueError(words)
    return found.date()


# -- ranges and lists: "from 2013 to 2024", "in 2020 and 2021" --

RANGE_GAP = re.compile(r"\s*(?:to|until|till|through|–|—|-)\s*", re.I)
LIST_GAP = re.compile(r"\s*(?:,|,?\s+and|,?\s+or|&)\s*", re.I)
DATED = ("absolute", "partial")


def _group(found: list[Mention], text: str, vocab: Vocabulary) -> list[Mention]:
    if not vocab.english or len(found) < 2:
        return found
    result = list(found)
    index = 0
    while index < len(result) - 1:
        run = [index]
        while run[-1] + 1 < len(result):
            a, b = result[run[-1]], result[run[-1] + 1]
            gap = text[a.end : b.start]
            if a.kind not in DATED or b.kind not in DATED:
                break
            if not (RANGE_GAP.fullmatch(gap) or LIST_GAP.fullmatch(gap)):
                break
            run.append(run[-1] + 1)
        if len(run) > 1:
            first, last = result[run[0]], result[run[-1]]
            before = text[max(0, first.start - 9) : first.start].lower()
            gap = text[first.end : result[run[0] + 1].start]
            is_range = len(run) == 2 and (
                (RANGE_GAP.fullmatch(gap) and (before.endswith("from ") or not gap.strip().isalpha()))
                or (before.endswith("between ") and "and" in gap)
            )
            whole = text[first.start : last.end]
            for position, at in enumerate(run):
                item = result[at]
                kind = "range" if is_range else "list"
                role = ("Start", "End")[position] if is_range else f"Item {position + 1} of {len(run)}"
                lead = f"{role} of the {kind} “{whole}”. "
                result[at] = replace(item, kind=kind, reason=lead + item.reason)
        index = run[-1] + 1
    return result


# A full stop ends a sentence unless it ends an initial or initialism ("J.", "U.N."); the next begins in capitals.
SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<![A-Z]\.[A-Z])[.!?][\"”’')\]]*\s+(?=[\"“‘(]?[A-Z0-9])")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of `text` that holds `start`..`end`, exactly as written (a quote to cite)."""
    first = 0
    for match in SENTENCE_END.finditer(text, 0, start):
        first = match.end()
    after = SENTENCE_END.search(text, end)
    last = after.start() + len(after.group().rstrip()) if after else len(text)
    return text[first:last].strip()
