"""Build the labelled evaluation set in this folder (deterministic; see README.md).

    .venv/bin/python tests/data/eval/make_eval.py [--gibberish gibberish.json]

Reads the human Spanish catalogues of Debian programs (/usr/share/locale/es/LC_MESSAGES/*.mo)
of the EVAL_DOMAINS only (the bounds in translate/checks.py are learned from TRAIN_DOMAINS,
see bench/check_accuracy.py --learn), samples prose entries and writes one .po per kind:

    correct.po          real human pairs (must pass)
    other_sentence.po   msgstr of another entry of the set
    english.po          left in English (msgid copied; a third lightly edited so it is not identical)
    cut.po              msgstr cut after half of its words
    number.po           a number in msgstr changed
    placeholder.po      a printf/{x} placeholder dropped from msgstr
    other_language.po   the same msgid's human translation in pt, it, fr, ca or de
    gibberish.po        the tiny Argos test package's output (random weights) for the msgid
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent
LOCALE = Path("/usr/share/locale")

EVAL_DOMAINS = (
    "coreutils", "tar", "wget", "grep", "sed", "findutils", "diffutils", "apt", "libapt-pkg6.0",
    "dpkg", "gawk", "bash", "shadow", "xz", "man-db", "psmisc", "adduser", "popt", "Linux-PAM",
)
TRAIN_DOMAINS = (
    "gtk30", "glib20", "git", "gettext-tools", "gnupg2", "binutils", "postgres-15", "libc",
    "systemd", "PackageKit", "appstream", "gstreamer-1.0", "make", "gnutls30", "avahi", "elfutils",
    "software-properties", "system-config-printer", "psql-15", "pg_dump-15",
)
OTHER_LANGS = ("pt", "it", "fr", "ca", "de")
PRINTF = re.compile(r"%(?:\d+\$)?[-+ #0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGcs]|\{[A-Za-z_0-9]*\}")


def pairs(lang: str, domain: str) -> dict[str, str]:
    path = LOCALE / lang / "LC_MESSAGES" / f"{domain}.mo"
    if not path.exists() and lang == "pt":
        path = LOCALE / "pt_BR" / "LC_MESSAGES" / f"{domain}.mo"
    if not path.exists():
        return {}
    out = {}
    for e in polib.mofile(str(path)):
        if e.msgid and e.msgstr and not e.msgid_plural and not e.msgctxt:
            out[e.msgid] = e.msgstr
    return out


def prose(msgid: str, msgstr: str) -> bool:
    """A sentence-like message: 4+ words, one line, mostly letters, not a usage synopsis."""
    if not 20 <= len(msgid) <= 220 or "\n" in msgid or "\t" in msgid or "\n" in msgstr:
        return False
    words = re.findall(r"[A-Za-z]{2,}", msgid)
    if len(words) < 4 or sum(map(len, words)) < 0.6 * len(msgid):
        return False
    if msgid.lstrip().startswith(("-", "Usage", "usage")) or "  " in msgid.strip():
        return False
    return True


def train_pairs() -> list[tuple[str, str, str]]:
    out = []
    for d in TRAIN_DOMAINS:
        for k, v in pairs("es", d).items():
            if prose(k, v):
                out.append((d, k, v))
    return out


def entry(msgid: str, msgstr: str, domain: str, note: str = "") -> polib.POEntry:
    e = polib.POEntry(msgid=msgid, msgstr=msgstr, occurrences=[(domain, "")])
    if PRINTF.search(msgid) and "%" in msgid:
        e.flags.append("c-format")
    if note:
        e.tcomment = note
    return e


OUT = HERE


def write(name: str, entries: list[polib.POEntry]) -> None:
    sys.path.insert(0, str(HERE.parents[2]))
    from translate.po.pofile import new_pofile, write_po

    po = new_pofile()
    po.metadata["Language"] = "es"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.metadata["Content-Transfer-Encoding"] = "8bit"
    po.metadata["MIME-Version"] = "1.0"
    po.metadata["Project-Id-Version"] = f"eval {name}"
    seen = set()
    for e in entries:
        if e.msgid not in seen:
            seen.add(e.msgid)
            po.append(e)
    OUT.mkdir(exist_ok=True)
    write_po(OUT / f"{name}.po", po)
    print(f"{name}.po: {len(po)} entries")


def taker(pool: list[tuple[str, str, str]], used: set[str]):
    """``take(n, pred)``: the next ``n`` rows (domain, msgid, msgstr) of ``pool`` whose msgid is
    not in ``used`` and that ``pred`` accepts; their msgids are added to ``used``."""

    def take(n, pred=lambda d, k, v: True):
        got = []
        for d, k, v in pool:
            if k not in used and pred(d, k, v):
                used.add(k)
                got.append((d, k, v))
                if len(got) == n:
                    break
        return got

    return take


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gibberish", type=Path, default=None,
                    help="msgid -> output of the tiny Argos package (made by tests/tiny_argos.py, see README)")
    ap.add_argument("--dump-gibberish-input", action="store_true")
    ap.add_argument("--seed", type=int, default=20261128)
    ap.add_argument("--out", type=Path, default=HERE, help="folder (holdout/: a second set, disjoint from the first)")
    args = ap.parse_args()
    global OUT
    OUT = args.out.resolve()
    rng = random.Random(args.seed)
    pool = []
    for d in EVAL_DOMAINS:
        for k, v in sorted(pairs("es", d).items()):
            if prose(k, v):
                pool.append((d, k, v))
    rng.shuffle(pool)
    used: set[str] = set()
    if OUT != HERE:  # a held-out set: nothing of the main set again
        for f in HERE.glob("*.po"):
            used |= {e.msgid for e in polib.pofile(str(f))}

    take = taker(pool, used)
    correct = take(300)
    write("correct", [entry(k, v, d) for d, k, v in correct])

    other = take(40)
    donors = take(40)
    write("other_sentence", [entry(k, donors[i][2], d) for i, (d, k, v) in enumerate(other)])

    eng = take(40)
    out = []
    for i, (d, k, v) in enumerate(eng):
        s = k
        if i % 3 == 2:  # lightly edited so it is not identical to the msgid
            s = k.rstrip(".") if k.endswith(".") else k + "."
            s = s[0].lower() + s[1:] if s[0].isupper() else s[0].upper() + s[1:]
        out.append(entry(k, s, d))
    write("english", out)

    cut = take(40, lambda d, k, v: len(v.split()) >= 6)
    write("cut", [entry(k, " ".join(v.split()[: len(v.split()) // 2]), d) for d, k, v in cut])

    def has_num(d, k, v):
        return bool(re.search(r"\d", k)) and bool(re.search(r"\d", v)) and not PRINTF.search(k)

    num_src = []
    for d in EVAL_DOMAINS + TRAIN_DOMAINS[:0]:
        for k, v in sorted(pairs("es", d).items()):
            if has_num(d, k, v) and k not in used and 10 <= len(k) <= 300 and "\n" not in k:
                num_src.append((d, k, v))
    rng.shuffle(num_src)
    out = []
    for d, k, v in num_src[:40]:
        used.add(k)
        nums = list(re.finditer(r"\d+", v))
        m = nums[rng.randrange(len(nums))]
        n = int(m.group(0))
        new = str(n + 1 if n % 10 != 9 else n - 1)
        out.append(entry(k, v[: m.start()] + new + v[m.end():], d))
    write("number", out)

    def has_ph(d, k, v):
        return bool(PRINTF.search(k)) and bool(PRINTF.search(v))

    ph_src = []
    for d in EVAL_DOMAINS:
        for k, v in sorted(pairs("es", d).items()):
            if has_ph(d, k, v) and k not in used and prose(k, v.replace("%", "")) or (has_ph(d, k, v) and k not in used and 15 <= len(k) <= 200 and "\n" not in k):
                ph_src.append((d, k, v))
    rng.shuffle(ph_src)
    out = []
    for d, k, v in ph_src[:40]:
        used.add(k)
        phs = list(PRINTF.finditer(v))
        m = phs[rng.randrange(len(phs))]
        s = (v[: m.start()] + v[m.end():]).replace("  ", " ").strip()
        out.append(entry(k, s, d))
    write("placeholder", out)

    out = []
    for j, lang in enumerate(OTHER_LANGS):
        n = 0
        for d, k, v in pool:
            if k in used:
                continue
            t = pairs(lang, d).get(k)
            if t and t != k and t != v:
                used.add(k)
                out.append(entry(k, t, d, note=f"lang: {lang}"))
                n += 1
                if n == 10:
                    break
    write("other_language", out)

    gib = take(40)
    if args.dump_gibberish_input:
        (OUT / "gibberish-input.json").write_text(json.dumps([k for d, k, v in gib], ensure_ascii=False, indent=0))
        return
    gpath = args.gibberish or OUT / "gibberish.json"
    table = json.loads(gpath.read_text()) if gpath.exists() else {}
    out = [entry(k, table[k], d) for d, k, v in gib if table.get(k)]
    write("gibberish", out)


if __name__ == "__main__":
    main()
